/**
 * Runs student-teacher simulations (src/sim/student-teacher.ts) on a backend, batched, and
 * measures what seed 001 section 5 reports: train and test error at log-spaced epochs, peak
 * error, the order parameter q (eq. 15) and the weight autocorrelation and principal components
 * over a final window, and the largest Lyapunov exponent of the weight dynamics.
 *
 * Lyapunov exponent (Benettin's method): each simulation gets a twin in the same batch with the
 * same data, signs and minibatch order, started at distance d0 from it along a random direction.
 * Every `interval` epochs the distance d between the two weight vectors (W1 and W2 together) is
 * measured, log(d / d0) is accumulated (after a burn-in), and the twin is put back at distance
 * d0 along the current separation. The exponent is the accumulated log divided by the epochs it
 * covers (per epoch). Positive: nearby trajectories separate (chaos); negative: they converge.
 *
 * A member that fails (non-finite weights) is reported with its epoch; the rest go on.
 */
import type { Backend, StudentTeacherInit } from "../backend/backend.ts";
import { blockNorms } from "../backend/validate.ts";
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import {
  logSpacedEpochs,
  OrderParameter,
  type PrincipalProjection,
  principalProjection,
  weightAutocorrelation,
} from "./observables.ts";
import { checkSpec, drawMember, packBatch, type StudentTeacherSpec } from "./student-teacher.ts";

/** What to measure and for how long. */
export interface SimulationOptions {
  /** Number of epochs (>= 1). */
  epochs: number;
  /** Number of log-spaced epochs at which errors are recorded (default 40). */
  recordCount?: number;
  /** Fraction of the final epochs over which q, autocorrelation and PCA are taken (default 0.2). */
  window?: number;
  /** Weight snapshots in that window (default 50; at most one per epoch). */
  windowSamples?: number;
  /** Whether to estimate the largest Lyapunov exponent (default true). */
  lyapunov?: boolean;
  /** Initial and reset separation d0 of the twin trajectory (default 1e-7). */
  lyapunovSeparation?: number;
  /** Epochs between renormalizations of the twin (default 10). */
  lyapunovInterval?: number;
  /** Fraction of the epochs skipped before accumulating the exponent (default 0.5). */
  lyapunovBurnIn?: number;
  /** Called after each advance with the epochs done so far (for progress bars). */
  onProgress?: (epochsDone: number, epochsTotal: number) => void;
}

/** The measurements of one simulation. */
export interface SimulationResult {
  spec: StudentTeacherSpec;
  epochs: number[];
  trainError: number[];
  testError: number[];
  /** Largest recorded test and train errors (seed 001 Fig. 4b). */
  peakTestError: number;
  peakTrainError: number;
  /** q of seed 001 eq. 15 over the final window. */
  q: number;
  /** Autocorrelation C(tau) over the final window, lags in epochs. */
  autocorrelation: { lags: number[]; values: number[] };
  /** First two principal components of the weights over the final window. */
  pca: PrincipalProjection & { epochs: number[] };
  /** Largest Lyapunov exponent per epoch, or null when not measured or undefined. */
  lyapunov: number | null;
  /** The epoch at which the simulation failed (non-finite weights), or null. */
  failedAtEpoch: number | null;
}

/** The fields that must agree for specs to share one backend batch. */
function batchKey(s: StudentTeacherSpec): string {
  const feedback = s.rule === "feedback-alignment" ? "fixed" : "readout";
  return [
    s.inputs,
    s.hidden,
    s.activation,
    feedback,
    s.trainCount,
    s.testCount,
    s.batchSize,
    s.learningRate,
    s.renormalize,
  ].join("|");
}

/** Evenly spaced snapshot epochs ending at `epochs`, covering the final `window` fraction. */
function windowEpochs(epochs: number, window: number, samples: number): number[] {
  const length = Math.max(1, Math.round(window * epochs));
  const spacing = Math.max(1, Math.floor(length / Math.max(samples - 1, 1)));
  const count = Math.min(samples, Math.floor(length / spacing) + 1);
  return Array.from({ length: count }, (_, k) => epochs - (count - 1 - k) * spacing).filter((t) => t >= 0);
}

/** The largest finite value (NaN if none). */
function finiteMax(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? Math.max(...finite) : Number.NaN;
}

/** Runs every spec (grouped into batches that share sizes and rates) and measures it. */
export async function simulate(
  backend: Backend,
  specs: StudentTeacherSpec[],
  options: SimulationOptions,
): Promise<SimulationResult[]> {
  const fn = "simulate";
  if (specs.length === 0) throw new InvalidArgumentError(fn, "specs", "at least one simulation", 0);
  specs.forEach((s, i) => {
    checkSpec(`${fn} (spec ${i})`, s);
  });
  requirePositiveInteger(fn, "epochs", options.epochs, 1e9);
  const groups = new Map<string, number[]>();
  specs.forEach((s, i) => {
    const key = batchKey(s);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const results: SimulationResult[] = new Array(specs.length);
  for (const indices of groups.values()) {
    const batchResults = await simulateBatch(
      backend,
      indices.map((i) => specs[i]!),
      options,
    );
    indices.forEach((i, k) => {
      results[i] = batchResults[k]!;
    });
  }
  return results;
}

/** One backend batch of specs that share sizes and rates (twins appended for Lyapunov). */
async function simulateBatch(
  backend: Backend,
  specs: StudentTeacherSpec[],
  options: SimulationOptions,
): Promise<SimulationResult[]> {
  const fn = "simulate";
  const E = options.epochs;
  const recordCount = requirePositiveInteger(fn, "recordCount", options.recordCount ?? 40);
  const window = requireInRange(fn, "window", options.window ?? 0.2, 0, 1);
  const windowSamples = requirePositiveInteger(fn, "windowSamples", options.windowSamples ?? 50);
  const withLyapunov = options.lyapunov ?? true;
  const d0 = requireInRange(fn, "lyapunovSeparation", options.lyapunovSeparation ?? 1e-7, 1e-300, 1);
  const interval = requirePositiveInteger(fn, "lyapunovInterval", options.lyapunovInterval ?? 10);
  const burnIn = Math.round(requireInRange(fn, "lyapunovBurnIn", options.lyapunovBurnIn ?? 0.5, 0, 1) * E);

  const B = specs.length;
  const spec0 = specs[0]!;
  const M = spec0.inputs;
  const N = spec0.hidden;
  const D = N * M + N;
  const members = specs.map(drawMember);
  const packed = packBatch(spec0, members);
  let init: StudentTeacherInit = packed;
  if (withLyapunov) {
    // Twins: same data and order, target norms of the original, weights moved by d0.
    const twinsW1 = Float64Array.from(packed.w1);
    const twinsW2 = Float64Array.from(packed.w2);
    specs.forEach((s, b) => {
      const rng = new Rng(s.seed).fork(7);
      const dir = rng.normals(D);
      const scale = d0 / Math.hypot(...dir);
      for (let q = 0; q < N * M; q++) twinsW1[b * N * M + q]! += scale * dir[q]!;
      for (let q = 0; q < N; q++) twinsW2[b * N + q]! += scale * dir[N * M + q]!;
    });
    const twice = (a: Float64Array, extra?: Float64Array) => {
      const out = new Float64Array(2 * a.length);
      out.set(a);
      out.set(extra ?? a, a.length);
      return out;
    };
    const norm1 = blockNorms(packed.w1, B, N * M);
    const norm2 = blockNorms(packed.w2, B, N);
    init = {
      ...packed,
      size: 2 * B,
      trainInputs: twice(packed.trainInputs),
      trainTargets: twice(packed.trainTargets),
      testInputs: twice(packed.testInputs),
      testTargets: twice(packed.testTargets),
      w1: twice(packed.w1, twinsW1),
      w2: twice(packed.w2, twinsW2),
      d1: twice(packed.d1),
      d2: twice(packed.d2),
      feedbackWeights: twice(packed.feedbackWeights!),
      shuffleSeeds: Uint32Array.from([...packed.shuffleSeeds, ...packed.shuffleSeeds]),
      norm1: twice(norm1),
      norm2: twice(norm2),
    };
  }
  const batch = backend.studentTeacher(init);

  const record = logSpacedEpochs(E, Math.max(2, recordCount));
  const snapshotsAt = windowEpochs(E, window, windowSamples);
  const events = new Set<number>([...record, ...snapshotsAt]);
  if (withLyapunov) for (let t = interval; t <= E; t += interval) events.add(t);
  const schedule = [...events].sort((a, b) => a - b);
  const recordSet = new Set(record);
  const snapshotSet = new Set(snapshotsAt);

  const trainError = specs.map(() => [] as number[]);
  const testError = specs.map(() => [] as number[]);
  const orderParameters = specs.map(() => new OrderParameter(D));
  const snapshots = specs.map(() => [] as Float32Array[]);
  const logSum = new Float64Array(B);
  let logEpochs = 0;

  for (const t of schedule) {
    batch.advance(t - batch.epoch);
    options.onProgress?.(t, E);
    if (recordSet.has(t)) {
      const errors = await batch.errors();
      for (let b = 0; b < B; b++) {
        trainError[b]!.push(errors.train[b]!);
        testError[b]!.push(errors.test[b]!);
      }
    }
    const needWeights = snapshotSet.has(t) || (withLyapunov && t > 0 && t % interval === 0);
    if (!needWeights) continue;
    const { w1, w2 } = await batch.readWeights();
    if (snapshotSet.has(t)) {
      for (let b = 0; b < B; b++) {
        const w = new Float32Array(D);
        for (let q = 0; q < N * M; q++) w[q] = w1[b * N * M + q]!;
        for (let q = 0; q < N; q++) w[N * M + q] = w2[b * N + q]!;
        snapshots[b]!.push(w);
        const exact = new Float64Array(D);
        exact.set(w1.subarray(b * N * M, (b + 1) * N * M));
        exact.set(w2.subarray(b * N, (b + 1) * N), N * M);
        orderParameters[b]!.add(exact);
      }
    }
    if (withLyapunov && t > 0 && t % interval === 0) {
      if (t > burnIn) logEpochs += interval;
      for (let b = 0; b < B; b++) {
        const o1 = b * N * M;
        const t1 = (B + b) * N * M;
        const o2 = b * N;
        const t2 = (B + b) * N;
        let d2 = 0;
        for (let q = 0; q < N * M; q++) d2 += (w1[t1 + q]! - w1[o1 + q]!) ** 2;
        for (let q = 0; q < N; q++) d2 += (w2[t2 + q]! - w2[o2 + q]!) ** 2;
        const d = Math.sqrt(d2);
        if (t > burnIn) logSum[b]! += Math.log(d / d0);
        const c = d > 0 ? d0 / d : 0;
        for (let q = 0; q < N * M; q++) w1[t1 + q] = w1[o1 + q]! + c * (w1[t1 + q]! - w1[o1 + q]!);
        for (let q = 0; q < N; q++) w2[t2 + q] = w2[o2 + q]! + c * (w2[t2 + q]! - w2[o2 + q]!);
      }
      batch.writeWeights(w1, w2);
    }
  }
  const failures = await batch.failures();
  batch.dispose();

  return specs.map((spec, b) => {
    const snaps = snapshots[b]!;
    const failed = failures[b]! >= 0;
    const twinFailed = withLyapunov && failures[B + b]! >= 0;
    const usable = !failed && snaps.every((w) => w.every(Number.isFinite));
    const autoValues =
      usable && snaps.length >= 2 ? weightAutocorrelation(snaps, Math.floor(snaps.length / 2)) : [];
    const spacing = snapshotsAt.length >= 2 ? snapshotsAt[1]! - snapshotsAt[0]! : 0;
    const pca =
      usable && snaps.length >= 3
        ? principalProjection(snaps)
        : { pc1: [], pc2: [], explained: [Number.NaN, Number.NaN] as [number, number] };
    const lyap = withLyapunov && logEpochs > 0 && !failed && !twinFailed ? logSum[b]! / logEpochs : null;
    return {
      spec,
      epochs: record,
      trainError: trainError[b]!,
      testError: testError[b]!,
      peakTestError: finiteMax(testError[b]!),
      peakTrainError: finiteMax(trainError[b]!),
      q: usable ? orderParameters[b]!.value() : Number.NaN,
      autocorrelation: { lags: autoValues.map((_, k) => k * spacing), values: autoValues },
      pca: { ...pca, epochs: snapshotsAt.slice(0, snaps.length) },
      lyapunov: lyap !== null && Number.isFinite(lyap) ? lyap : null,
      failedAtEpoch: failed ? failures[b]! : null,
    };
  });
}
