/**
 * Floating-point polynomials for the numeric side of free probability: coefficient arrays in
 * ascending order (p[k] multiplies x^k), products, derivatives, evaluation, and all complex
 * roots by the Aberth-Ehrlich iteration with an iteration bound. (Exact polynomial algebra lives
 * in src/expr; these are the float64 twins used per evaluation point.)
 */
import { NumericFailureError } from "../util/errors.ts";
import { type Complex, cdiv, cmul, csub } from "./complex.ts";

export type RealPolynomial = number[];

export function polyAdd(a: RealPolynomial, b: RealPolynomial): RealPolynomial {
  const out = new Array(Math.max(a.length, b.length)).fill(0);
  a.forEach((v, k) => {
    out[k] += v;
  });
  b.forEach((v, k) => {
    out[k] += v;
  });
  return out;
}

export function polyScale(a: RealPolynomial, s: number): RealPolynomial {
  return a.map((v) => v * s);
}

export function polyMul(a: RealPolynomial, b: RealPolynomial): RealPolynomial {
  if (a.length === 0 || b.length === 0) return [];
  const out = new Array(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i]! * b[j]!;
  return out;
}

export function polyDerivative(a: RealPolynomial): RealPolynomial {
  return a.slice(1).map((v, k) => v * (k + 1));
}

/** p(x) by Horner's rule. */
export function polyEval(a: RealPolynomial, x: number): number {
  let r = 0;
  for (let k = a.length - 1; k >= 0; k--) r = r * x + a[k]!;
  return r;
}

/** Drops trailing coefficients with |p_k| ≤ tol·max|p|. */
export function polyTrim(a: RealPolynomial, tol = 0): RealPolynomial {
  const m = Math.max(0, ...a.map(Math.abs));
  let n = a.length;
  while (n > 0 && Math.abs(a[n - 1]!) <= tol * m) n--;
  return a.slice(0, n);
}

/**
 * All complex roots of Σ (re_k + i im_k) x^k, by Aberth-Ehrlich iteration (cubic convergence
 * for simple roots) from points on a circle of the Fujiwara radius. Stops when every correction
 * is below 4ε(1 + |root|) or after `maxIterations`, then throws NumericFailureError naming the
 * degree and the largest remaining correction: no partial answer is returned.
 */
export function complexRoots(re: number[], im: number[] = [], maxIterations = 500): Complex[] {
  const n0 = Math.max(re.length, im.length);
  const coef: Complex[] = Array.from({ length: n0 }, (_, k) => ({ re: re[k] ?? 0, im: im[k] ?? 0 }));
  let n = coef.length;
  while (n > 0 && coef[n - 1]!.re === 0 && coef[n - 1]!.im === 0) n--;
  const degree = n - 1;
  if (degree < 1) return [];
  const lead = coef[degree]!;
  const c = coef.slice(0, n).map((v) => cdiv(v, lead));
  let radius = 0;
  for (let k = 0; k < degree; k++) {
    radius = Math.max(radius, 2 * Math.hypot(c[k]!.re, c[k]!.im) ** (1 / (degree - k)));
  }
  radius = Math.max(radius, 1e-300);
  const z: Complex[] = Array.from({ length: degree }, (_, k) => {
    const t = (2 * Math.PI * k) / degree + 0.4;
    return { re: radius * Math.cos(t), im: radius * Math.sin(t) };
  });
  let worst = Number.POSITIVE_INFINITY;
  for (let it = 0; it < maxIterations; it++) {
    worst = 0;
    for (let k = 0; k < degree; k++) {
      const zk = z[k]!;
      // p(zk) and p'(zk) together by Horner's rule.
      let p: Complex = { re: 1, im: 0 };
      let dp: Complex = { re: 0, im: 0 };
      for (let j = degree - 1; j >= 0; j--) {
        dp = { re: dp.re * zk.re - dp.im * zk.im + p.re, im: dp.re * zk.im + dp.im * zk.re + p.im };
        p = { re: p.re * zk.re - p.im * zk.im + c[j]!.re, im: p.re * zk.im + p.im * zk.re + c[j]!.im };
      }
      if (p.re === 0 && p.im === 0) continue;
      const ratio = cdiv(p, dp);
      let sum: Complex = { re: 0, im: 0 };
      for (let j = 0; j < degree; j++) {
        if (j === k) continue;
        const inv = cdiv({ re: 1, im: 0 }, csub(zk, z[j]!));
        sum = { re: sum.re + inv.re, im: sum.im + inv.im };
      }
      const denom = csub({ re: 1, im: 0 }, cmul(ratio, sum));
      const w = cdiv(ratio, denom);
      if (!Number.isFinite(w.re) || !Number.isFinite(w.im)) continue;
      z[k] = csub(zk, w);
      worst = Math.max(worst, Math.hypot(w.re, w.im) / (1 + Math.hypot(zk.re, zk.im)));
    }
    if (worst <= 4 * Number.EPSILON) return z;
  }
  // Multiple roots converge only linearly to about sqrt(ε): accept a stagnated iteration.
  if (worst <= 1e-7) return z;
  throw new NumericFailureError("complexRoots", `no convergence after ${maxIterations} iterations`, {
    degree,
    lastRelativeCorrection: worst,
  });
}
