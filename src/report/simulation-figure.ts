/**
 * The learning curves of a `learndyn simulate` result: training and test error against epochs
 * (log scales), one colour per seed, test error dashed; and the table of each run's final
 * errors, q and Lyapunov exponent.
 */
import { SERIES_COLORS } from "./colormap.ts";
import type { Figure, Series } from "./figure.ts";
import type { Cell } from "./report-page.ts";

/** One run as `simulate --json` writes it (the fields drawn). */
export interface SimulatedRun {
  seed?: number;
  epochs: number[];
  trainError: number[] | null;
  testError?: number[] | null;
  q?: number | null;
  lyapunov?: number | null;
  failedAtEpoch?: number | null;
}

/** The runs of a simulate result: `runs` when it has several seeds, else the result itself. */
export function simulatedRuns(result: Record<string, unknown>): SimulatedRun[] {
  const runs = Array.isArray(result.runs)
    ? (result.runs as SimulatedRun[])
    : [result as unknown as SimulatedRun];
  return runs.filter((r) => Array.isArray(r.epochs));
}

/** True for a document `simulate --json` (or `--out`) writes. */
export function isSimulationResult(json: unknown): json is Record<string, unknown> {
  if (json === null || typeof json !== "object") return false;
  const r = json as Record<string, unknown>;
  return typeof r.rule === "string" && "sizes" in r && simulatedRuns(r).length > 0;
}

/** The figure of the module comment; epoch 0 is left off the log axis. */
export function learningCurveFigure(rule: string, runs: readonly SimulatedRun[]): Figure {
  const series: Series[] = [];
  runs.forEach((r, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    const keep = r.epochs.map((e, i) => (e > 0 ? i : -1)).filter((i) => i >= 0);
    const tag = runs.length > 1 ? ` (seed ${r.seed})` : "";
    const positive = (v: number | undefined) => (v !== undefined && v > 0 ? v : Number.NaN);
    if (r.trainError) {
      series.push({
        x: keep.map((i) => r.epochs[i]!),
        y: keep.map((i) => positive(r.trainError![i])),
        label: `train${tag}`,
        color,
      });
    }
    if (r.testError) {
      series.push({
        x: keep.map((i) => r.epochs[i]!),
        y: keep.map((i) => positive(r.testError![i])),
        label: `test${tag}`,
        color,
        dashed: true,
      });
    }
  });
  return {
    title: `${rule}: error during learning`,
    xLabel: "epoch (log scale)",
    yLabel: "error (log scale)",
    xLog: true,
    yLog: true,
    series,
  };
}

/** Rows of [seed, final train, final test, q, Lyapunov exponent, failed at epoch]. */
export function runTable(runs: readonly SimulatedRun[]): { head: string[]; rows: Cell[][] } {
  return {
    head: [
      "seed",
      "epochs",
      "final train error",
      "final test error",
      "q",
      "Lyapunov exponent",
      "failed at epoch",
    ],
    rows: runs.map((r) => [
      r.seed ?? null,
      r.epochs.at(-1) ?? null,
      r.trainError?.at(-1) ?? null,
      r.testError?.at(-1) ?? null,
      r.q ?? null,
      r.lyapunov ?? null,
      r.failedAtEpoch ?? null,
    ]),
  };
}
