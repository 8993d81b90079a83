/**
 * Atomic spectral laws μ = Σ_i p_i δ_{a_i} (finitely many atoms): the limiting spectrum of a
 * diagonal matrix such as ‖W2‖² D1 (seed 001, eq. 105 for two atoms ±1).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { type Complex, cdiv } from "./complex.ts";
import { polyAdd, polyMul, type RealPolynomial } from "./polynomial.ts";

export interface AtomicLaw {
  readonly kind: "atomic";
  /** Distinct atom locations, ascending. */
  readonly atoms: readonly number[];
  /** Their masses, positive, summing to 1. */
  readonly weights: readonly number[];
}

/**
 * The law Σ p_i δ_{a_i}. Atoms of zero weight are dropped and equal atoms merged. Throws
 * InvalidArgumentError on non-finite atoms, negative weights, or weights not summing to 1
 * (within 1e-12).
 */
export function atomicLaw(atoms: readonly number[], weights: readonly number[]): AtomicLaw {
  const fn = "atomicLaw";
  if (atoms.length === 0 || atoms.length !== weights.length) {
    throw new InvalidArgumentError(
      fn,
      "weights",
      `${atoms.length} weights, one per atom (at least one)`,
      weights,
    );
  }
  const merged = new Map<number, number>();
  atoms.forEach((a, k) => {
    const w = weights[k]!;
    if (!Number.isFinite(a)) throw new InvalidArgumentError(fn, `atoms[${k}]`, "a finite number", a);
    if (!Number.isFinite(w) || w < 0) throw new InvalidArgumentError(fn, `weights[${k}]`, "a number ≥ 0", w);
    if (w > 0) merged.set(a, (merged.get(a) ?? 0) + w);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  if (Math.abs(total - 1) > 1e-12)
    throw new InvalidArgumentError(fn, "weights", "masses summing to 1", total);
  const sorted = [...merged.entries()].sort((x, y) => x[0] - y[0]);
  return { kind: "atomic", atoms: sorted.map((e) => e[0]), weights: sorted.map((e) => e[1]) };
}

/** The two-atom law (1 − α) δ_{scale} + α δ_{−scale}: a diagonal of ±scale with a fraction α of minus signs. */
export function signLaw(alpha: number, scale = 1): AtomicLaw {
  return atomicLaw([scale, -scale], [1 - alpha, alpha]);
}

/** G_μ(z) = Σ p_i / (z − a_i) for complex z. */
export function atomicCauchy(mu: AtomicLaw, z: Complex): Complex {
  let re = 0;
  let im = 0;
  for (let i = 0; i < mu.atoms.length; i++) {
    const g = cdiv({ re: mu.weights[i]!, im: 0 }, { re: z.re - mu.atoms[i]!, im: z.im });
    re += g.re;
    im += g.im;
  }
  return { re, im };
}

/** G_μ(x) and G_μ'(x) for real x off the atoms. */
export function atomicCauchyReal(mu: AtomicLaw, x: number): { g: number; dg: number } {
  let g = 0;
  let dg = 0;
  for (let i = 0; i < mu.atoms.length; i++) {
    const r = 1 / (x - mu.atoms[i]!);
    g += mu.weights[i]! * r;
    dg -= mu.weights[i]! * r * r;
  }
  return { g, dg };
}

/** G_μ = P/Q as polynomials: Q = Π (x − a_i), P = Σ p_i Π_{k≠i} (x − a_k). */
export function atomicCauchyFraction(mu: AtomicLaw): { P: RealPolynomial; Q: RealPolynomial } {
  let Q: RealPolynomial = [1];
  for (const a of mu.atoms) Q = polyMul(Q, [-a, 1]);
  let P: RealPolynomial = [0];
  mu.atoms.forEach((_, i) => {
    let term: RealPolynomial = [mu.weights[i]!];
    mu.atoms.forEach((b, k) => {
      if (k !== i) term = polyMul(term, [-b, 1]);
    });
    P = polyAdd(P, term);
  });
  return { P, Q };
}

/**
 * The Blue transform B_μ(w) = G_μ^{-1}(w) on the branch below the smallest atom, for real w < 0
 * (there G_μ maps (−∞, a_min) one-to-one onto (−∞, 0)); the R-transform is B_μ(w) − 1/w. For
 * two atoms this is the root of the quadratic of seed 001, eq. 106, below a_min; in general it is
 * found by bisection on (a_min − 1/|w| − span, a_min) to full precision (at most 200 halvings).
 */
export function atomicBlueBelow(mu: AtomicLaw, w: number): number {
  if (!(w < 0)) throw new InvalidArgumentError("atomicBlueBelow", "w", "a negative number", w);
  const amin = mu.atoms[0]!;
  let lo = amin + 1 / w - (mu.atoms[mu.atoms.length - 1]! - amin) - 1;
  let hi = amin;
  // G is decreasing on (−∞, a_min) from 0⁻ to −∞, and G(lo) ≥ w by the choice of lo.
  for (let k = 0; k < 200 && hi - lo > 2 * Number.EPSILON * (1 + Math.abs(hi)); k++) {
    const mid = 0.5 * (lo + hi);
    if (atomicCauchyReal(mu, mid).g > w) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** The k-th moment Σ p_i a_i^k. */
export function atomicMoment(mu: AtomicLaw, k: number): number {
  return mu.atoms.reduce((s, a, i) => s + mu.weights[i]! * a ** k, 0);
}
