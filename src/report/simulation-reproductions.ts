/**
 * Reproductions of the simulation results of seed 001 (Fig. 5b; chaos past the hidden-layer
 * boundary; low error past the readout boundary, section 5) and seed 003 (Fig. 4), at a reduced
 * scale stated in the output, with paired statistics over seeds. Each writes JSON and figures.
 */
import { join } from "node:path";
import type { Backend } from "../backend/backend.ts";
import { builtinNetworkRule } from "../rules/network/builtin-network-rules.ts";
import { manifoldStabilityMargin } from "../sim/manifold-stability.ts";
import { ModelCache, type RuleRun } from "../sim/rule-run.ts";
import { simulate, simulateRuns } from "../sim/simulate.ts";
import { simulationProgress } from "../sim/simulation-progress.ts";
import { type PairedComparison, pairedComparison, pairedComparisonOfFinitePairs } from "../sim/statistics.ts";
import { drawMember, paperSpec, type StudentTeacherSpec, studentTeacherRun } from "../sim/student-teacher.ts";
import { splitTotal } from "../sim/sweep-task.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { writeJson } from "../util/io.ts";
import type { ProgressOptions } from "../util/progress.ts";
import { SERIES_COLORS } from "./colormap.ts";
import { type Figure, writeFigure } from "./figure.ts";

/**
 * The float64 floor of a plotted squared error: a difference of numbers of size |y| is resolved
 * to about ε|y| (ε = 2^-52), so a squared error of initial size E = |y|² cannot be resolved below
 * about ε²E; smaller values on a log axis are rounding, and the axis stops there.
 */
function squaredErrorFloor(initialErrors: readonly number[]): Pick<Figure, "yFloor" | "yFloorLabel"> {
  const E = Math.max(...initialErrors.filter(Number.isFinite));
  return Number.isFinite(E) && E > 0
    ? { yFloor: Number.EPSILON ** 2 * E, yFloorLabel: "float64 floor ε²·E(0)" }
    : {};
}

/** Sizes of the reproductions (reduced from the papers' for one machine). */
export interface ReproductionScale {
  seeds: number;
  /** Seed 001 Fig. 5b: epochs and training samples. */
  fig5Epochs: number;
  fig5TrainCount: number;
  /** Seed 003 Fig. 4: iterations and layer widths. */
  urfbIterations: number;
  urfbWidths: number[];
  /** Chaos / readout: M + N and epochs. */
  phaseTotal: number;
  phaseEpochs: number;
  phaseRatios: number[];
}

export const reducedScale: ReproductionScale = {
  seeds: 8,
  fig5Epochs: 500,
  fig5TrainCount: 2000,
  urfbIterations: 300,
  urfbWidths: [40, 100, 100, 10],
  phaseTotal: 60,
  phaseEpochs: 1000,
  phaseRatios: [0.1, 0.2, 0.5, 1, 2],
};

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sem = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
};
const seedsOf = (n: number) => Array.from({ length: n }, (_, k) => k);

/** What every reproduction takes besides its backend, scale and directory. */
export interface ReproductionOptions {
  /** Where the progress bar draws (src/util/progress.ts; by default on a terminal only). */
  progress?: ProgressOptions;
  /** Written into the JSON beside the results (e.g. the backend and why it was chosen). */
  record?: Record<string, unknown>;
}

/** Seed 001 Fig. 5b's specs: gradient descent for every seed, then curl descent for every seed. */
function fig5bSpecs(scale: ReproductionScale): StudentTeacherSpec[] {
  const seeds = seedsOf(scale.seeds);
  const base = {
    activation: "tanh" as const,
    trainCount: scale.fig5TrainCount,
    batchSize: scale.fig5TrainCount,
    initScale: 2,
  };
  const gd = seeds.map((seed) => paperSpec(100, 10, { ...base, seed, rule: "gradient-descent" }));
  const curl = seeds.map((seed) => paperSpec(100, 10, { ...base, seed, alphaR: 0.1 }));
  return [...gd, ...curl];
}

/**
 * Seed 001 Fig. 5b: tanh, M = 100, N = 10, student initial scale 2, full batch; gradient descent
 * against curl descent with one flipped readout neuron (alpha_r = 1/10), paired by seed (same
 * teacher, data, initial weights). Compared: log10 test error at every recorded epoch.
 */
export async function reproduceFig5b(
  backend: Backend,
  scale: ReproductionScale,
  dir: string,
  options: ReproductionOptions = {},
) {
  const seeds = seedsOf(scale.seeds);
  const progress = simulationProgress("reproduce fig5b", 1, options.progress);
  const results = await simulate(backend, fig5bSpecs(scale), {
    epochs: scale.fig5Epochs,
    lyapunov: false,
    recordCount: 25,
    onProgress: progress.onProgress,
  });
  progress.done();
  const S = seeds.length;
  const epochs = results[0]!.epochs;
  const logErr = (k: number, r: number) => Math.log10(results[k]!.testError[r]!);
  const comparisons = epochs.map((epoch, r) => ({
    epoch,
    curlVsGradient: pairedComparisonOfFinitePairs(
      seeds.map((_, s) => logErr(S + s, r)),
      seeds.map((_, s) => logErr(s, r)),
    ),
  }));
  const curve = (offset: number) =>
    epochs
      .map((_, r) => seeds.map((_, s) => results[offset + s]!.testError[r]!))
      .map((v) => ({ mean: mean(v), sem: sem(v) }));
  const gdCurve = curve(0);
  const curlCurve = curve(S);
  const final = comparisons.at(-1)!.curlVsGradient;
  const report = {
    claim:
      "seed 001 Fig. 5b: one rule-flipped readout neuron (curl descent) converges faster than gradient descent",
    backend: backend.name,
    ...options.record,
    sizes: {
      M: 100,
      N: 10,
      activation: "tanh",
      trainCount: scale.fig5TrainCount,
      testCount: 100,
      batch: "full",
      initScale: 2,
      epochs: scale.fig5Epochs,
      seeds: S,
      paperEpochs: "1e5 (reduced here)",
    },
    epochs,
    gradientDescent: gdCurve,
    curlDescent: curlCurve,
    comparisons,
    verdict: {
      finalEpoch: epochs.at(-1),
      curlLowerInSeeds: `${final.below} of ${final.n}`,
      meanLog10Difference: final.meanDifference,
      pPairedT: final.pTTest,
      pSign: final.pSignTest,
      reproduced: final.meanDifference < 0 && final.pTTest < 0.01,
    },
  };
  writeJson(join(dir, "fig5b.json"), report);
  // Log axes: epoch 0 is left out of the figure (it is in the JSON).
  const shown = epochs.map((e, r) => [e, r] as const).filter(([e]) => e > 0);
  const x = shown.map(([e]) => e);
  const at = (curve: Array<{ mean: number; sem: number }>, f: (c: { mean: number; sem: number }) => number) =>
    shown.map(([, r]) => f(curve[r]!));
  writeFigure(join(dir, "fig5b"), {
    title: `Seed 001 Fig. 5b (reduced): tanh M=100 N=10, ${S} seeds, mean ± sem`,
    xLabel: "epoch",
    yLabel: "test error",
    xLog: true,
    yLog: true,
    // Each envelope in its curve's colour, shaded, so the two can be told apart where they cross.
    bands: [
      { curve: gdCurve, label: "gradient ± sem", color: SERIES_COLORS[0]! },
      { curve: curlCurve, label: "curl ± sem", color: SERIES_COLORS[1]! },
    ].map(({ curve, label, color }) => ({
      x,
      lower: at(curve, (c) => c.mean - c.sem),
      upper: at(curve, (c) => c.mean + c.sem),
      color,
      label,
    })),
    series: [
      { x, y: at(gdCurve, (c) => c.mean), label: "gradient", color: SERIES_COLORS[0]! },
      { x, y: at(curlCurve, (c) => c.mean), label: "curl (1 flip)", color: SERIES_COLORS[1]! },
    ],
  });
  return report.verdict;
}

/** The first recorded iteration at which err <= threshold, interpolated in log error (NaN if never). */
function iterationsToReach(iterations: number[], err: number[], threshold: number): number {
  for (let r = 0; r < err.length; r++) {
    if (err[r]! <= threshold) {
      if (r === 0) return iterations[0]!;
      const [a, b] = [Math.log(err[r - 1]!), Math.log(err[r]!)];
      const f = (a - Math.log(threshold)) / (a - b);
      return iterations[r - 1]! + f * (iterations[r]! - iterations[r - 1]!);
    }
  }
  return Number.NaN;
}

const URFB_EPSILONS = [0, 0.25, 0.5, 1];

/** Seed 003 Fig. 4's runs: every seed at each epsilon in turn, all of one compiled rule. */
function urfbRuns(scale: ReproductionScale): RuleRun[] {
  const seeds = seedsOf(scale.seeds);
  const epsilons = URFB_EPSILONS;
  const widths = scale.urfbWidths;
  if (widths.length !== 4) {
    throw new InvalidArgumentError(
      "reproduceUrfbFig4",
      "urfbWidths",
      "4 widths n0, n1, n2, n3 (rules/urfb-deep-linear.rule has k = 3 layers)",
      widths,
    );
  }
  const cache = new ModelCache(builtinNetworkRule("urfb-deep-linear"));
  const sizes = { n0: widths[0]!, n1: widths[1]!, n2: widths[2]!, n3: widths[3]! };
  const params = { eta: 0.02, weightScale: 0, feedbackScale: 1 };
  // One batch: every epsilon and seed share the compiled rule; a seed draws the same T and R(0).
  return epsilons.flatMap((epsilon) =>
    seeds.map((seed) => cache.run({ ...sizes, ...params, epsilon }, seed)),
  );
}

/**
 * Seed 003 Fig. 4: deep linear network (widths 40, 100, 100, 10), forward weights from 0, random
 * feedback, epsilon in {0, 0.25, 0.5, 1} with the same T and R(0) per seed: runs of
 * rules/urfb-deep-linear.rule (weightScale = 0, feedbackScale = 1, eta = 0.02; checked against
 * the hand-written src/sim/deep-linear-feedback.ts in test/sim/urfb-rule.test.ts). Compared:
 * iterations to reach a squared error of 1e-8, paired between consecutive epsilon.
 */
export async function reproduceUrfbFig4(
  backend: Backend,
  scale: ReproductionScale,
  dir: string,
  options: ReproductionOptions = {},
) {
  const seeds = seedsOf(scale.seeds);
  const epsilons = URFB_EPSILONS;
  const record = Array.from({ length: scale.urfbIterations / 5 + 1 }, (_, k) => 5 * k);
  const progress = simulationProgress("reproduce urfb", 1, options.progress);
  const results = await simulateRuns(backend, urfbRuns(scale), {
    epochs: scale.urfbIterations,
    recordAt: record,
    lyapunov: false,
    onProgress: progress.onProgress,
  });
  progress.done();
  // The rule has no data: its error (||T - W3 W2 W1||^2) is reported as the train error.
  const error = epsilons.map((_, k) => seeds.map((_, s) => results[k * seeds.length + s]!.trainError!));
  const threshold = 1e-8;
  // A run that never reaches the threshold is censored at the last iteration (conservative).
  const raw = error.map((e) => seeds.map((_, s) => iterationsToReach(record, e[s]!, threshold)));
  const censored = raw.flat().filter(Number.isNaN).length;
  const reach = raw.map((xs) => xs.map((x) => (Number.isNaN(x) ? scale.urfbIterations : x)));
  const comparisons: Array<{ larger: number; smaller: number; result: PairedComparison }> = [];
  for (let k = 1; k < epsilons.length; k++) {
    comparisons.push({
      larger: epsilons[k]!,
      smaller: epsilons[k - 1]!,
      result: pairedComparison(reach[k]!, reach[k - 1]!),
    });
  }
  const extremes = pairedComparison(reach[3]!, reach[0]!);
  const report = {
    claim: "seed 003 Fig. 4: URFB converges faster as epsilon grows from 0 (FRFB) to 1 (URFB)",
    rule: "rules/urfb-deep-linear.rule",
    backend: backend.name,
    ...options.record,
    sizes: {
      widths: scale.urfbWidths,
      stepSize: 0.02,
      iterations: scale.urfbIterations,
      seeds: seeds.length,
      initialWeights: "zero",
      feedback: "random N(0, 1/n_i)",
      threshold,
    },
    epsilons,
    iterationsToThreshold: Object.fromEntries(epsilons.map((e, k) => [String(e), reach[k]])),
    meanError: Object.fromEntries(
      epsilons.map((e, k) => [String(e), record.map((_, r) => mean(error[k]!.map((x) => x[r]!)))]),
    ),
    iterations: record,
    comparisons,
    verdict: {
      meanIterations: epsilons.map((_, k) => mean(reach[k]!)),
      runsCensoredAtLastIteration: censored,
      epsilon1VsEpsilon0: {
        meanDifference: extremes.meanDifference,
        pPairedT: extremes.pTTest,
        pSign: extremes.pSignTest,
      },
      monotoneInEverySeed: seeds.every((_, s) => reach.every((r, k) => k === 0 || r[s]! < reach[k - 1]![s]!)),
      reproduced: comparisons.every((c) => c.result.meanDifference < 0) && extremes.pTTest < 0.01,
    },
    note: "seed 003's Fig. 4 also shows SGD; from W(0) = 0 back-propagation has zero gradient (a saddle), so that curve needs another initialization and is not reproduced.",
  };
  writeJson(join(dir, "urfb-fig4.json"), report);
  writeFigure(join(dir, "urfb-fig4"), {
    title: `Seed 003 Fig. 4 (reduced): widths ${scale.urfbWidths.join("-")}, ${seeds.length} seeds, mean error`,
    xLabel: "iteration",
    yLabel: "squared error ‖T − W3 W2 W1‖²",
    yLog: true,
    ...squaredErrorFloor(epsilons.map((_, k) => mean(error[k]!.map((x) => x[0]!)))),
    series: epsilons.map((e, k) => ({
      x: record,
      y: record.map((_, r) => mean(error[k]!.map((x) => x[r]!))),
      label: `ε = ${e}`,
    })),
  });
  return report.verdict;
}

const CHAOS_ALPHA = 0.6;

/** The chaos reproduction's specs at ratio c: alpha_h = 0.6 for every seed, then alpha_r = 0.6. */
function chaosSpecs(scale: ReproductionScale, c: number): StudentTeacherSpec[] {
  const { M, N } = splitTotal(c, scale.phaseTotal);
  const seeds = seedsOf(scale.seeds);
  const hidden = seeds.map((seed) => paperSpec(M, N, { seed, alphaH: CHAOS_ALPHA }));
  const readout = seeds.map((seed) => paperSpec(M, N, { seed, alphaR: CHAOS_ALPHA }));
  return [...hidden, ...readout];
}

/** The parts of the reproduction. */
export const REPRODUCTION_PARTS = ["fig5b", "urfb", "chaos"] as const;
export type ReproductionPart = (typeof REPRODUCTION_PARTS)[number];

/**
 * The runs of a part's first simulation (the whole of fig5b and urfb, the first ratio of chaos)
 * and whether it measures the Lyapunov exponent: the workload on which `--backend auto`
 * calibrates (src/sim/calibration-workload.ts).
 */
export function reproductionRuns(
  part: ReproductionPart,
  scale: ReproductionScale,
): { runs: RuleRun[]; lyapunov: boolean } {
  if (part === "fig5b") return { runs: fig5bSpecs(scale).map(studentTeacherRun), lyapunov: false };
  if (part === "urfb") return { runs: urfbRuns(scale), lyapunov: false };
  return { runs: chaosSpecs(scale, scale.phaseRatios[0]!).map(studentTeacherRun), lyapunov: true };
}

/**
 * Seed 001 section 5, Figs. 3-4: with M + N fixed, flip 60% of the hidden-layer (alpha_h) or of
 * the readout (alpha_r) plasticity across compression ratios c. Measured: Lyapunov exponent, q
 * and test error per seed; predicted: linear instability of the solution manifold at the
 * teacher's weights (eq. 12, {@link manifoldStabilityMargin}). Compared: hidden against readout
 * log test error, paired by seed, at each c.
 */
export async function reproduceChaosAndReadout(
  backend: Backend,
  scale: ReproductionScale,
  dir: string,
  options: ReproductionOptions = {},
) {
  const seeds = seedsOf(scale.seeds);
  const rows = [];
  let example: { hidden?: unknown; readout?: unknown } = {};
  const progress = simulationProgress("reproduce chaos", scale.phaseRatios.length, options.progress);
  for (const [k, c] of scale.phaseRatios.entries()) {
    if (k > 0) progress.next();
    const { M, N } = splitTotal(c, scale.phaseTotal);
    const specs = chaosSpecs(scale, c);
    const [hidden, readout] = [specs.slice(0, seeds.length), specs.slice(seeds.length)];
    const results = await simulate(backend, specs, {
      epochs: scale.phaseEpochs,
      lyapunovInterval: 20,
      onProgress: progress.onProgress,
    });
    const margin = [...hidden, ...readout].map((spec) => {
      const m = drawMember(spec);
      return manifoldStabilityMargin(m.teacherW1, m.teacherW2, m.d1, m.d2, M, N);
    });
    const S = seeds.length;
    const pick = (offset: number) => {
      const rs = results.slice(offset, offset + S);
      return {
        lyapunov: rs.map((r) => r.lyapunov),
        q: rs.map((r) => r.q),
        initialTestError: rs.map((r) => r.testError[0]!),
        finalTestError: rs.map((r) => r.testError.at(-1)!),
        peakTestError: rs.map((r) => r.peakTestError),
        predictedUnstable: margin.slice(offset, offset + S).map((x) => x < 0),
        failedAtEpoch: rs.map((r) => r.failedAtEpoch),
      };
    };
    const h = pick(0);
    const r = pick(S);
    const lg = (xs: number[]) => xs.map((x) => Math.log10(Math.max(x, 1e-300)));
    rows.push({
      c,
      M,
      N,
      hidden: h,
      readout: r,
      hiddenVsReadoutLog10TestError: pairedComparisonOfFinitePairs(
        lg(h.finalTestError),
        lg(r.finalTestError),
      ),
    });
    if (c === 1) {
      const pc = (k: number) => ({
        pca: results[k]!.pca,
        autocorrelation: results[k]!.autocorrelation,
        testError: results[k]!.testError,
        epochs: results[k]!.epochs,
      });
      example = { hidden: pc(0), readout: pc(S) };
    }
  }
  progress.done();
  const chaotic = (x: number | null) => x !== null && x > 1e-4;
  const agreement = rows.flatMap((row) =>
    row.hidden.lyapunov.map((l, s) => chaotic(l) === row.hidden.predictedUnstable[s]),
  );
  const report = {
    claim:
      "seed 001 section 5: past the hidden-layer boundary (c above ~0.3) curl terms give chaos (positive Lyapunov exponent, large q, high error); past the readout boundary (alpha_r > 1/2) the error stays low",
    backend: backend.name,
    ...options.record,
    sizes: {
      total: scale.phaseTotal,
      paperTotal: 220,
      alpha: CHAOS_ALPHA,
      epochs: scale.phaseEpochs,
      paperEpochs: 1e5,
      seeds: seeds.length,
      activation: "linear",
      batch: "full",
      chaoticIf: "Lyapunov exponent > 1e-4 per epoch",
    },
    rows,
    example,
    verdict: {
      hiddenChaoticFraction: rows.map((row) => ({
        c: row.c,
        fraction: mean(row.hidden.lyapunov.map((l) => (chaotic(l) ? 1 : 0))),
      })),
      hiddenPredictedUnstableFraction: rows.map((row) => ({
        c: row.c,
        fraction: mean(row.hidden.predictedUnstable.map((u) => (u ? 1 : 0))),
      })),
      readoutPredictedUnstableFraction: rows.map((row) => ({
        c: row.c,
        fraction: mean(row.readout.predictedUnstable.map((u) => (u ? 1 : 0))),
      })),
      predictionMatchesChaosInHiddenRuns: `${agreement.filter(Boolean).length} of ${agreement.length}`,
      readoutLowerErrorThanHidden: rows.map((row) => ({
        c: row.c,
        meanLog10Difference: row.hiddenVsReadoutLog10TestError.meanDifference,
        pPairedT: row.hiddenVsReadoutLog10TestError.pTTest,
        pSign: row.hiddenVsReadoutLog10TestError.pSignTest,
      })),
    },
  };
  writeJson(join(dir, "chaos-readout.json"), report);
  const cs = rows.map((row) => row.c);
  const avg = (xs: (number | null)[]) => mean(xs.map((x) => x ?? Number.NaN));
  writeFigure(join(dir, "chaos-readout-lyapunov"), {
    title: `Largest Lyapunov exponent (M+N=${scale.phaseTotal}, α=${CHAOS_ALPHA}, ${seeds.length} seeds)`,
    xLabel: "c = M / N",
    yLabel: "Lyapunov exponent per epoch (mean)",
    xLog: true,
    series: [
      {
        x: cs,
        y: rows.map((row) => avg(row.hidden.lyapunov)),
        label: "hidden flipped (α_h)",
        markers: true,
      },
      {
        x: cs,
        y: rows.map((row) => avg(row.readout.lyapunov)),
        label: "readout flipped (α_r)",
        markers: true,
      },
    ],
  });
  writeFigure(join(dir, "chaos-readout-test-error"), {
    title: `Final test error (M+N=${scale.phaseTotal}, α=${CHAOS_ALPHA}, ${seeds.length} seeds)`,
    xLabel: "c = M / N",
    yLabel: "test error (mean)",
    xLog: true,
    yLog: true,
    ...squaredErrorFloor(
      rows.flatMap((row) => [mean(row.hidden.initialTestError), mean(row.readout.initialTestError)]),
    ),
    series: [
      {
        x: cs,
        y: rows.map((row) => mean(row.hidden.finalTestError)),
        label: "hidden flipped",
        markers: true,
      },
      {
        x: cs,
        y: rows.map((row) => mean(row.readout.finalTestError)),
        label: "readout flipped",
        markers: true,
      },
    ],
  });
  writeFigure(join(dir, "chaos-readout-q"), {
    title: `Order parameter q (seed 001 eq. 15), final 20% of ${scale.phaseEpochs} epochs`,
    xLabel: "c = M / N",
    yLabel: "q (mean)",
    xLog: true,
    series: [
      { x: cs, y: rows.map((row) => avg(row.hidden.q)), label: "hidden", markers: true },
      { x: cs, y: rows.map((row) => avg(row.readout.q)), label: "readout", markers: true },
    ],
  });
  const ex = example.hidden as
    | { pca: { pc1: number[]; pc2: number[] }; autocorrelation: { lags: number[]; values: number[] } }
    | undefined;
  if (ex && ex.pca.pc1.length > 0) {
    writeFigure(join(dir, "chaos-example-pca"), {
      title: "Hidden curl terms, c = 1, alpha_h = 0.6: weights on their first two PCs",
      xLabel: "PC1",
      yLabel: "PC2",
      series: [{ x: ex.pca.pc1, y: ex.pca.pc2, label: "seed 0", markers: true }],
    });
    writeFigure(join(dir, "chaos-example-autocorrelation"), {
      title: "Hidden curl terms, c = 1, alpha_h = 0.6: weight autocorrelation",
      xLabel: "lag (epochs)",
      yLabel: "C(lag)",
      series: [{ x: ex.autocorrelation.lags, y: ex.autocorrelation.values, label: "seed 0" }],
    });
  }
  return report.verdict;
}
