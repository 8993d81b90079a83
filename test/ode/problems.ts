/** Test problems with exact or published solutions, shared by the ode tests. */
import type { VectorField } from "../../src/ode/index.ts";

/**
 * y' = A y with A = blockdiag([[-1/2, 2], [-2, -1/2]], J_3(-3/10)): a damped rotation and a
 * non-normal Jordan block, so exp(At) is known in closed form:
 * exp(At) = blockdiag(e^{-t/2} [[cos 2t, sin 2t], [-sin 2t, cos 2t]],
 *                     e^{-3t/10} [[1, t, t²/2], [0, 1, t], [0, 0, 1]]).
 */
export const linear: VectorField = (_t, y, dy) => {
  dy[0] = -0.5 * y[0]! + 2 * y[1]!;
  dy[1] = -2 * y[0]! - 0.5 * y[1]!;
  dy[2] = -0.3 * y[2]! + y[3]!;
  dy[3] = -0.3 * y[3]! + y[4]!;
  dy[4] = -0.3 * y[4]!;
};

export const linearY0 = [1, 0.5, 1, -1, 2];

/** exp(At) y0 for {@link linear}. */
export function linearExact(t: number, y0: readonly number[] = linearY0): number[] {
  const e = Math.exp(-0.5 * t);
  const c = Math.cos(2 * t);
  const s = Math.sin(2 * t);
  const l = Math.exp(-0.3 * t);
  const [a, b, p, q, r] = y0 as [number, number, number, number, number];
  return [
    e * (c * a + s * b),
    e * (-s * a + c * b),
    l * (p + t * q + (t * t * r) / 2),
    l * (q + t * r),
    l * r,
  ];
}

/** Max-norm distance between two vectors. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Least-squares slope of log(err) against log(h). */
export function fittedOrder(hs: readonly number[], errs: readonly number[]): number {
  const x = hs.map(Math.log);
  const y = errs.map(Math.log);
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * The restricted three-body problem of the Arenstorf orbit (HNW I, sec. II.0, eq. (0.1)),
 * written as DOPRI5's driver writes it.
 */
export const ARENSTORF_MU = 0.012277471;
export const arenstorf: VectorField = (_t, y, dy) => {
  const mu = ARENSTORF_MU;
  const mup = 1 - mu;
  let r1 = (y[0]! + mu) ** 2 + y[1]! ** 2;
  r1 *= Math.sqrt(r1);
  let r2 = (y[0]! - mup) ** 2 + y[1]! ** 2;
  r2 *= Math.sqrt(r2);
  dy[0] = y[2]!;
  dy[1] = y[3]!;
  dy[2] = y[0]! + 2 * y[3]! - (mup * (y[0]! + mu)) / r1 - (mu * (y[0]! - mup)) / r2;
  dy[3] = y[1]! - 2 * y[2]! - (mup * y[1]!) / r1 - (mu * y[1]!) / r2;
};

/** Kepler's two-body problem q'' = -q/|q|³ (HNW, Geometric Numerical Integration, sec. I.2.3). */
export const kepler: VectorField = (_t, y, dy) => {
  const r2 = y[0]! * y[0]! + y[1]! * y[1]!;
  const r3 = r2 * Math.sqrt(r2);
  dy[0] = y[2]!;
  dy[1] = y[3]!;
  dy[2] = -y[0]! / r3;
  dy[3] = -y[1]! / r3;
};

/**
 * Lotka-Volterra u' = u(v - 2), v' = v(1 - u), with the first integral
 * I(u, v) = ln u - u + 2 ln v - v (HNW, Geometric Numerical Integration, sec. I.1.1).
 */
export const lotkaVolterra: VectorField = (_t, y, dy) => {
  dy[0] = y[0]! * (y[1]! - 2);
  dy[1] = y[1]! * (1 - y[0]!);
};
export const lotkaVolterraInvariant = (y: ArrayLike<number>) =>
  Math.log(y[0]!) - y[0]! + 2 * Math.log(y[1]!) - y[1]!;
