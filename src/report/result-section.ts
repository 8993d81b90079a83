/**
 * The report section of one RESULT file, a JSON document a learndyn command wrote: a simulation
 * (`simulate --out`) as learning curves and a table of runs; an analytic phase diagram
 * (`phase --out`, phase-<layer>.json) as its map and boundary; a boundary table (`phase --json`)
 * as c*(α); a spectrum figure's data (`demo`, spectrum-*.json) as density and histogram; a
 * spectrum (`spectrum --json`) as its edges; a merged sweep (`sweep merge`, merged.json) as a
 * table of its rows; the claims checked (`check --out`) as their verdicts. Any other JSON
 * document is shown by its top-level numbers and words. The document itself is downloadable.
 */
import { type CheckedClaim, claimBlocks, isClaimsResult } from "./claims-section.ts";
import { isPhaseDiagramJson, phaseFigure, stabilityMapOf } from "./phase-diagram.ts";
import type { Block, Cell, ReportSection } from "./report-page.ts";
import { isSimulationResult, learningCurveFigure, runTable, simulatedRuns } from "./simulation-figure.ts";
import { isSpectrumData, spectrumFigureOf } from "./spectrum-figure.ts";

/** Rows of a merged sweep shown in the page; the download has all of them. */
const MAX_ROWS = 200;

/** What kind of result a document is, by the fields it has. */
export type ResultKind =
  | "simulation"
  | "phase-diagram"
  | "boundary"
  | "spectrum-figure"
  | "spectrum"
  | "sweep"
  | "claims"
  | "other";

/** The kind of `json` (see the module comment). */
export function resultKind(json: unknown): ResultKind {
  if (isClaimsResult(json)) return "claims";
  if (isSimulationResult(json)) return "simulation";
  if (isPhaseDiagramJson(json)) return "phase-diagram";
  if (isSpectrumData(json)) return "spectrum-figure";
  const d = (json ?? {}) as Record<string, unknown>;
  if (
    Array.isArray(d.boundary) &&
    d.boundary.every((b) => b && typeof b === "object" && "alpha" in b && "cStar" in b)
  )
    return "boundary";
  if (typeof d.lowerEdge === "number" && "edges" in d && typeof d.c === "number") return "spectrum";
  if (typeof d.planHash === "string" && Array.isArray(d.rows)) return "sweep";
  return "other";
}

/** The section of the RESULT file `file` (shown as given), its document `json`; `name` is a unique file stem. */
export function resultSection(file: string, json: unknown, name: string, id: string): ReportSection {
  const kind = resultKind(json);
  const blocks = [...resultBlocks(kind, json, name)];
  if (kind !== "claims") blocks.push({ kind: "data", name, label: `The result file ${file}`, data: json });
  return { id, title: `Result: ${file} (${kindTitle[kind]})`, blocks };
}

const kindTitle: Record<ResultKind, string> = {
  simulation: "simulation",
  "phase-diagram": "analytic phase diagram",
  boundary: "stability boundary",
  "spectrum-figure": "spectrum against a sample",
  spectrum: "spectrum",
  sweep: "merged sweep",
  claims: "claims checked",
  other: "JSON document",
};

function resultBlocks(kind: ResultKind, json: unknown, name: string): Block[] {
  const d = json as Record<string, unknown>;
  switch (kind) {
    case "simulation": {
      const runs = simulatedRuns(d);
      const table = runTable(runs);
      return [
        { kind: "table", caption: "Setting", head: ["name", "value"], rows: settingRows(d) },
        { kind: "table", caption: "Runs", head: table.head, rows: table.rows },
        {
          kind: "figure",
          name: `${name}-curves`,
          figure: learningCurveFigure(String(d.rule), runs),
          caption: `Training (solid) and test (dashed) error of ${String(d.rule)} at the saved epochs.`,
          data: runs.map((r) => ({
            seed: r.seed,
            epochs: r.epochs,
            trainError: r.trainError,
            testError: r.testError,
          })),
        },
      ];
    }
    case "phase-diagram": {
      if (!isPhaseDiagramJson(json)) return [];
      const map = stabilityMapOf(json);
      return [
        { kind: "paragraph", text: json.source },
        {
          kind: "figure",
          name: `${name}-map`,
          figure: phaseFigure(map, json.boundary),
          caption: `Stable (blue) and unstable (orange) points of the ${map.c.length} × ${map.alpha.length} grid, with the boundary curve c*(α); ${map.failures.length} failed points.`,
          data: { c: json.c, alpha: json.alpha, stable: json.stable, boundary: json.boundary },
        },
        boundaryTable(json.boundary),
      ];
    }
    case "boundary": {
      const boundary = d.boundary as { alpha: number; cStar: number | null; status: string }[];
      const drawn = boundary.filter((b) => b.cStar !== null && b.cStar > 0);
      return [
        boundaryTable(boundary),
        {
          kind: "figure",
          name: `${name}-boundary`,
          figure: {
            title: `Critical ratio c*(α)${typeof d.layer === "string" ? `, ${d.layer} layer` : ""}: stable for c < c*`,
            xLabel: "α (fraction of rule-flipped neurons)",
            yLabel: "c* (log scale)",
            yLog: true,
            series: [
              { x: drawn.map((b) => b.alpha), y: drawn.map((b) => b.cStar!), label: "c*(α)", markers: true },
            ],
          },
          caption:
            "The critical ratio at each α of the table (points without a crossing in the c range are left out).",
          data: boundary,
        },
      ];
    }
    case "spectrum-figure": {
      if (!isSpectrumData(json)) return [];
      return [
        {
          kind: "figure",
          name: `${name}-spectrum`,
          figure: spectrumFigureOf(json),
          caption: `Predicted density of X against the eigenvalues of one sample (M = ${json.M}, N = ${json.N}, seed ${json.seed}); predicted lower edge ${fmt(json.lowerEdge)}, smallest sampled eigenvalue ${fmt(json.smallestEigenvalue)}.`,
          data: { density: json.density, histogram: json.histogram, lowerEdge: json.lowerEdge },
        },
      ];
    }
    case "spectrum":
      return [{ kind: "table", head: ["name", "value"], rows: settingRows(d) }];
    case "sweep": {
      const rows = (d.rows ?? []) as {
        id: number;
        seed: number;
        params: object;
        status: string;
        values: object;
      }[];
      const params = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
      const values = [...new Set(rows.flatMap((r) => Object.keys(r.values)))]
        .filter((k) => rows.every((r) => scalar((r.values as Record<string, unknown>)[k])))
        .sort();
      const cell = (o: object, k: string): Cell => {
        const v = (o as Record<string, unknown>)[k];
        return scalar(v) ? (v as Cell) : null;
      };
      return [
        { kind: "paragraph", text: `Task ${String(d.task)}; counts ${JSON.stringify(d.counts)}.` },
        {
          kind: "table",
          caption:
            rows.length > MAX_ROWS
              ? `The first ${MAX_ROWS} of ${rows.length} rows (all are in the download)`
              : `${rows.length} rows`,
          head: ["id", "seed", ...params, "status", ...values],
          rows: rows
            .slice(0, MAX_ROWS)
            .map((r) => [
              r.id,
              r.seed,
              ...params.map((k) => cell(r.params, k)),
              r.status,
              ...values.map((k) => cell(r.values, k)),
            ]),
        },
      ];
    }
    case "claims":
      return claimBlocks((json as { claims: CheckedClaim[] }).claims, name, "from the result file");
    case "other":
      return [
        {
          kind: "table",
          caption: "Top-level numbers and words",
          head: ["name", "value"],
          rows: settingRows(d),
        },
      ];
  }
}

function boundaryTable(boundary: readonly { alpha: number; cStar: number | null; status: string }[]): Block {
  const shown =
    boundary.length > 41 ? boundary.filter((_, k) => k % Math.ceil(boundary.length / 41) === 0) : boundary;
  return {
    kind: "table",
    caption: `Critical ratio c*(α), stable for c < c* (— where the c range holds no crossing)${shown.length < boundary.length ? ` (every ${Math.ceil(boundary.length / 41)}th of ${boundary.length} values; all are in the download)` : ""}`,
    head: ["α", "c*", "status"],
    rows: shown.map((b) => [b.alpha, b.cStar, b.status]),
  };
}

/** Name/value rows of the top-level scalars and of small objects of scalars (sizes, params). */
function settingRows(d: Record<string, unknown>): Cell[][] {
  const rows: Cell[][] = [];
  for (const [k, v] of Object.entries(d)) {
    if (scalar(v)) rows.push([k, v as Cell]);
    else if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every(scalar)) {
      rows.push([
        k,
        Object.entries(v)
          .map(([a, b]) => `${a} = ${b}`)
          .join(", ") || "none",
      ]);
    } else if (
      Array.isArray(v) &&
      v.length <= 12 &&
      v.every((x) => typeof x === "number" || typeof x === "string")
    ) {
      rows.push([k, v.join(", ") || "none"]);
    }
  }
  return rows;
}

function scalar(v: unknown): boolean {
  return v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean";
}

function fmt(x: number | null): string {
  return x === null ? "—" : x.toPrecision(6);
}
