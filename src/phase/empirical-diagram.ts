/**
 * Empirical phase diagrams: a merged sweep of simulations over two grid axes, reduced to the
 * mean final test error per cell (mean over seeds), with an analytic boundary to draw over it
 * where one exists: seed 001's c*(α) of two-layer curl descent (Figs. 3a and 4a; section 4.2,
 * src/phase/boundary.ts).
 *
 * Two kinds of sweep are read:
 * - "network-rule" (any network rule): the axes are the plan's two grid axes, the first
 *   horizontal; the boundary is drawn when src/phase/empirical-boundary.ts finds seed 001's rule
 *   over (c, α), and the diagram says why not otherwise;
 * - "student-teacher" (seed 001's model): the axes are c and the flip fraction of the layer
 *   asked for (`alphaH` for "hidden", `alphaR` for "readout", both equal for "both"; the other
 *   one absent or 0), rule curl-descent, one value of M + N over all runs.
 * The sweep must be merged and complete. A run that failed or ended with a non-finite test error
 * makes its cell's mean undefined: the cell has no value, and is counted.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseNetworkRule } from "../rules/network/parse-network-rule.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { type BoundaryPoint, boundaryCurve } from "./boundary.ts";
import { empiricalBoundary } from "./empirical-boundary.ts";
import { type Layer, requireLayer } from "./layer.ts";
import { linSpace } from "./stability-map.ts";
import { mergedJsonPath } from "./sweep/layout.ts";
import type { MergedRow, MergedSweep } from "./sweep/merge.ts";
import { loadPlan, type SweepPlan } from "./sweep/plan-file.ts";
import type { ParamValue } from "./sweep/task.ts";

const FN = "empiricalPhaseDiagram";

/** One (x, y) cell: its runs (one per seed) reduced to means. */
export interface EmpiricalCell {
  x: number;
  y: number;
  /** Sizes of the cell's runs (e.g. M and N: the integer split of M + N closest to c), null if none ran. */
  sizes: Record<string, number> | null;
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

/** A grid axis of the diagram: its parameter name and its values, increasing. */
export interface EmpiricalAxis {
  name: string;
  values: number[];
}

/** Seed 001's analytic boundary c*(α) of one layer, for runs with M + N = total. */
export interface EmpiricalBoundary {
  layer: Layer;
  total: number;
  /** c*(α) at 101 α over the grid's α range, on the plotted c range (xRange). */
  points: BoundaryPoint[];
}

export interface EmpiricalPhaseDiagram {
  /** The rule the runs ran. */
  rule: string;
  planHash: string;
  /** The horizontal and vertical axes. */
  x: EmpiricalAxis;
  y: EmpiricalAxis;
  /** cells[iy * x.values.length + ix] at (x.values[ix], y.values[iy]). */
  cells: EmpiricalCell[];
  /** Whether x is drawn on a log scale (positive values of c, or spanning a factor of 10 or more). */
  xLog: boolean;
  /** The plotted x range: half a cell (in log x when xLog) beyond the end values. */
  xRange: [number, number];
  /** The analytic boundary, or null where none is known (notes say why). */
  boundary: EmpiricalBoundary | null;
  notes: string[];
  counts: { runs: number; failedRuns: number; cells: number; noValueCells: number };
  /** Runs per backend that produced them (e.g. {"cpu": 90}). */
  backends: Record<string, number>;
  /** Settings shared by every run (epochs, activation, ...), as planned. */
  settings: Record<string, ParamValue>;
}

/** A merged sweep and its plan. */
export interface MergedSweepWithPlan {
  plan: SweepPlan;
  merged: MergedSweep;
}

/** Reads the plan and the merged results in `dir`, refusing a missing, stale or incomplete merge. */
export function loadMergedSweep(dir: string): MergedSweepWithPlan {
  const plan = loadPlan(dir);
  if (plan.task !== "student-teacher" && plan.task !== "network-rule") {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      'a sweep of task kind "network-rule" or "student-teacher"',
      plan.task,
    );
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
  return { plan, merged };
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Mean of `key` over the rows, or null when any row lacks a finite value. */
function meanOf(rows: MergedRow[], key: string): number | null {
  const xs = rows.map((r) => r.values[key]);
  return xs.length > 0 && xs.every(finite) ? mean(xs as number[]) : null;
}

/** A row at its (x, y) with its sizes. */
interface LocatedRow {
  row: MergedRow;
  x: number;
  y: number;
  sizes: Record<string, number> | null;
}

/** The cell of each (x, y), y slowest; see EmpiricalCell. */
function reduceCells(located: readonly LocatedRow[], xs: number[], ys: number[]): EmpiricalCell[] {
  const groups = new Map<string, LocatedRow[]>();
  for (const l of located) {
    const key = `${l.x}|${l.y}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const cells: EmpiricalCell[] = [];
  for (const y of ys) {
    for (const x of xs) {
      const here = groups.get(`${x}|${y}`) ?? [];
      const rows = here.map((l) => l.row);
      const failedRuns = rows.filter((r) => r.status === "failed" || !finite(r.values.finalTestError)).length;
      const tests = rows.map((r) => r.values.finalTestError as number);
      const hasValue = rows.length > 0 && failedRuns === 0;
      const m = hasValue ? mean(tests) : null;
      const sd =
        hasValue && tests.length > 1
          ? Math.sqrt(tests.reduce((s, t) => s + (t - m!) ** 2, 0) / (tests.length - 1))
          : null;
      cells.push({
        x,
        y,
        sizes: here.find((l) => l.sizes !== null)?.sizes ?? null,
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
  return cells;
}

/** Half a cell beyond the end values (in log x when `log`), or a factor √2 / ±0.5 around one value. */
function plottedRange(v: number[], log: boolean): [number, number] {
  if (log) {
    const lo = v.length > 1 ? Math.sqrt(v[1]! / v[0]!) : Math.SQRT2;
    const hi = v.length > 1 ? Math.sqrt(v.at(-1)! / v.at(-2)!) : Math.SQRT2;
    return [v[0]! / lo, v.at(-1)! * hi];
  }
  if (v.length === 1) return [v[0]! - 0.5, v[0]! + 0.5];
  return [v[0]! - (v[1]! - v[0]!) / 2, v.at(-1)! + (v.at(-1)! - v.at(-2)!) / 2];
}

/** The diagram of located rows (the parts shared by both kinds of sweep). */
function diagramOf(
  merged: MergedSweep,
  rule: string,
  names: { x: string; y: string },
  located: LocatedRow[],
  boundary: { layer: Layer; total: number } | null,
  notes: string[],
): EmpiricalPhaseDiagram {
  if (located.length === 0) throw new InvalidArgumentError(FN, "sweep", "at least one run", "none");
  const xs = [...new Set(located.map((l) => l.x))].sort((a, b) => a - b);
  const ys = [...new Set(located.map((l) => l.y))].sort((a, b) => a - b);
  if (boundary && xs[0]! <= 0) throw new InvalidArgumentError(FN, "parameter c", "positive values", xs[0]);
  // c is a ratio (M/N), drawn on a log scale like seed 001's diagrams; so are positive values
  // spanning a factor of 10 or more.
  const xLog = boundary !== null || (xs[0]! > 0 && (names.x === "c" || xs.at(-1)! / xs[0]! >= 10));
  const xRange = plottedRange(xs, xLog);
  const backends: Record<string, number> = {};
  for (const r of merged.rows) {
    const name = typeof r.values.backend === "string" ? r.values.backend : "unrecorded";
    backends[name] = (backends[name] ?? 0) + 1;
  }
  const settings: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(merged.rows[0]!.params)) {
    if (k !== names.x && k !== names.y && merged.rows.every((r) => r.params[k] === v)) settings[k] = v;
  }
  const cells = reduceCells(located, xs, ys);
  return {
    rule,
    planHash: merged.planHash,
    x: { name: names.x, values: xs },
    y: { name: names.y, values: ys },
    cells,
    xLog,
    xRange,
    boundary: boundary
      ? {
          ...boundary,
          points: boundaryCurve(
            boundary.layer,
            ys.length > 1 ? linSpace(ys[0]!, ys.at(-1)!, 101) : [ys[0]!],
            xRange[0],
            xRange[1],
          ),
        }
      : null,
    notes,
    counts: {
      runs: merged.rows.length,
      failedRuns: cells.reduce((s, x) => s + x.failedRuns, 0),
      cells: cells.length,
      noValueCells: cells.filter((x) => x.meanTestError === null).length,
    },
    backends,
    settings,
  };
}

/** The (c, α) of a student-teacher row for `layer`, refusing rows without the needed parameters. */
function coordinates(row: MergedRow, layer: Layer): { x: number; y: number } {
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
    return { x: c, y: num("alphaH") };
  }
  if (layer === "readout") {
    const alphaH = num("alphaH", 0);
    if (alphaH !== 0)
      throw new InvalidArgumentError(FN, `alphaH of task ${row.id}`, "0 for the readout layer", alphaH);
    return { x: c, y: num("alphaR") };
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
  return { x: c, y: alphaH };
}

/**
 * The diagram of `layer` from a merged "student-teacher" sweep (seed 001's two-layer curl
 * descent; see the module comment), with the analytic boundary of that layer.
 */
export function empiricalPhaseDiagram(merged: MergedSweep, layer: Layer): EmpiricalPhaseDiagram {
  requireLayer(FN, layer);
  if (merged.rows.length === 0) throw new InvalidArgumentError(FN, "sweep", "at least one run", "none");
  const sized = (r: MergedRow) =>
    finite(r.values.M) && finite(r.values.N) ? { M: r.values.M, N: r.values.N } : null;
  const located = merged.rows.map((row) => ({ row, ...coordinates(row, layer), sizes: sized(row) }));
  const totals = new Set(located.filter((l) => l.sizes).map((l) => l.sizes!.M + l.sizes!.N));
  if (totals.size !== 1) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "runs with one value of M + N (e.g. --set total=40, or --derive M and N from c and a fixed T)",
      totals.size === 0 ? "no run reporting M and N" : `M + N in {${[...totals].join(", ")}}`,
    );
  }
  return diagramOf(
    merged,
    "curl-descent",
    { x: "c", y: "alpha" },
    located,
    { layer, total: [...totals][0]! },
    [],
  );
}

/**
 * The diagram of a merged "network-rule" sweep over two grid axes (see the module comment).
 * `layer`, when given, must be the layer whose boundary the sweep has.
 */
export function ruleEmpiricalPhaseDiagram(
  plan: SweepPlan,
  merged: MergedSweep,
  layer?: Layer,
): EmpiricalPhaseDiagram {
  if (plan.task !== "network-rule" || !plan.rule) {
    throw new InvalidArgumentError(FN, "sweep", 'a sweep of task kind "network-rule"', plan.task);
  }
  const spec = parseNetworkRule(plan.rule.text, plan.rule.ref);
  if (plan.grid.length !== 2 || plan.grid.some((a) => a.values.some((v) => typeof v !== "number"))) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "a sweep over two numeric grid axes (the first drawn horizontally), e.g. --grid 'c=0.1:2:10,alphaH=0:1:6'",
      `grid axes ${plan.grid.map((a) => `${a.name} (${a.values.length} values)`).join(", ") || "none"}`,
    );
  }
  if (!spec.error || !spec.samples) {
    throw new InvalidArgumentError(
      FN,
      "sweep",
      "runs of a rule with an error and a test set (cells are coloured by the mean final test error)",
      `rule "${spec.name}" ${spec.error ? "without data" : "without an error"}`,
    );
  }
  const [x, y] = [plan.grid[0]!.name, plan.grid[1]!.name];
  const located = merged.rows.map((row) => ({
    row,
    x: row.params[x] as number,
    y: row.params[y] as number,
    sizes:
      row.values.sizes !== null && typeof row.values.sizes === "object"
        ? (row.values.sizes as Record<string, number>)
        : null,
  }));
  const choice = empiricalBoundary(spec, merged.rows, x, y);
  if (layer !== undefined && choice.layer !== layer) {
    throw new InvalidArgumentError(
      FN,
      "layer",
      choice.layer === null
        ? "absent: this sweep has no analytic boundary"
        : `${choice.layer} (the layer this sweep varies) or absent`,
      layer,
      choice.layer === null ? choice.reason : undefined,
    );
  }
  const notes =
    choice.layer === null
      ? [`no analytic boundary: ${choice.reason}`]
      : (merged.rows[0]!.params.phi ?? spec.choices.find((c) => c.name === "phi")?.options[0]) !== "linear"
        ? [
            "the boundary c*(α) is derived for linear networks (seed 001, section 4.2); seed 001 draws it over tanh networks too (appendix C)",
          ]
        : [];
  return diagramOf(merged, spec.name, { x, y }, located, choice.layer === null ? null : choice, notes);
}
