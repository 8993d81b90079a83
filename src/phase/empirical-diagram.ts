/**
 * The empirical phase diagram of two-layer curl descent (seed 001, Figs. 3a and 4a): a merged
 * sweep of student-teacher runs over (c, α) at fixed M + N, reduced to the mean final test
 * error per grid cell (mean over seeds), with the analytic boundary c*(α) of the same layer
 * (seed 001, section 4.2; src/phase/boundary.ts) to draw over it.
 *
 * The sweep must be of task kind "student-teacher", merged and complete, with the parameter `c`
 * and the flip fraction of the layer (`alphaH` for "hidden", `alphaR` for "readout", both equal
 * for "both"; the other one absent or 0) in every task, rule curl-descent, and one value of
 * M + N over all runs. A run that failed (non-finite weights) or ended with a non-finite test
 * error makes its cell's mean undefined: the cell has no value, and is counted.
 */
import { existsSync, readFileSync } from "node:fs";
import { InvalidArgumentError } from "../util/errors.ts";
import { type BoundaryPoint, boundaryCurve } from "./boundary.ts";
import { type Layer, requireLayer } from "./layer.ts";
import { linSpace } from "./stability-map.ts";
import { mergedJsonPath } from "./sweep/layout.ts";
import type { MergedRow, MergedSweep } from "./sweep/merge.ts";
import { loadPlan } from "./sweep/plan-file.ts";
import type { ParamValue } from "./sweep/task.ts";

const FN = "empiricalPhaseDiagram";

/** One (c, α) cell: its runs (one per seed) reduced to means. */
export interface EmpiricalCell {
  c: number;
  alpha: number;
  /** Realized sizes (M / N is the integer split of M + N closest to c). */
  M: number | null;
  N: number | null;
  seeds: number[];
  runs: number;
  /** Runs that failed or ended with a non-finite test error. */
  failedRuns: number;
  /** Mean over seeds of the final test error; null ("no value") when a run failed or there are none. */
  meanTestError: number | null;
  log10MeanTestError: number | null;
  /** Sample standard deviation over seeds (null with fewer than 2 runs or no value). */
  sdTestError: number | null;
  meanTrainError: number | null;
  /** Mean of q (seed 001, eq. 15) and of the largest Lyapunov exponent; null if any run lacks it. */
  meanQ: number | null;
  meanLyapunov: number | null;
}

export interface EmpiricalPhaseDiagram {
  layer: Layer;
  planHash: string;
  /** M + N, the same for every run. */
  total: number;
  /** Grid values, increasing. */
  c: number[];
  alpha: number[];
  /** cells[iy * c.length + ix] at (c[ix], alpha[iy]). */
  cells: EmpiricalCell[];
  /** The analytic c*(α) at 101 α over the grid's α range, on the plotted c range. */
  boundary: BoundaryPoint[];
  /** The plotted c range: the grid's cells, half a (log) cell beyond the end values. */
  cRange: [number, number];
  counts: { runs: number; failedRuns: number; cells: number; noValueCells: number };
  /** Runs per backend that produced them (e.g. {"cpu": 90}). */
  backends: Record<string, number>;
  /** Constant settings of the runs: epochs, activation, batch size, ... as planned. */
  settings: Record<string, ParamValue>;
}

/** Reads and checks the merged sweep in `dir` (see the module comment). */
export function loadMergedStudentTeacherSweep(dir: string): MergedSweep {
  const plan = loadPlan(dir);
  if (plan.task !== "student-teacher") {
    throw new InvalidArgumentError(FN, "sweep", 'a sweep of task kind "student-teacher"', plan.task);
  }
  const path = mergedJsonPath(dir);
  if (!existsSync(path)) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "a merged sweep (with merged.json)",
      `${dir} without merged.json`,
      `run \`learndyn sweep merge ${dir}\` first`,
    );
  }
  const merged = JSON.parse(readFileSync(path, "utf8")) as MergedSweep;
  if (merged.planHash !== plan.hash) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "a merged.json of the sweep's own plan",
      `merged.json of plan ${String(merged.planHash).slice(0, 12)} (plan.json is ${plan.hash.slice(0, 12)})`,
      `run \`learndyn sweep merge ${dir}\` again`,
    );
  }
  if (!merged.complete) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "a complete merge (every task finished)",
      `${merged.counts.missing} of ${merged.counts.tasks} tasks unfinished`,
      `run \`learndyn sweep run ${dir}\`, then \`learndyn sweep merge ${dir}\``,
    );
  }
  return merged;
}

/** The (c, α) of a row for `layer`, refusing rows without the needed parameters. */
function coordinates(row: MergedRow, layer: Layer): { c: number; alpha: number } {
  const num = (name: string, fallback?: number): number => {
    const v = row.params[name] ?? fallback;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InvalidArgumentError(
        FN,
        `parameter ${name} of task ${row.id}`,
        `a number (the ${layer === "both" ? "two-layer" : `${layer}-layer`} diagram needs c and ${layer === "readout" ? "alphaR" : layer === "hidden" ? "alphaH" : "alphaH = alphaR"} in every task)`,
        v ?? "nothing",
      );
    }
    return v;
  };
  const rule = row.params.rule ?? "curl-descent";
  if (rule !== "curl-descent") {
    throw new InvalidArgumentError(FN, `parameter rule of task ${row.id}`, '"curl-descent"', rule);
  }
  const c = num("c");
  if (layer === "hidden") {
    const alphaR = num("alphaR", 0);
    if (alphaR !== 0)
      throw new InvalidArgumentError(FN, `alphaR of task ${row.id}`, "0 for the hidden layer", alphaR);
    return { c, alpha: num("alphaH") };
  }
  if (layer === "readout") {
    const alphaH = num("alphaH", 0);
    if (alphaH !== 0)
      throw new InvalidArgumentError(FN, `alphaH of task ${row.id}`, "0 for the readout layer", alphaH);
    return { c, alpha: num("alphaR") };
  }
  const alphaH = num("alphaH");
  const alphaR = num("alphaR");
  if (alphaH !== alphaR) {
    throw new InvalidArgumentError(
      FN,
      `alphaR of task ${row.id}`,
      `equal to alphaH (${alphaH}) for both layers`,
      alphaR,
    );
  }
  return { c, alpha: alphaH };
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Mean of `key` over the rows, or null when any row lacks a finite value. */
function meanOf(rows: MergedRow[], key: string): number | null {
  const xs = rows.map((r) => r.values[key]);
  return xs.length > 0 && xs.every(finite) ? mean(xs as number[]) : null;
}

/** Reduces a checked merged sweep to the diagram of `layer`. */
export function empiricalPhaseDiagram(merged: MergedSweep, layer: Layer): EmpiricalPhaseDiagram {
  requireLayer(FN, layer);
  if (merged.rows.length === 0) throw new InvalidArgumentError(FN, "sweep", "at least one run", "none");
  const located = merged.rows.map((row) => ({ row, ...coordinates(row, layer) }));
  const totals = new Set(
    merged.rows
      .filter((r) => finite(r.values.M) && finite(r.values.N))
      .map((r) => (r.values.M as number) + (r.values.N as number)),
  );
  if (totals.size !== 1) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "runs with one value of M + N (e.g. --set total=40, or --derive M and N from c and a fixed T)",
      totals.size === 0 ? "no run reporting M and N" : `M + N in {${[...totals].join(", ")}}`,
    );
  }
  const total = [...totals][0]!;
  const c = [...new Set(located.map((l) => l.c))].sort((a, b) => a - b);
  const alpha = [...new Set(located.map((l) => l.alpha))].sort((a, b) => a - b);
  if (c[0]! <= 0) throw new InvalidArgumentError(FN, "parameter c", "positive values", c[0]);
  const groups = new Map<string, MergedRow[]>();
  for (const l of located) {
    const key = `${l.c}|${l.alpha}`;
    groups.set(key, [...(groups.get(key) ?? []), l.row]);
  }
  const cells: EmpiricalCell[] = [];
  for (const a of alpha) {
    for (const cx of c) {
      const rows = groups.get(`${cx}|${a}`) ?? [];
      const failedRuns = rows.filter((r) => r.status === "failed" || !finite(r.values.finalTestError)).length;
      const tests = rows.map((r) => r.values.finalTestError as number);
      const hasValue = rows.length > 0 && failedRuns === 0;
      const m = hasValue ? mean(tests) : null;
      const sd =
        hasValue && tests.length > 1
          ? Math.sqrt(tests.reduce((s, x) => s + (x - m!) ** 2, 0) / (tests.length - 1))
          : null;
      const first = rows.find((r) => finite(r.values.M));
      cells.push({
        c: cx,
        alpha: a,
        M: first ? (first.values.M as number) : null,
        N: first ? (first.values.N as number) : null,
        seeds: rows.map((r) => r.seed),
        runs: rows.length,
        failedRuns,
        meanTestError: m,
        log10MeanTestError: m !== null && m > 0 ? Math.log10(m) : null,
        sdTestError: sd,
        meanTrainError: hasValue ? meanOf(rows, "finalTrainError") : null,
        meanQ: hasValue ? meanOf(rows, "q") : null,
        meanLyapunov: hasValue ? meanOf(rows, "lyapunov") : null,
      });
    }
  }
  // Half a cell beyond the end values in log c, as the heatmap draws them.
  const halfStep = c.length > 1 ? Math.sqrt(c[1]! / c[0]!) : Math.SQRT2;
  const halfStepEnd = c.length > 1 ? Math.sqrt(c.at(-1)! / c.at(-2)!) : Math.SQRT2;
  const cRange: [number, number] = [c[0]! / halfStep, c.at(-1)! * halfStepEnd];
  const boundary = boundaryCurve(
    layer,
    alpha.length > 1 ? linSpace(alpha[0]!, alpha.at(-1)!, 101) : [alpha[0]!],
    cRange[0],
    cRange[1],
  );
  const backends: Record<string, number> = {};
  for (const r of merged.rows) {
    const name = typeof r.values.backend === "string" ? r.values.backend : "unrecorded";
    backends[name] = (backends[name] ?? 0) + 1;
  }
  const settings: Record<string, ParamValue> = {};
  const first = merged.rows[0]!.params;
  for (const [k, v] of Object.entries(first)) {
    if (merged.rows.every((r) => r.params[k] === v) && !["c", "M", "N"].includes(k)) settings[k] = v;
  }
  const failedRuns = cells.reduce((s, x) => s + x.failedRuns, 0);
  return {
    layer,
    planHash: merged.planHash,
    total,
    c,
    alpha,
    cells,
    boundary,
    cRange,
    counts: {
      runs: merged.rows.length,
      failedRuns,
      cells: cells.length,
      noValueCells: cells.filter((x) => x.meanTestError === null).length,
    },
    backends,
    settings,
  };
}
