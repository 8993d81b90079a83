/**
 * Runs of network rules (rule files, src/rules/network; compiled by src/ir) on a backend, batched,
 * and what seed 001 section 5 measures of them: the rule's error over the training and the test
 * set at log-spaced epochs, the peak errors, the order parameter q (eq. 15) and the weight
 * autocorrelation and principal components over a final window (all states concatenated in
 * declaration order), and the largest Lyapunov exponent of the state dynamics.
 *
 * Runs that share a model (src/sim/rule-run.ts: one compiled program, same sizes and choices)
 * run as one batch, started with startNetwork (src/backend/fast-path.ts): the compiled path, or
 * the fused student-teacher kernel for the built-in two-layer rules (split further so that each
 * fused batch has one learning rate). Parameters may differ per run within a batch.
 *
 * Lyapunov exponent (Benettin's method, src/sim/lyapunov-twins.ts): each run gets a twin in the
 * same batch that shares every drawn ingredient and starts at distance d0 along a random
 * direction. Every `interval` epochs the distance d between the two (all states together) is
 * measured, log(d / d0) is accumulated (after a burn-in), and the twin is put back at distance d0
 * along the current separation. The exponent is the accumulated log divided by the epochs it
 * covers (per epoch). Positive: nearby trajectories separate (chaos); negative: they converge.
 *
 * A run that fails (a state norm not finite, or 0 for a renormalized state) is reported with the
 * epoch where it happened; the rest of its batch goes on. A run that cannot start (a drawn value
 * or an initial state norm not finite, e.g. an initial scale of 1e300) fails at epoch 0 alone.
 * Before anything is drawn, the memory the runs hold is estimated (src/sim/memory-bound.ts) and
 * a batch that would not fit is refused with both amounts.
 *
 * `simulate` keeps the StudentTeacherSpec interface of seed 001's two-layer model: each spec is a
 * run of rules/gradient-descent, curl-descent or feedback-alignment (src/sim/student-teacher.ts),
 * with the results the hand-written simulator gave, bit for bit on the CPU.
 */
import type { Backend } from "../backend/backend.ts";
import { frobeniusNorm } from "../backend/check-network-init.ts";
import {
  fusedBatchKey,
  matchStudentTeacher,
  type NetworkEngine,
  startNetwork,
  usesFusedKernel,
} from "../backend/fast-path.ts";
import type { RunData } from "../ir/draw.ts";
import { drawRuns, type NetworkModel } from "../ir/model.ts";
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { groupIndices } from "../util/group-indices.ts";
import { separateTwins, twinRun } from "./lyapunov-twins.ts";
import { bytesPerRun, requireMemory } from "./memory-bound.ts";
import {
  logSpacedEpochs,
  OrderParameter,
  type PrincipalProjection,
  principalProjection,
  weightAutocorrelation,
} from "./observables.ts";
import { missingObservables, type RuleRun, type RunIdentity } from "./rule-run.ts";
import { checkSpec, type StudentTeacherSpec, studentTeacherRun } from "./student-teacher.ts";

/** What to measure and for how long. */
export interface SimulationOptions {
  /** Number of epochs (>= 1). */
  epochs: number;
  /** Number of log-spaced epochs at which errors are recorded (default 40). */
  recordCount?: number;
  /** The epochs at which errors are recorded instead (increasing integers in [0, epochs]). */
  recordAt?: readonly number[];
  /** Fraction of the final epochs over which q, autocorrelation and PCA are taken (default 0.2). */
  window?: number;
  /** State snapshots in that window (default 50; at most one per epoch). */
  windowSamples?: number;
  /** Whether to estimate the largest Lyapunov exponent (default true). */
  lyapunov?: boolean;
  /** Initial and reset separation d0 of the twin trajectory (default 1e-7; 1e-3 on float32 backends). */
  lyapunovSeparation?: number;
  /** Epochs between renormalizations of the twin (default 10). */
  lyapunovInterval?: number;
  /** Fraction of the epochs skipped before accumulating the exponent (default 0.5). */
  lyapunovBurnIn?: number;
  /**
   * Whether the built-in two-layer rules run on the fused kernel: true always, false never, by
   * default where it is the faster engine of the backend (src/backend/fast-path.ts).
   */
  fastPath?: boolean;
  /** Bytes the runs may use (default: the memory the operating system reports as available). */
  availableMemory?: number;
  /**
   * Called after each advance with the epochs done so far in the current batch, and which batch
   * of how many it is (for progress bars).
   */
  onProgress?: (epochsDone: number, epochsTotal: number, batch: { index: number; count: number }) => void;
}

/** The measurements of one run of a network rule. */
export interface RunSimulation extends RunIdentity {
  /** Epochs at which the errors were recorded. */
  epochs: number[];
  /** The rule's error over the training set (the error of the states for a rule without data); null without an error. */
  trainError: number[] | null;
  /** The error over the test set; null for a rule without an error or without data. */
  testError: number[] | null;
  /** Largest recorded errors (seed 001 Fig. 4b), NaN when none is finite; null where not recorded. */
  peakTrainError: number | null;
  peakTestError: number | null;
  /** q of seed 001 eq. 15 over the final window (all states concatenated). */
  q: number;
  /** Autocorrelation C(tau) over the final window, lags in epochs. */
  autocorrelation: { lags: number[]; values: number[] };
  /** First two principal components of the states over the final window. */
  pca: PrincipalProjection & { epochs: number[] };
  /** Largest Lyapunov exponent per epoch, or null when not measured or undefined. */
  lyapunov: number | null;
  /** The epoch during which the run failed, or null. */
  failedAtEpoch: number | null;
  /** Which engine ran it: the compiled rule or the fused student-teacher kernel. */
  engine: NetworkEngine;
  /** What the run does not report, and why (no error, no data). */
  notes: string[];
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

/** The options with their defaults, checked (errors name the option). */
function checkOptions(fn: string, options: SimulationOptions, backend: Backend) {
  const E = requirePositiveInteger(fn, "epochs", options.epochs, 1e9);
  const recordAt = options.recordAt;
  if (recordAt !== undefined) {
    const ok =
      recordAt.length > 0 &&
      recordAt.every((t, k) => Number.isInteger(t) && t >= 0 && t <= E && (k === 0 || t > recordAt[k - 1]!));
    if (!ok) throw new InvalidArgumentError(fn, "recordAt", `increasing integers in [0, ${E}]`, recordAt);
  }
  const recordCount = requirePositiveInteger(fn, "recordCount", options.recordCount ?? 40);
  // In float32 a separation of 1e-7 is below the rounding of O(1) weights (2^-24 relative), so
  // the twin would measure rounding noise; 1e-3 stays well above it and still linear.
  const defaultSeparation = backend.dtype === "float32" ? 1e-3 : 1e-7;
  return {
    epochs: E,
    record: recordAt ? [...recordAt] : logSpacedEpochs(E, Math.max(2, recordCount)),
    window: requireInRange(fn, "window", options.window ?? 0.2, 0, 1),
    windowSamples: requirePositiveInteger(fn, "windowSamples", options.windowSamples ?? 50),
    lyapunov: options.lyapunov ?? true,
    d0: requireInRange(fn, "lyapunovSeparation", options.lyapunovSeparation ?? defaultSeparation, 1e-300, 1),
    interval: requirePositiveInteger(fn, "lyapunovInterval", options.lyapunovInterval ?? 10),
    burnIn: Math.round(requireInRange(fn, "lyapunovBurnIn", options.lyapunovBurnIn ?? 0.5, 0, 1) * E),
  };
}

type CheckedOptions = ReturnType<typeof checkOptions>;

/** One batch to start: a model and the indices (into the caller's runs) of its runs, drawn. */
interface BatchPlan {
  readonly model: NetworkModel;
  readonly indices: number[];
  readonly runs: RunData[];
}

/**
 * The batches of `runs`: by model (one compiled program), then (when the fast path may be taken)
 * by fusedBatchKey so that each fused batch has one learning rate; every run is drawn here
 * (src/ir/draw.ts).
 */
function planBatches(runs: readonly RuleRun[], fastPath: boolean): BatchPlan[] {
  const plans: BatchPlan[] = [];
  for (const [model, indices] of groupIndices(runs, (r) => r.model)) {
    const drawn = drawRuns(
      model,
      indices.map((i) => runs[i]!),
    );
    const key = (d: RunData) => (fastPath ? fusedBatchKey(model.compiled, d) : "");
    for (const ks of groupIndices(drawn, key).values()) {
      plans.push({ model, indices: ks.map((k) => indices[k]!), runs: ks.map((k) => drawn[k]!) });
    }
  }
  return plans;
}

/** Runs every run (grouped into batches, see the module comment) and measures it. */
export async function simulateRuns(
  backend: Backend,
  runs: readonly RuleRun[],
  options: SimulationOptions,
): Promise<RunSimulation[]> {
  const fn = "simulateRuns";
  if (runs.length === 0) throw new InvalidArgumentError(fn, "runs", "at least one run", 0);
  const checked = checkOptions(fn, options, backend);
  // Before anything is drawn: the runs of all batches, with their twins, are held at once.
  let needed = 0;
  for (const [model, indices] of groupIndices(runs, (r) => r.model)) {
    needed += bytesPerRun(model.compiled) * indices.length * (checked.lyapunov ? 2 : 1);
  }
  requireMemory(
    fn,
    `${runs.length} run(s)${checked.lyapunov ? " and their Lyapunov twins" : ""}`,
    needed,
    options.availableMemory,
  );
  const plans = planBatches(runs, usesFusedKernel(backend, options.fastPath));
  const results: RunSimulation[] = new Array(runs.length);
  for (const [index, plan] of plans.entries()) {
    const seeds = plan.indices.map((i) => runs[i]!.seed);
    const progress = (done: number) =>
      options.onProgress?.(done, checked.epochs, { index, count: plans.length });
    const batchResults = await simulateBatch(backend, plan, seeds, checked, options.fastPath, progress);
    plan.indices.forEach((i, k) => {
      results[i] = batchResults[k]!;
    });
  }
  return results;
}

/**
 * Whether a drawn run can start: every drawn value and every initial state norm is finite (an
 * initial scale of 1e300 squares past float64 in the norm). A run that cannot start fails at
 * epoch 0 on its own; the rest of its batch runs.
 */
function canStart(run: RunData): boolean {
  const finite = (arrays: readonly Float64Array[]) => arrays.every((a) => a.every(Number.isFinite));
  return (
    finite(run.states) &&
    finite(run.fixed) &&
    finite(run.train) &&
    finite(run.test) &&
    run.states.every((s) => Number.isFinite(frobeniusNorm(s)))
  );
}

/** The result of a run that could not start: failed at epoch 0, nothing measured. */
function failedAtStart(
  compiled: NetworkModel["compiled"],
  run: RunData,
  seed: number,
  o: CheckedOptions,
  engine: NetworkEngine,
): RunSimulation {
  const hasError = compiled.error !== null;
  const hasTest = hasError && compiled.samples !== null;
  const nans = () => o.record.map(() => Number.NaN);
  return {
    rule: compiled.name,
    seed,
    sizes: { ...compiled.sizes },
    choices: { ...compiled.choices },
    params: Object.fromEntries(compiled.params.map((p, k) => [p, run.params[k]!])),
    epochs: o.record,
    trainError: hasError ? nans() : null,
    testError: hasTest ? nans() : null,
    peakTrainError: hasError ? Number.NaN : null,
    peakTestError: hasTest ? Number.NaN : null,
    q: Number.NaN,
    autocorrelation: { lags: [], values: [] },
    pca: { pc1: [], pc2: [], explained: [Number.NaN, Number.NaN], epochs: [] },
    lyapunov: null,
    failedAtEpoch: 0,
    engine,
    notes: missingObservables(compiled),
  };
}

/**
 * One backend batch of runs of one model (twins appended for the Lyapunov exponent); runs that
 * cannot start (canStart) are reported failed at epoch 0 and left out of the batch.
 */
async function simulateBatch(
  backend: Backend,
  plan: BatchPlan,
  seeds: readonly number[],
  o: CheckedOptions,
  fastPath: boolean | undefined,
  progress: (epochsDone: number) => void,
): Promise<RunSimulation[]> {
  const startable = plan.runs.map(canStart);
  if (!startable.every(Boolean)) {
    const keep = startable.flatMap((ok, b) => (ok ? [b] : []));
    const started =
      keep.length === 0
        ? []
        : await simulateBatch(
            backend,
            {
              model: plan.model,
              indices: keep.map((b) => plan.indices[b]!),
              runs: keep.map((b) => plan.runs[b]!),
            },
            keep.map((b) => seeds[b]!),
            o,
            fastPath,
            progress,
          );
    const engine: NetworkEngine =
      started[0]?.engine ??
      (usesFusedKernel(backend, fastPath) && matchStudentTeacher(plan.model.compiled)
        ? "fused student-teacher kernel"
        : "compiled");
    let next = 0;
    return plan.runs.map((run, b) =>
      startable[b] ? started[next++]! : failedAtStart(plan.model.compiled, run, seeds[b]!, o, engine),
    );
  }
  const { compiled } = plan.model;
  const E = o.epochs;
  const B = plan.runs.length;
  const D = compiled.states.reduce((s, x) => s + x.rows * x.cols, 0);
  const hasError = compiled.error !== null;
  const hasTest = hasError && compiled.samples !== null;
  let runs = plan.runs;
  let norms: Float64Array[] | undefined;
  if (o.lyapunov) {
    // Twins: same ingredients and target norms as their run, states moved by d0.
    runs = [...plan.runs, ...plan.runs.map((r, b) => twinRun(r, seeds[b]!, o.d0))];
    norms = compiled.states.map((_, k) => {
      const own = plan.runs.map((r) => frobeniusNorm(r.states[k]!));
      return Float64Array.from([...own, ...own]);
    });
  }
  const { batch, engine } = startNetwork(
    backend,
    { rule: compiled, runs, ...(norms ? { norms } : {}) },
    fastPath === undefined ? {} : { fastPath },
  );

  const record = o.record;
  const snapshotsAt = windowEpochs(E, o.window, o.windowSamples);
  const events = new Set<number>([...record, ...snapshotsAt]);
  if (o.lyapunov) for (let t = o.interval; t <= E; t += o.interval) events.add(t);
  const schedule = [...events].sort((a, b) => a - b);
  const recordSet = new Set(record);
  const snapshotSet = new Set(snapshotsAt);

  const trainError = plan.runs.map(() => [] as number[]);
  const testError = plan.runs.map(() => [] as number[]);
  const orderParameters = plan.runs.map(() => new OrderParameter(D));
  const snapshots = plan.runs.map(() => [] as Float32Array[]);
  const logSum = new Float64Array(B);
  let logEpochs = 0;
  const lyapunovAt = (t: number) => o.lyapunov && t > 0 && t % o.interval === 0;

  let failures: Int32Array;
  try {
    for (const t of schedule) {
      batch.advance(t - batch.epoch);
      progress(t);
      if (recordSet.has(t) && hasError) {
        const errors = await batch.errors();
        for (let b = 0; b < B; b++) {
          trainError[b]!.push(errors.train[b]!);
          testError[b]!.push(errors.test[b]!);
        }
      }
      if (!snapshotSet.has(t) && !lyapunovAt(t)) continue;
      const states = await batch.readStates();
      if (snapshotSet.has(t)) {
        for (let b = 0; b < B; b++) {
          const exact = new Float64Array(D);
          let offset = 0;
          compiled.states.forEach((s, k) => {
            const n = s.rows * s.cols;
            exact.set(states[k]!.subarray(b * n, (b + 1) * n), offset);
            offset += n;
          });
          snapshots[b]!.push(Float32Array.from(exact));
          orderParameters[b]!.add(exact);
        }
      }
      if (lyapunovAt(t)) {
        if (t > o.burnIn) logEpochs += o.interval;
        const d = separateTwins(states, B, o.d0);
        if (t > o.burnIn) for (let b = 0; b < B; b++) logSum[b]! += Math.log(d[b]! / o.d0);
        batch.writeStates(states);
      }
    }
    failures = await batch.failures();
  } finally {
    batch.dispose();
  }

  const notes = missingObservables(compiled);
  return plan.runs.map((run, b) => {
    const snaps = snapshots[b]!;
    const failed = failures[b]! >= 0;
    const twinFailed = o.lyapunov && failures[B + b]! >= 0;
    const usable = !failed && snaps.every((w) => w.every(Number.isFinite));
    const autoValues =
      usable && snaps.length >= 2 ? weightAutocorrelation(snaps, Math.floor(snaps.length / 2)) : [];
    const spacing = snapshotsAt.length >= 2 ? snapshotsAt[1]! - snapshotsAt[0]! : 0;
    const pca =
      usable && snaps.length >= 3
        ? principalProjection(snaps)
        : { pc1: [], pc2: [], explained: [Number.NaN, Number.NaN] as [number, number] };
    const lyap = o.lyapunov && logEpochs > 0 && !failed && !twinFailed ? logSum[b]! / logEpochs : null;
    return {
      rule: compiled.name,
      seed: seeds[b]!,
      sizes: { ...compiled.sizes },
      choices: { ...compiled.choices },
      params: Object.fromEntries(compiled.params.map((p, k) => [p, run.params[k]!])),
      epochs: record,
      trainError: hasError ? trainError[b]! : null,
      testError: hasTest ? testError[b]! : null,
      peakTrainError: hasError ? finiteMax(trainError[b]!) : null,
      peakTestError: hasTest ? finiteMax(testError[b]!) : null,
      q: usable ? orderParameters[b]!.value() : Number.NaN,
      autocorrelation: { lags: autoValues.map((_, k) => k * spacing), values: autoValues },
      pca: { ...pca, epochs: snapshotsAt.slice(0, snaps.length) },
      lyapunov: lyap !== null && Number.isFinite(lyap) ? lyap : null,
      failedAtEpoch: failed ? failures[b]! : null,
      engine,
      notes,
    };
  });
}

/** The measurements of one student-teacher simulation (seed 001's two-layer model). */
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
  /** First two principal components of the weights (W1, then W2) over the final window. */
  pca: PrincipalProjection & { epochs: number[] };
  /** Largest Lyapunov exponent per epoch, or null when not measured or undefined. */
  lyapunov: number | null;
  /** The epoch at which the simulation failed (non-finite weights), or null. */
  failedAtEpoch: number | null;
}

/**
 * Runs student-teacher specs as runs of the built-in two-layer rule files (see
 * src/sim/student-teacher.ts) and measures them; each spec is checked first, by name.
 */
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
  const results = await simulateRuns(backend, specs.map(studentTeacherRun), options);
  return results.map((r, i) => ({
    spec: specs[i]!,
    epochs: r.epochs,
    // The two-layer rules declare an error and have data: both are recorded.
    trainError: r.trainError!,
    testError: r.testError!,
    peakTestError: r.peakTestError!,
    peakTrainError: r.peakTrainError!,
    q: r.q,
    autocorrelation: r.autocorrelation,
    pca: r.pca,
    lyapunov: r.lyapunov,
    failedAtEpoch: r.failedAtEpoch,
  }));
}
