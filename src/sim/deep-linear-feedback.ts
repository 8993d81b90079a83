/**
 * Updated and fixed random feedback (URFB, FRFB) in deep linear networks, seed 003 section 3.2:
 * weights W_i in R^{n_i x n_{i-1}} (i = 1..k), feedback matrices R_i in R^{n_{i-1} x n_i}
 * (i = 2..k), target map T in R^{n_k x n_0}, error e = T - W_k ... W_1, and the Euler steps
 *
 *   Delta W_i = eta * (R_{i+1} ... R_k e) (W_{i-1} ... W_1)^T,     Delta R_i = epsilon * Delta W_i^T,
 *
 * (seed 003 eqs. 7, 11, 15). epsilon = 0 is FRFB, epsilon = 1 URFB. Because R_i moves with W_i,
 * R_i(t) = R_i(0) + epsilon (W_i(t) - W_i(0))^T; seed 003 eq. 15 writes R_i(0) + epsilon W_i^T,
 * which is the same only when W_i(0) = 0 (the case its analysis assumes). With W_i(0) != 0 the
 * literal eq. 15 does not give back-propagation for R_i(0) = W_i(0)^T, epsilon = 1, as its
 * section 3.3 states; the form used here does (tested).
 *
 * All S runs (one per seed) are advanced together with the backend's batched matrix products.
 */
import type { Backend, Tensor } from "../backend/backend.ts";
import { concatenate } from "../util/concatenate.ts";
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { Rng } from "../util/random.ts";

/** One batch of deep linear runs. */
export interface DeepLinearSpec {
  /** Layer widths n_0 (input), n_1, ..., n_k (output); k >= 2. */
  widths: number[];
  /** epsilon in [0, 1]: 0 = FRFB, 1 = URFB (seed 003 eq. 11). */
  epsilon: number;
  /** Euler step eta > 0. */
  stepSize: number;
  /** How the forward weights start: all zero (seed 003 Fig. 4) or random N(0, scale^2 / n_{i-1}). */
  initialWeights: "zero" | "random";
  /** Scale of random initial weights (default 1). */
  weightScale?: number;
  /** Feedback at start: random N(0, feedbackScale^2 / n_i), or W_i(0)^T (back-propagation). */
  initialFeedback: "random" | "transpose";
  /** Scale of the random feedback (default 1). */
  feedbackScale?: number;
  /** Use the literal seed 003 eq. 15 feedback R_i(0) + epsilon W_i^T instead of R_i(0) + epsilon (W_i - W_i(0))^T. */
  literalEquation15?: boolean;
}

/** Per-seed initial matrices of one run, drawn on the host. */
export interface DeepLinearDraw {
  target: Float64Array; // [n_k, n_0]
  weights: Float64Array[]; // W_i, [n_i, n_{i-1}]
  feedback: Float64Array[]; // R_i for i = 2..k (index i-2), [n_{i-1}, n_i]
}

/**
 * The target T = A_k ... A_1 with A_i iid N(0, 1/n_{i-1}) (seed 003 section 3.3 builds T as a
 * product of random matrices), initial weights and feedback, from independent streams of
 * `seed` so that runs with different epsilon and the same seed are paired.
 */
export function drawDeepLinear(spec: DeepLinearSpec, seed: number): DeepLinearDraw {
  const w = spec.widths;
  const k = w.length - 1;
  const root = new Rng(seed);
  const targetRng = root.fork(1);
  let target = identity(w[0]!);
  for (let i = 1; i <= k; i++) {
    const A = targetRng.normals(w[i]! * w[i - 1]!, 0, 1 / Math.sqrt(w[i - 1]!));
    target = multiply(A, target, w[i]!, w[i - 1]!, w[0]!);
  }
  const weightRng = root.fork(2);
  const weights = Array.from({ length: k }, (_, j) => {
    const n = w[j + 1]! * w[j]!;
    return spec.initialWeights === "zero"
      ? new Float64Array(n)
      : weightRng.normals(n, 0, (spec.weightScale ?? 1) / Math.sqrt(w[j]!));
  });
  const feedbackRng = root.fork(3);
  const feedback = Array.from({ length: k - 1 }, (_, j) => {
    const i = j + 2; // R_i, [n_{i-1}, n_i]
    if (spec.initialFeedback === "transpose") return transpose(weights[i - 1]!, w[i]!, w[i - 1]!);
    return feedbackRng.normals(w[i - 1]! * w[i]!, 0, (spec.feedbackScale ?? 1) / Math.sqrt(w[i]!));
  });
  return { target, weights, feedback };
}

function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

function multiply(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let l = 0; l < k; l++) {
      const x = a[i * k + l]!;
      for (let j = 0; j < n; j++) out[i * n + j]! += x * b[l * n + j]!;
    }
  return out;
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}

/** Squared Frobenius error ||T - W_k ... W_1||_F^2 of each run at the recorded iterations. */
export interface DeepLinearResult {
  iterations: number[];
  /** error[s][r]: run s (seed order) at iterations[r]. */
  error: number[][];
  /** Final W_i, [S, n_i, n_{i-1}] each (i = 1..k). */
  weights: Float64Array[];
  /** Final R_i, [S, n_{i-1}, n_i] each (i = 2..k). */
  feedback: Float64Array[];
}

/**
 * Runs seed 003 eq. 15 (in the form described in the file comment) for every seed, batched on
 * the backend, recording the squared error at `record` iterations (sorted, >= 0).
 */
export async function runDeepLinearFeedback(
  backend: Backend,
  spec: DeepLinearSpec,
  seeds: number[],
  record: number[],
): Promise<DeepLinearResult> {
  if (seeds.length === 0)
    throw new InvalidArgumentError("runDeepLinearFeedback", "seeds", "at least one seed", seeds);
  return runDeepLinearDraws(
    backend,
    spec,
    seeds.map((s) => drawDeepLinear(spec, s)),
    record,
  );
}

/**
 * The same from given initial matrices (one draw per run; spec.initialWeights and
 * initialFeedback are not used), e.g. to compare with another implementation from equal starts.
 */
export async function runDeepLinearDraws(
  backend: Backend,
  spec: DeepLinearSpec,
  draws: readonly DeepLinearDraw[],
  record: number[],
): Promise<DeepLinearResult> {
  const fn = "runDeepLinearFeedback";
  const w = spec.widths;
  if (!Array.isArray(w) || w.length < 3)
    throw new InvalidArgumentError(fn, "widths", "at least 3 layer widths (k >= 2)", w);
  w.forEach((n, i) => {
    requirePositiveInteger(fn, `widths[${i}]`, n, 100_000);
  });
  requireInRange(fn, "epsilon", spec.epsilon, 0, 1);
  requireInRange(fn, "stepSize", spec.stepSize, 1e-300, 1e6);
  if (draws.length === 0) throw new InvalidArgumentError(fn, "draws", "at least one run", draws.length);
  const k = w.length - 1;
  const S = draws.length;
  draws.forEach((d, s) => {
    const lengths = [
      ["target", d.target, w[k]! * w[0]!],
      ...d.weights.map((x, j) => [`weights[${j}]`, x, w[j + 1]! * w[j]!] as const),
      ...d.feedback.map((x, j) => [`feedback[${j}]`, x, w[j + 1]! * w[j + 2]!] as const),
    ] as const;
    if (d.weights.length !== k || d.feedback.length !== k - 1) {
      throw new InvalidArgumentError(fn, `draws[${s}]`, `${k} weights and ${k - 1} feedback matrices`, [
        d.weights.length,
        d.feedback.length,
      ]);
    }
    for (const [name, x, n] of lengths) {
      if (x.length !== n) throw new InvalidArgumentError(fn, `draws[${s}].${name}`, `${n} entries`, x.length);
    }
  });
  const T = backend.tensor(concatenate(draws.map((d) => d.target)), [S, w[k]!, w[0]!]);
  let W = Array.from({ length: k }, (_, j) =>
    backend.tensor(concatenate(draws.map((d) => d.weights[j]!)), [S, w[j + 1]!, w[j]!]),
  );
  // The literal eq. 15 feedback R_i(0) + epsilon W_i^T equals the incremental form started from
  // R_i(0) + epsilon W_i(0)^T.
  let R = Array.from({ length: k - 1 }, (_, j) => {
    const parts = draws.map((d) => {
      const r = Float64Array.from(d.feedback[j]!);
      if (spec.literalEquation15) {
        const wt = transpose(d.weights[j + 1]!, w[j + 2]!, w[j + 1]!);
        for (let q = 0; q < r.length; q++) r[q]! += spec.epsilon * wt[q]!;
      }
      return r;
    });
    return backend.tensor(concatenate(parts), [S, w[j + 1]!, w[j + 2]!]);
  });
  const last = Math.max(0, ...record);
  const recordSet = new Set(record);
  const result: DeepLinearResult = { iterations: [], error: draws.map(() => []), weights: [], feedback: [] };

  for (let t = 0; t <= last; t++) {
    // Forward products P_i = W_i ... W_1 (P_1 = W_1).
    const P: Tensor[] = [W[0]!];
    for (let i = 1; i < k; i++) P.push(backend.matmul(W[i]!, P[i - 1]!));
    const e = backend.combine(T, P[k - 1]!, "subtract");
    if (recordSet.has(t)) {
      const rows = await backend.read(backend.reduce(e, "sumOfSquares"));
      result.iterations.push(t);
      for (let s = 0; s < S; s++) {
        let total = 0;
        for (let r = 0; r < w[k]!; r++) total += rows[s * w[k]! + r]!;
        result.error[s]!.push(total);
      }
    }
    if (t === last) break;
    // Backward signals B_k = e, B_i = R_{i+1} B_{i+1}; Delta W_i = eta B_i P_{i-1}^T.
    const Bsig: Tensor[] = new Array(k);
    Bsig[k - 1] = e;
    for (let i = k - 2; i >= 0; i--) Bsig[i] = backend.matmul(R[i]!, Bsig[i + 1]!);
    const dW = Bsig.map((b, i) =>
      backend.scale(i === 0 ? b : backend.matmul(b, P[i - 1]!, { transposeB: true }), spec.stepSize),
    );
    W = W.map((x, i) => backend.combine(x, dW[i]!, "add"));
    if (spec.epsilon > 0) {
      // Delta R_i = epsilon Delta W_i^T = epsilon eta P_{i-1} B_i^T (seed 003 eq. 7).
      R = R.map((r, j) => {
        const dRt = backend.matmul(P[j]!, Bsig[j + 1]!, { transposeB: true });
        return backend.combine(r, backend.scale(dRt, spec.epsilon * spec.stepSize), "add");
      });
    }
  }
  for (const x of W) result.weights.push(await backend.read(x));
  for (const r of R) result.feedback.push(await backend.read(r));
  return result;
}
