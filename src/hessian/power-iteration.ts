/**
 * The leading (largest-modulus) eigenvalue of a linear operator by power iteration on
 * operator-vector products (seed 000, A.1; Yao et al., PyHessian, Algorithm 2).
 *
 * Each iteration applies A to the unit vector v, takes the Rayleigh quotient λ = vᵀAv and
 * normalises Av. It stops when |λ_k - λ_{k-1}| <= tol·|λ_k| (tol = 1e-6 as in the seed) and the
 * residual ‖Av - λv‖ <= 10·√tol·|λ|, or at the iteration cap. The residual test matters: with a
 * dominant pair ±λ or a complex pair the Rayleigh quotient can stand still at a value that is not
 * an eigenvalue at all; for a true eigenvector the residual vanishes (for symmetric A the
 * eigenvalue error is about residual²/gap, so the residual test costs no extra accuracy). When the cap is hit the result says so and describes the dominant pair: a
 * 2 x 2 Rayleigh-Ritz projection on span{v, Av} gives a complex pair re ± i·im (possible when A
 * is not symmetric) or two real eigenvalues of (nearly) equal modulus such as ±λ.
 */
import { NumericFailureError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { dot, type LinearOperator, norm } from "./operator.ts";

export interface PowerIterationOptions {
  /** Relative tolerance on successive eigenvalue estimates; default 1e-6. */
  tol?: number;
  /** Iteration cap; default 1000. */
  maxIterations?: number;
  /** Seed of the random start vector; default 0. */
  seed?: number;
  /** Start vector (overrides the seed). */
  start?: Float64Array;
}

export interface DominantPair {
  kind: "complex" | "real";
  /** Complex pair re ± i·im, or two real eigenvalues re ± im (kind "real"). */
  re: number;
  im: number;
  modulus: number;
}

export interface PowerIterationResult {
  eigenvalue: number;
  eigenvector: Float64Array;
  iterations: number;
  converged: boolean;
  /** ‖Av - λv‖ at the returned vector. */
  residual: number;
  /** Only when not converged: the dominant pair found by 2 x 2 Rayleigh-Ritz. */
  dominantPair?: DominantPair;
  /** A sentence for reports when not converged. */
  note?: string;
}

export function powerIteration(
  op: LinearOperator,
  options: PowerIterationOptions = {},
): PowerIterationResult {
  const fn = "powerIteration";
  const tol = requireInRange(fn, "tol", options.tol ?? 1e-6, 0, 1);
  const maxIterations = requirePositiveInteger(fn, "maxIterations", options.maxIterations ?? 1000);
  let v = options.start ? options.start.slice() : new Rng(options.seed ?? 0).normals(op.dim);
  let nv = norm(v);
  if (!(nv > 0)) v = new Rng(options.seed ?? 0).normals(op.dim);
  nv = norm(v);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / nv;
  let lambda = Number.NaN;
  let w = op.apply(v);
  for (let k = 1; k <= maxIterations; k++) {
    const next = dot(v, w);
    if (!Number.isFinite(next))
      throw new NumericFailureError(fn, "non-finite Rayleigh quotient", { iteration: k });
    const nw = norm(w);
    if (nw === 0) return { eigenvalue: 0, eigenvector: v, iterations: k, converged: true, residual: 0 };
    const res = residual(v, w, next);
    const done =
      Math.abs(next - lambda) <= tol * Math.abs(next) && res <= 10 * Math.sqrt(tol) * Math.abs(next);
    lambda = next;
    if (done) return { eigenvalue: lambda, eigenvector: v, iterations: k, converged: true, residual: res };
    for (let i = 0; i < v.length; i++) v[i] = w[i]! / nw;
    w = op.apply(v);
  }
  const pair = ritzPair(op, v, w);
  return {
    eigenvalue: dot(v, w),
    eigenvector: v,
    iterations: maxIterations,
    converged: false,
    residual: residual(v, w, dot(v, w)),
    dominantPair: pair,
    note:
      pair.kind === "complex"
        ? `no convergence in ${maxIterations} iterations: the dominant eigenvalues are a complex pair ${pair.re} ± ${pair.im}i (modulus ${pair.modulus})`
        : `no convergence in ${maxIterations} iterations: two real eigenvalues of close modulus, ${pair.re + pair.im} and ${pair.re - pair.im}`,
  };
}

function residual(v: Float64Array, w: Float64Array, lambda: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (w[i]! - lambda * v[i]!) ** 2;
  return Math.sqrt(s);
}

/** Eigenvalues of the 2 x 2 projection QᵀAQ, Q an orthonormal basis of span{v, Av}. */
function ritzPair(op: LinearOperator, v: Float64Array, w: Float64Array): DominantPair {
  const q2 = w.slice();
  const c = dot(v, w);
  for (let i = 0; i < q2.length; i++) q2[i] = q2[i]! - c * v[i]!;
  const n2 = norm(q2);
  if (!(n2 > 1e-300)) return { kind: "real", re: c, im: 0, modulus: Math.abs(c) };
  for (let i = 0; i < q2.length; i++) q2[i] = q2[i]! / n2;
  const aq2 = op.apply(q2);
  const b11 = c;
  const b12 = dot(v, aq2);
  const b21 = dot(q2, w);
  const b22 = dot(q2, aq2);
  const half = (b11 + b22) / 2;
  const disc = ((b11 - b22) / 2) ** 2 + b12 * b21;
  if (disc < 0) {
    const im = Math.sqrt(-disc);
    return { kind: "complex", re: half, im, modulus: Math.hypot(half, im) };
  }
  const s = Math.sqrt(disc);
  return { kind: "real", re: half, im: s, modulus: Math.max(Math.abs(half + s), Math.abs(half - s)) };
}
