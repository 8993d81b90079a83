/**
 * Solving the operator-valued fixed point G = Φ(G) of {@link OperatorCauchyProblem} at a point z
 * of the closed upper half plane, on the physical branch:
 *
 * 1. At z₀ = Re z + iY with Λ = diag(z₀, iY, …, iY) and Y large, the damped iteration
 *    G ← ½(G + Φ(G)) of Helton, Rashidi Far and Speicher (2007), which converges for every start
 *    in the operator upper half plane (Φ is a strict contraction for the Carathéodory metric
 *    there); stopped at ‖Φ(G) − G‖∞ ≤ 1e-12 or after a bound of iterations.
 * 2. Newton's method on Φ(G) − G = 0 along a path to the target: Im z and ε decrease together
 *    geometrically (factor 16) to Im z, then ε alone to 0 (factor 100) (ε = 0 is the limit the linearization needs:
 *    (Λ − L)⁻¹₀₀ is then exactly (z − p)⁻¹). A step whose Newton iteration does not converge
 *    is halved (in log scale); the path has a bound on steps.
 *
 * Nothing is returned silently: a failure throws NumericFailureError with z and the residual.
 */
import { NumericFailureError } from "../../util/errors.ts";
import { solveComplex } from "./dense-linear.ts";
import type { OperatorCauchyProblem } from "./operator-cauchy.ts";

export interface FixedPointSolution {
  /** The needed entries of G (unknown 0 is G₀₀ = the Cauchy transform of p). */
  re: Float64Array;
  im: Float64Array;
  /** ‖Φ(G) − G‖∞ at the end. */
  residual: number;
  /** Newton iterations and path steps spent. */
  newtonIterations: number;
}

export interface FixedPointOptions {
  /** A scale of the spectrum (a bound on ‖p‖); Y = 4(1 + scale) starts the path. */
  scale?: number;
  /** A previous solution at a nearby point: Newton starts from it at the target directly. */
  warmStart?: { re: Float64Array; im: Float64Array };
  /** Bound on damped iterations (default 5000). */
  maxDampedIterations?: number;
  /** Bound on path steps (default 200). */
  maxPathSteps?: number;
}

const NEWTON_MAX = 30;

/** Work arrays for one problem size. */
class Work {
  phiRe: Float64Array;
  phiIm: Float64Array;
  jRe: Float64Array;
  jIm: Float64Array;
  bRe: Float64Array;
  bIm: Float64Array;
  constructor(n: number) {
    this.phiRe = new Float64Array(n);
    this.phiIm = new Float64Array(n);
    this.jRe = new Float64Array(n * n);
    this.jIm = new Float64Array(n * n);
    this.bRe = new Float64Array(n);
    this.bIm = new Float64Array(n);
  }
}

function residualOf(w: Work, uRe: Float64Array, uIm: Float64Array): number {
  let r = 0;
  for (let q = 0; q < uRe.length; q++)
    r = Math.max(r, Math.abs(w.phiRe[q]! - uRe[q]!), Math.abs(w.phiIm[q]! - uIm[q]!));
  return r;
}

/**
 * Newton's method at (z, ε) from u (overwritten). Returns the final residual, or NaN when it
 * did not reach tol within NEWTON_MAX iterations (u is then garbage).
 */
export function newtonFixedPoint(
  problem: OperatorCauchyProblem,
  zRe: number,
  zIm: number,
  eps: number,
  uRe: Float64Array,
  uIm: Float64Array,
  work = new Work(problem.size),
  counter = { iterations: 0 },
): number {
  const n = problem.size;
  const jac = { re: work.jRe, im: work.jIm };
  let last = Number.POSITIVE_INFINITY;
  for (let it = 0; it < NEWTON_MAX; it++) {
    counter.iterations++;
    if (!problem.evaluate(zRe, zIm, eps, uRe, uIm, work.phiRe, work.phiIm, jac)) return Number.NaN;
    const r = residualOf(work, uRe, uIm);
    if (!Number.isFinite(r)) return Number.NaN;
    let scale = 1;
    for (let q = 0; q < n; q++) scale = Math.max(scale, Math.abs(uRe[q]!), Math.abs(uIm[q]!));
    // Converged, or stalled at rounding (near an atom entries of size 1/|z − a| cancel).
    if (r <= 1e-14 * scale || (it > 1 && r <= 1e-9 * scale && r >= 0.5 * last)) return r;
    if (it > 4 && r > 2 * last) return Number.NaN;
    last = r;
    for (let q = 0; q < n; q++) {
      work.jRe[q * n + q]! -= 1;
      work.bRe[q] = uRe[q]! - work.phiRe[q]!;
      work.bIm[q] = uIm[q]! - work.phiIm[q]!;
    }
    if (!solveComplex(n, work.jRe, work.jIm, work.bRe, work.bIm)) return Number.NaN;
    for (let q = 0; q < n; q++) {
      uRe[q]! += work.bRe[q]!;
      uIm[q]! += work.bIm[q]!;
    }
  }
  return Number.NaN;
}

/** G at z (Im z ≥ 0; for Im z = 0 the point must lie outside the support or Newton fails there). */
export function solveFixedPoint(
  problem: OperatorCauchyProblem,
  z: { re: number; im: number },
  options: FixedPointOptions = {},
): FixedPointSolution {
  const fn = "solveFixedPoint";
  const n = problem.size;
  const work = new Work(n);
  const counter = { iterations: 0 };
  if (options.warmStart) {
    const uRe = options.warmStart.re.slice();
    const uIm = options.warmStart.im.slice();
    const r = newtonFixedPoint(problem, z.re, z.im, 0, uRe, uIm, work, counter);
    if (Number.isFinite(r)) return { re: uRe, im: uIm, residual: r, newtonIterations: counter.iterations };
  }
  const scale = options.scale ?? 1;
  const Y = Math.max(4 * (1 + scale), z.im);
  const uRe = new Float64Array(n);
  const uIm = new Float64Array(n);
  // 1. Damped iteration far up.
  const maxDamped = options.maxDampedIterations ?? 5000;
  let residual = Number.POSITIVE_INFINITY;
  for (let it = 0; it < maxDamped; it++) {
    if (!problem.evaluate(z.re, Y, Y, uRe, uIm, work.phiRe, work.phiIm))
      throw new NumericFailureError(fn, "singular block in the damped iteration", {
        z: { re: z.re, im: Y },
        iteration: it,
      });
    residual = residualOf(work, uRe, uIm);
    for (let q = 0; q < n; q++) {
      uRe[q] = 0.5 * (uRe[q]! + work.phiRe[q]!);
      uIm[q] = 0.5 * (uIm[q]! + work.phiIm[q]!);
    }
    if (residual <= 1e-12) break;
  }
  if (!(residual <= 1e-12))
    throw new NumericFailureError(fn, `damped iteration did not converge in ${maxDamped} iterations`, {
      z: { re: z.re, im: Y },
      residual,
    });
  // 2. Newton along the path (y, ε): (Y, Y) → (Im z, Im z) → (Im z, 0); y = 0 targets stop at yFloor first.
  // Steps of 1/16 in y, 1/100 in ε; a step Newton cannot take is split (below).
  const yFloor = 1e-8 * Y;
  const yEnd = Math.max(z.im, yFloor);
  const path: [number, number][] = [];
  for (let y = Y / 16; y > yEnd; y /= 16) path.push([y, y]);
  path.push([yEnd, yEnd]);
  for (let e = yEnd / 100; e > 1e-4 * yEnd; e /= 100) path.push([yEnd, e]);
  path.push([yEnd, 0]);
  if (z.im < yFloor) path.push([z.im, 0]);
  let prev: [number, number] = [Y, Y];
  let steps = 0;
  const maxSteps = options.maxPathSteps ?? 200;
  const saveRe = new Float64Array(n);
  const saveIm = new Float64Array(n);
  for (let k = 0; k < path.length; ) {
    const target = path[k]!;
    saveRe.set(uRe);
    saveIm.set(uIm);
    const r = newtonFixedPoint(problem, z.re, target[0], target[1], uRe, uIm, work, counter);
    if (++steps > maxSteps)
      throw new NumericFailureError(fn, `path continuation exceeded ${maxSteps} steps`, {
        z,
        at: { im: target[0], eps: target[1] },
        residual: r,
      });
    if (Number.isFinite(r)) {
      residual = r;
      prev = target;
      k++;
      continue;
    }
    uRe.set(saveRe);
    uIm.set(saveIm);
    const mid = (a: number, b: number) => (a > 0 && b > 0 ? Math.sqrt(a * b) : 0.5 * (a + b));
    const m: [number, number] = [mid(prev[0], target[0]), mid(prev[1], target[1])];
    if (Math.abs(m[0] - prev[0]) <= 1e-15 * prev[0] && Math.abs(m[1] - prev[1]) <= 1e-15 * (prev[1] || 1))
      throw new NumericFailureError(fn, "Newton's method failed on an unsplittable path step", {
        z,
        at: { im: target[0], eps: target[1] },
        residual,
      });
    path.splice(k, 0, m);
  }
  return { re: uRe, im: uIm, residual, newtonIterations: counter.iterations };
}
