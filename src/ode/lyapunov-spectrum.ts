/**
 * The Lyapunov spectrum of a flow or a map by the QR method (G. Benettin, L. Galgani,
 * A. Giorgilli, J.-M. Strelcyn, Meccanica 15, 1980; the "continuous QR" bookkeeping of
 * K. Geist, U. Parlitz, W. Lauterborn, Prog. Theor. Phys. 83, 1990): k tangent vectors are
 * carried along a trajectory by the linearization, re-orthonormalized every `interval` by a
 * QR decomposition, and the exponents are the time averages of log R_jj.
 *
 * The linearization is passed as an operator factory `linearize(y)` returning v -> J(y) v, so a
 * dense Jacobian and a Jacobian-vector product (e.g. forward mode over a network rule's IR)
 * serve alike.
 *
 * Errors, stated here once: the exponents are finite-time averages over time T (or K
 * iterations). An exponent whose finite-time value fluctuates (chaotic directions) has a
 * statistical error ~ sigma / sqrt(T); the zero exponent of a flow (the direction along the
 * trajectory) has a bias O(1/T) from the initial orientation (log of a bounded ratio of speeds
 * divided by T). The integration error of the solver adds O(dt^order).
 */
import { InvalidArgumentError, requirePositiveInteger } from "../util/errors.ts";
import { ConstantStepSize } from "./constant-step-size.ts";
import { integrate } from "./integrate.ts";
import type { DiscreteMap } from "./iterate-map.ts";
import { RK4 } from "./rk4.ts";
import type { Solver, StepSizeController, VectorField } from "./types.ts";

/** v -> J(y) v at one point y: writes J(y) v into `out` (never aliasing v). */
export type TangentOperator = (v: Float64Array, out: Float64Array) => void;

/** Linearization of the field or map at y. */
export type Linearize = (y: Float64Array) => TangentOperator;

export interface LyapunovResult {
  /**
   * The k exponents in the order of the tangent vectors (per unit time for a flow, per iteration
   * for a map): largest first once the span is long enough for the QR iteration to order them.
   */
  exponents: number[];
  /** Averaging time (flow) or number of iterations (map) after the transient. */
  span: number;
  /** Running estimates of the exponents after each re-orthonormalization block (for plots). */
  history: { at: number; exponents: number[] }[];
  /** The final state. */
  y: Float64Array;
  /** Set when the trajectory became non-finite: where, and the exponents so far. */
  failure?: string;
}

export interface LyapunovFlowOptions {
  y0: ArrayLike<number>;
  /** Averaging time T (> 0). */
  time: number;
  /** Time integrated before averaging starts (default 0). */
  transient?: number;
  /** Number of exponents k (default n). */
  count?: number;
  /** Time between re-orthonormalizations (default 1). */
  interval?: number;
  /** Solver and controller of the augmented system (default RK4 with constant step `dt`). */
  solver?: Solver;
  controller?: StepSizeController;
  /** Step of the default RK4 (default 0.01). */
  dt?: number;
  /** Number of history entries kept (default 100). */
  historyPoints?: number;
}

/**
 * Orthonormalizes the k columns `Q` (each length n) in place by modified Gram-Schmidt, run
 * twice ("twice is enough", Giraud et al. 2005) so that the columns stay orthogonal to machine
 * precision after many blocks; returns the diagonal of R (positive). Hand-written rather than
 * ml-matrix's QR because it works in place on the tangent vectors with R's diagonal signed
 * positive, which the log-sums need.
 */
export function orthonormalize(Q: Float64Array[]): number[] {
  const r = new Array<number>(Q.length).fill(0);
  for (let j = 0; j < Q.length; j++) {
    const q = Q[j]!;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const p = Q[i]!;
        let dot = 0;
        for (let m = 0; m < q.length; m++) dot += p[m]! * q[m]!;
        for (let m = 0; m < q.length; m++) q[m]! -= dot * p[m]!;
      }
    }
    let norm = 0;
    for (let m = 0; m < q.length; m++) norm += q[m]! * q[m]!;
    norm = Math.sqrt(norm);
    r[j] = norm;
    if (norm > 0) for (let m = 0; m < q.length; m++) q[m]! /= norm;
  }
  return r;
}

function identityColumns(n: number, k: number): Float64Array[] {
  return Array.from({ length: k }, (_, j) => {
    const q = new Float64Array(n);
    q[j] = 1;
    return q;
  });
}

function checkCommon(fn: string, y0: ArrayLike<number>, count: number | undefined) {
  const n = y0?.length ?? 0;
  if (n === 0 || !Array.from(y0).every(Number.isFinite))
    throw new InvalidArgumentError(fn, "y0", "a non-empty finite state", y0);
  const k = count === undefined ? n : requirePositiveInteger(fn, "count", count);
  if (k > n) throw new InvalidArgumentError(fn, "count", `at most the dimension ${n}`, k);
  return { n, k };
}

/**
 * The k largest Lyapunov exponents of the flow dy/dt = field(y) from y0; see the module comment
 * for the method and its errors.
 */
export function lyapunovSpectrumFlow(
  field: VectorField,
  linearize: Linearize,
  options: LyapunovFlowOptions,
): LyapunovResult {
  const fn = "lyapunovSpectrumFlow";
  const { n, k } = checkCommon(fn, options.y0, options.count);
  const T = options.time;
  if (!(Number.isFinite(T) && T > 0)) throw new InvalidArgumentError(fn, "time", "a finite number > 0", T);
  const transient = options.transient ?? 0;
  if (!(Number.isFinite(transient) && transient >= 0))
    throw new InvalidArgumentError(fn, "transient", "a finite number >= 0", transient);
  const tau = options.interval ?? 1;
  if (!(Number.isFinite(tau) && tau > 0))
    throw new InvalidArgumentError(fn, "interval", "a finite number > 0", tau);
  const solver = options.solver ?? RK4;
  const controller = options.controller ?? ConstantStepSize(options.dt ?? 0.01);
  const maxSteps = 1e7;

  let y = Float64Array.from(options.y0);
  if (transient > 0) {
    const r = integrate(field, solver, controller, { t0: 0, t1: transient, y0: y, maxSteps });
    if (r.status === "failed")
      return { exponents: [], span: 0, history: [], y: r.y, failure: `transient: ${r.failure!.message}` };
    y = Float64Array.from(r.y);
  }

  const Q = identityColumns(n, k);
  const tangent = new Float64Array(n);
  const augmented: VectorField = (t, z, dz) => {
    const x = z.subarray(0, n);
    field(t, x, dz.subarray(0, n));
    const L = linearize(x);
    for (let j = 0; j < k; j++) {
      L(z.subarray(n * (j + 1), n * (j + 2)), tangent);
      dz.set(tangent, n * (j + 1));
    }
  };
  const sums = new Array<number>(k).fill(0);
  const blocks = Math.ceil(T / tau);
  const keepEvery = Math.max(1, Math.floor(blocks / (options.historyPoints ?? 100)));
  const history: LyapunovResult["history"] = [];
  const z = new Float64Array(n * (k + 1));
  let elapsed = 0;
  for (let b = 0; b < blocks; b++) {
    const h = Math.min(tau, T - elapsed);
    z.set(y, 0);
    for (const [j, q] of Q.entries()) z.set(q, n * (j + 1));
    const r = integrate(augmented, solver, controller, { t0: elapsed, t1: elapsed + h, y0: z, maxSteps });
    if (r.status === "failed") {
      return {
        exponents: sums.map((s) => s / Math.max(elapsed, Number.MIN_VALUE)),
        span: elapsed,
        history,
        y,
        failure: `at t = ${transient + r.failure!.t}: ${r.failure!.message}`,
      };
    }
    y = Float64Array.from(r.y.subarray(0, n));
    for (let j = 0; j < k; j++) Q[j]!.set(r.y.subarray(n * (j + 1), n * (j + 2)));
    const diag = orthonormalize(Q);
    for (let j = 0; j < k; j++) sums[j]! += Math.log(diag[j]!);
    elapsed += h;
    if ((b + 1) % keepEvery === 0 || b === blocks - 1)
      history.push({ at: elapsed, exponents: sums.map((s) => s / elapsed) });
  }
  return { exponents: sums.map((s) => s / elapsed), span: elapsed, history, y };
}

export interface LyapunovMapOptions {
  y0: ArrayLike<number>;
  /** Number of averaged iterations K (>= 1). */
  iterations: number;
  /** Iterations before averaging starts (default 0). */
  transient?: number;
  /** Number of exponents k (default n). */
  count?: number;
  /** Number of history entries kept (default 100). */
  historyPoints?: number;
}

/**
 * The k largest Lyapunov exponents (per iteration) of the map y -> map(y) from y0, with the
 * tangent vectors re-orthonormalized after every iteration.
 */
export function lyapunovSpectrumMap(
  map: DiscreteMap,
  linearize: Linearize,
  options: LyapunovMapOptions,
): LyapunovResult {
  const fn = "lyapunovSpectrumMap";
  const { n, k } = checkCommon(fn, options.y0, options.count);
  const K = requirePositiveInteger(fn, "iterations", options.iterations);
  const transient = options.transient ?? 0;
  if (!(Number.isInteger(transient) && transient >= 0))
    throw new InvalidArgumentError(fn, "transient", "an integer >= 0", transient);
  let y = Float64Array.from(options.y0);
  let next = new Float64Array(n);
  const finite = (v: Float64Array) => v.every(Number.isFinite);
  for (let s = 0; s < transient; s++) {
    map(s, y, next);
    if (!finite(next))
      return {
        exponents: [],
        span: 0,
        history: [],
        y,
        failure: `transient: non-finite state after iteration ${s}`,
      };
    [y, next] = [next, y];
  }
  const Q = identityColumns(n, k);
  const sums = new Array<number>(k).fill(0);
  const keepEvery = Math.max(1, Math.floor(K / (options.historyPoints ?? 100)));
  const history: LyapunovResult["history"] = [];
  for (let s = 0; s < K; s++) {
    const L = linearize(y);
    for (let j = 0; j < k; j++) {
      const image = new Float64Array(n);
      L(Q[j]!, image);
      Q[j] = image;
    }
    map(transient + s, y, next);
    if (!finite(next)) {
      return {
        exponents: sums.map((x) => x / Math.max(s, 1)),
        span: s,
        history,
        y,
        failure: `non-finite state after iteration ${transient + s}`,
      };
    }
    [y, next] = [next, y];
    const diag = orthonormalize(Q);
    for (let j = 0; j < k; j++) sums[j]! += Math.log(diag[j]!);
    if ((s + 1) % keepEvery === 0 || s === K - 1)
      history.push({ at: s + 1, exponents: sums.map((x) => x / (s + 1)) });
  }
  return { exponents: sums.map((x) => x / K), span: K, history, y };
}

/** The operator v -> J v of a dense matrix J (rows). */
export function denseTangent(J: readonly (readonly number[])[]): TangentOperator {
  return (v, out) => {
    for (let i = 0; i < J.length; i++) {
      const row = J[i]!;
      let s = 0;
      for (let j = 0; j < row.length; j++) s += row[j]! * v[j]!;
      out[i] = s;
    }
  };
}
