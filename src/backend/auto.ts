/**
 * `--backend auto`: the fastest backend that computes the run correctly on this machine.
 *
 * For a workload (a batch of runs of one compiled rule, the batch the caller is about to run),
 * every candidate backend is
 * 1. made (a backend that cannot be made here, e.g. webgpu without an adapter, is "unavailable");
 * 2. checked: the whole workload is started as the caller would start it (startNetwork, so on
 *    the engine the backend would really use) and run for one epoch; its first two runs are
 *    compared with the same runs on the float64 interpreter (the cpu backend's compiled path,
 *    src/ir/interpret.ts). Every state and both errors must agree within
 *    {@link conformanceTolerance}; a candidate that does not is "fails-conformance" and is
 *    never chosen (a batch of B runs equals B single runs, so the first two members are those
 *    runs);
 * 3. timed: on the same batch, the checked epoch being the warm-up (compilation, JIT, worker
 *    start), for n = 1 epoch and more (up to 8 times more per try) until one measurement lasts
 *    `budgetMs`, or at once when one epoch took more than twice the best time per epoch so far
 *    (it cannot win); ms per epoch of the whole batch is the measured time over n.
 * The candidate with the fewest ms per epoch is chosen (with one candidate, nothing is timed).
 * When no candidate passes, the cpu backend (the specification, the reference of the check) is
 * chosen, so the choice is always correct. The calibration is bounded: each candidate costs a
 * few epochs of the workload and about `budgetMs`.
 *
 * The outcome, a {@link BackendChoice}, says what was chosen and why, in one line for people
 * (`summary`) and per candidate for programs; commands print the line and record the object in
 * their results.
 */

import type { Backend, NetworkInit } from "./backend.ts";
import { cpuBackend } from "./cpu.ts";
import { startNetwork } from "./fast-path.ts";

/** Runs of the workload compared with the interpreter: two, so that a threaded backend splits them. */
const PROBE_RUNS = 2;

/** A backend that auto may choose: its registry name and how to make it. */
export interface BackendCandidate {
  readonly name: string;
  readonly make: () => Backend | Promise<Backend>;
}

/** What the calibration found about one candidate. */
export interface CandidateReport {
  name: string;
  status: "ok" | "fails-conformance" | "unavailable";
  /** Measured time of one epoch of the whole workload, in ms (ok candidates only). */
  msPerEpoch: number | null;
  /** Largest |x - reference| / max(1, max |reference|) over states and errors after the check's epoch. */
  deviation: number | null;
  /** The tolerance it was held to. */
  tolerance: number | null;
  /** Why it is unavailable or failed. */
  message?: string;
}

/** The choice `auto` made, with its reasons. */
export interface BackendChoice {
  requested: "auto";
  chosen: string;
  /** One line: "backend auto -> cpu-wasm (0.33 ms/epoch; cpu 1.1, webgpu unavailable)". */
  summary: string;
  /** Whether the choice was read from the calibration cache (src/backend/auto-cache.ts). */
  cached: boolean;
  /** Time the calibration took, in seconds (0 when cached). */
  seconds: number;
  candidates: CandidateReport[];
}

export interface CalibrationOptions {
  /** Minimum duration of the timed measurement per candidate, in ms (default 60). */
  budgetMs?: number;
  /** Forwarded to startNetwork (default: the backend's faster engine). */
  fastPath?: boolean;
}

/**
 * The relative tolerance of the check after one epoch on a backend of `dtype`.
 *
 * Argument: one step of a compiled rule evaluates products and sums whose longest contraction is
 * at most L (the largest size of the rule: a matmul over a dimension, a sum over a minibatch), so
 * each value it produces carries a relative rounding error of at most gamma_L ~ L u (Higham,
 * Accuracy and Stability, eq. 3.4), plus a few u per elementwise operation and transcendental
 * (bounded by 20 u together, as in the float32 chains of test/backend/rounding-chain.ts). Over
 * the `steps` minibatch steps of one epoch these add at most linearly as long as the step is not
 * expanding over one epoch (a small learning rate, renormalized states): steps (2L + 20) u, with
 * the factor 2 for the forward and the backward contraction. u = 2^-53 for float64, 2^-24 for
 * float32. A correct backend that only orders its sums differently stays within it; a wrong
 * kernel is off by O(1).
 */
export function conformanceTolerance(init: NetworkInit, dtype: Backend["dtype"]): number {
  const { rule } = init;
  const steps = rule.samples ? rule.samples.train / rule.minibatch : 1;
  const L = Math.max(1, ...Object.values(rule.sizes));
  const u = dtype === "float64" ? 2 ** -53 : 2 ** -24;
  return steps * (2 * L + 20) * u;
}

/** max |a - b| / max(1, max |b|); Infinity when shapes differ or a value is not finite where b's is. */
function relativeDeviation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = 1;
  for (let q = 0; q < b.length; q++) if (Number.isFinite(b[q]!)) scale = Math.max(scale, Math.abs(b[q]!));
  let worst = 0;
  for (let q = 0; q < b.length; q++) {
    const x = a[q]!;
    const y = b[q]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const d = Math.abs(x - y);
    if (!Number.isFinite(d)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, d / scale);
  }
  return worst;
}

/** Per state, the first `count` members of its [B, rows, cols] array; then the errors' first `count`. */
function firstMembers(
  init: NetworkInit,
  states: readonly Float64Array[],
  errors: { train: Float64Array; test: Float64Array },
  count: number,
): Float64Array[] {
  const sizes = init.rule.states.map((x) => x.rows * x.cols);
  return [
    ...states.map((a, k) => a.subarray(0, count * sizes[k]!)),
    errors.train.subarray(0, count),
    errors.test.subarray(0, count),
  ];
}

/** States and errors of `init`'s first `count` runs after one epoch on the cpu backend's interpreter. */
async function referenceEpoch(init: NetworkInit, count: number): Promise<Float64Array[]> {
  const probe = {
    rule: init.rule,
    runs: init.runs.slice(0, count),
    ...(init.norms ? { norms: init.norms.map((n) => n.slice(0, count)) } : {}),
  };
  const { batch } = startNetwork(cpuBackend(), probe, { fastPath: false });
  try {
    batch.advance(1);
    const errors = await batch.errors();
    return firstMembers(init, await batch.readStates(), errors, count);
  } finally {
    batch.dispose();
  }
}

/**
 * Checks and times `backend` on one batch of the whole workload (see the module comment): its
 * first epoch is the check of the first `count` runs against `reference` and the warm-up.
 * Returns the deviation, and the ms per epoch when the check passed and `timing` is set.
 */
async function checkAndTime(
  backend: Backend,
  init: NetworkInit,
  reference: readonly Float64Array[],
  count: number,
  o: { tolerance: number; budgetMs: number; best: number; timing: boolean; fastPath: boolean | undefined },
): Promise<{ deviation: number; msPerEpoch: number | null }> {
  const { batch } = startNetwork(backend, init, o.fastPath === undefined ? {} : { fastPath: o.fastPath });
  try {
    batch.advance(1);
    const errors = await batch.errors();
    const got = firstMembers(init, await batch.readStates(), errors, count);
    const deviation = Math.max(0, ...got.map((a, k) => relativeDeviation(a, reference[k]!)));
    if (!(deviation <= o.tolerance) || !o.timing) return { deviation, msPerEpoch: null };
    // failures() reads back from the backend, so the time includes queued (GPU) work.
    const timed = async (n: number) => {
      const t0 = performance.now();
      batch.advance(n);
      await batch.failures();
      return performance.now() - t0;
    };
    let n = 1;
    let t = await timed(n);
    // Twice as slow as the best so far over one whole epoch: it cannot win, stop here.
    while (t < o.budgetMs && t <= 2 * o.best) {
      // Aim past the budget from the last rate (at most 8 times more epochs per try).
      n = Math.min(8 * n, Math.max(2 * n, Math.ceil((1.2 * o.budgetMs * n) / Math.max(t, 1e-3))));
      t = await timed(n);
    }
    return { deviation, msPerEpoch: t / n };
  } finally {
    batch.dispose();
  }
}

/** Frees a backend made for the calibration only (a GPU device, worker threads). */
export function releaseBackend(backend: Backend): void {
  (backend as { destroy?: () => void }).destroy?.();
}

/**
 * Calibrates `candidates` on `init` and returns the choice and the chosen backend (the other
 * backends made here are released).
 */
export async function calibrateBackends(
  init: NetworkInit,
  candidates: readonly BackendCandidate[],
  options: CalibrationOptions = {},
): Promise<{ choice: BackendChoice; backend: Backend }> {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? 60;
  const timing = candidates.length > 1;
  const count = Math.min(init.runs.length, PROBE_RUNS);
  const reference = await referenceEpoch(init, count);
  const reports: CandidateReport[] = [];
  let best: { backend: Backend; ms: number } | undefined;
  for (const candidate of candidates) {
    let backend: Backend;
    try {
      backend = await candidate.make();
    } catch (e) {
      reports.push({
        name: candidate.name,
        status: "unavailable",
        msPerEpoch: null,
        deviation: null,
        tolerance: null,
        message: (e as Error).message,
      });
      continue;
    }
    const tolerance = conformanceTolerance(init, backend.dtype);
    let outcome: { deviation: number | null; msPerEpoch: number | null; message?: string };
    try {
      outcome = await checkAndTime(backend, init, reference, count, {
        tolerance,
        budgetMs,
        best: best?.ms ?? Number.POSITIVE_INFINITY,
        timing,
        fastPath: options.fastPath,
      });
    } catch (e) {
      // A backend that cannot run this rule (or crashed on it) is not a correct choice.
      outcome = { deviation: null, msPerEpoch: null, message: (e as Error).message };
    }
    const { deviation, msPerEpoch } = outcome;
    if (deviation === null || !(deviation <= tolerance)) {
      const message =
        outcome.message ??
        `deviates from the float64 interpreter by ${deviation!.toExponential(2)} after one epoch (tolerance ${tolerance.toExponential(2)})`;
      reports.push({
        name: candidate.name,
        status: "fails-conformance",
        msPerEpoch: null,
        deviation,
        tolerance,
        message,
      });
      releaseBackend(backend);
      continue;
    }
    reports.push({ name: candidate.name, status: "ok", msPerEpoch, deviation, tolerance });
    if (best === undefined || (msPerEpoch ?? 0) < best.ms) {
      if (best) releaseBackend(best.backend);
      best = { backend, ms: msPerEpoch ?? 0 };
    } else {
      releaseBackend(backend);
    }
  }
  const chosen = best?.backend ?? cpuBackend();
  const choice: BackendChoice = {
    requested: "auto",
    chosen: chosen.name,
    summary: choiceSummary(chosen.name, reports, false),
    cached: false,
    seconds: (performance.now() - started) / 1000,
    candidates: reports,
  };
  return { choice, backend: chosen };
}

/** "backend auto -> NAME (x ms/epoch; other y, webgpu unavailable, z fails conformance)". */
export function choiceSummary(chosen: string, reports: readonly CandidateReport[], cached: boolean): string {
  const ms = (x: number) => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2));
  const own = reports.find((r) => r.name === chosen);
  const others = reports
    .filter((r) => r.name !== chosen)
    .map((r) =>
      r.status === "ok"
        ? `${r.name} ${ms(r.msPerEpoch!)}`
        : r.status === "unavailable"
          ? `${r.name} unavailable`
          : `${r.name} fails conformance`,
    );
  const head =
    own === undefined
      ? "the reference, no candidate passed the check"
      : own.msPerEpoch !== null
        ? `${ms(own.msPerEpoch)} ms/epoch`
        : "the only candidate, checked";
  const parts = [
    head,
    ...(others.length > 0 ? [others.join(", ")] : []),
    ...(cached ? ["cached calibration"] : []),
  ];
  return `backend auto -> ${chosen} (${parts.join("; ")})`;
}
