/**
 * The rate RNN of seed 000 (eqs. 10-12), with the adaptive-threshold units of eq. 11.
 *
 * Time indexing: inputs x_t for t = 0..T-1; states h_t, b_t for t = 0..T with h_0 = b_0 = 0;
 * the readout y_t = W_out f(h_t - b_t) exists for t = 1..T. For every unit
 *
 *   u_t     = h_t - b_t,   r_t = f(u_t) = max(u_t, 0)                       (ReLU rates)
 *   h_{t+1} = α h_t + (1 - α) (W_rec r_t + W_in x_t)                         (seed 000, eq. 10/11)
 *   b_{t+1} = a ⊙ (β b_t + (1 - β) r_t)                                       (seed 000, eq. 11)
 *   y_t     = W_out r_t                                                       (seed 000, eq. 12)
 *
 * where a_i = 1 marks an adaptive-threshold unit and a_i = 0 a plain unit (whose b stays 0, so
 * eq. 11 reduces to eq. 10). α = e^{-dt/τ_m}, β = e^{-dt/τ_b}. Matrices are row-major
 * Float64Arrays: W_in is N x N_in, W_rec is N x N, W_out is N_out x N.
 */
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";

/** The fixed architecture of a network (everything except the trained weights). */
export interface RnnConfig {
  /** Number of recurrent units N. */
  n: number;
  /** Number of input channels N_in. */
  nIn: number;
  /** Number of readout units N_out. */
  nOut: number;
  /** Leak factor α = e^{-dt/τ_m} in [0, 1). Seed 000, A.3 uses α = 0. */
  alpha: number;
  /** Threshold decay β = e^{-dt/τ_b} in [0, 1) (used by adaptive units only). */
  beta: number;
  /** a_i ∈ {0, 1}: 1 for an adaptive-threshold unit (eq. 11), 0 for a plain unit (eq. 10). */
  adaptive: Uint8Array;
}

/** Trained weights, row-major: wIn N x N_in, wRec N x N, wOut N_out x N. */
export interface RnnParams {
  wIn: Float64Array;
  wRec: Float64Array;
  wOut: Float64Array;
}

/** One trial: inputs x (T x N_in, row t = x_t) and targets y (T x N_out, row t-1 = target of y_t). */
export interface Example {
  x: Float64Array;
  y: Float64Array;
}

/** The recorded forward pass of one trial: h_t, b_t, u_t, r_t for t = 0..T, each (T+1) x N. */
export interface Trajectory {
  steps: number;
  h: Float64Array;
  b: Float64Array;
  u: Float64Array;
  r: Float64Array;
  /** Readouts y_t for t = 1..T, row t-1 (T x N_out). */
  y: Float64Array;
}

/** Checks and builds a config. `nAdaptive` units (the last ones) get adaptive thresholds. */
export function rnnConfig(options: {
  n: number;
  nIn: number;
  nOut: number;
  alpha?: number;
  beta?: number;
  nAdaptive?: number;
}): RnnConfig {
  const fn = "rnnConfig";
  const n = requirePositiveInteger(fn, "n", options.n, 100_000);
  const nIn = requirePositiveInteger(fn, "nIn", options.nIn, 100_000);
  const nOut = requirePositiveInteger(fn, "nOut", options.nOut, 100_000);
  const alpha = requireInRange(fn, "alpha", options.alpha ?? 0, 0, 0.999999);
  const beta = requireInRange(fn, "beta", options.beta ?? 0, 0, 0.999999);
  const nAdaptive = options.nAdaptive ?? 0;
  if (!Number.isInteger(nAdaptive) || nAdaptive < 0 || nAdaptive > n) {
    throw new InvalidArgumentError(fn, "nAdaptive", `an integer in [0, ${n}]`, nAdaptive);
  }
  const adaptive = new Uint8Array(n);
  for (let i = n - nAdaptive; i < n; i++) adaptive[i] = 1;
  return { n, nIn, nOut, alpha, beta, adaptive };
}

/**
 * Random initial weights in the manner of RFLO (Murray 2019, ref. [12] of seed 000):
 * W_rec ~ N(0, g²/N), W_in ~ N(0, 1/N_in), W_out ~ N(0, 1/N). RFLO's g = 1.5 is meant for
 * bounded (tanh) units; with unbounded ReLU rates and α = 0 it makes activity grow over 50 steps
 * (initial pattern-task losses up to 1e4 on some seeds), so the default here is g = 1.
 */
export function initRnnParams(config: RnnConfig, seed: number, gain = 1): RnnParams {
  const rng = new Rng(seed);
  const { n, nIn, nOut } = config;
  return {
    wIn: rng.normals(n * nIn, 0, 1 / Math.sqrt(nIn)),
    wRec: rng.normals(n * n, 0, gain / Math.sqrt(n)),
    wOut: rng.normals(nOut * n, 0, 1 / Math.sqrt(n)),
  };
}

/** Number of input steps T of an example for this config (checked against the shapes). */
export function exampleSteps(config: RnnConfig, example: Example, fn = "exampleSteps"): number {
  const T = example.x.length / config.nIn;
  if (!Number.isInteger(T) || T <= 0) {
    throw new InvalidArgumentError(fn, "example.x", `a positive multiple of N_in = ${config.nIn} values`, {
      length: example.x.length,
    });
  }
  if (example.y.length !== T * config.nOut) {
    throw new InvalidArgumentError(fn, "example.y", `T x N_out = ${T * config.nOut} values`, {
      length: example.y.length,
    });
  }
  return T;
}

/** Runs eqs. 10-12 on one trial and records the trajectory. */
export function forward(config: RnnConfig, params: RnnParams, example: Example): Trajectory {
  const { n, nIn, nOut, alpha, beta, adaptive } = config;
  const T = exampleSteps(config, example, "forward");
  const { wIn, wRec, wOut } = params;
  const h = new Float64Array((T + 1) * n);
  const b = new Float64Array((T + 1) * n);
  const u = new Float64Array((T + 1) * n);
  const r = new Float64Array((T + 1) * n);
  const y = new Float64Array(T * nOut);
  const x = example.x;
  for (let t = 0; t <= T; t++) {
    const o = t * n;
    for (let i = 0; i < n; i++) {
      const ui = h[o + i]! - b[o + i]!;
      u[o + i] = ui;
      r[o + i] = ui > 0 ? ui : 0;
    }
    if (t > 0) {
      for (let k = 0; k < nOut; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += wOut[k * n + i]! * r[o + i]!;
        y[(t - 1) * nOut + k] = s;
      }
    }
    if (t === T) break;
    const p = o + n;
    for (let i = 0; i < n; i++) {
      let drive = 0;
      for (let j = 0; j < n; j++) drive += wRec[i * n + j]! * r[o + j]!;
      for (let j = 0; j < nIn; j++) drive += wIn[i * nIn + j]! * x[t * nIn + j]!;
      h[p + i] = alpha * h[o + i]! + (1 - alpha) * drive;
      b[p + i] = adaptive[i] ? beta * b[o + i]! + (1 - beta) * r[o + i]! : 0;
    }
  }
  return { steps: T, h, b, u, r, y };
}
