/**
 * The report section of a scalar rule's symbolic analysis (src/analysis/analyze.ts): the fixed
 * points with their class as a table, the whole report as `learndyn analyze` prints it, and the
 * analysis as JSON to download.
 */
import { type AnalysisReport, formatReport } from "../analysis/analyze.ts";
import type { Block, ReportSection } from "./report-page.ts";

/** The "Analysis" section of `report`; `name` prefixes its data file. */
export function analysisSection(report: AnalysisReport, name: string): ReportSection {
  const where = (fp: AnalysisReport["fixedPoints"][number]) =>
    fp.point
      ? `(${report.states.map((s) => fp.point![s]).join(", ")})`
      : `${fp.family}${fp.free ? ` (free: ${fp.free.join(", ")})` : ""}`;
  const blocks: Block[] = [
    {
      kind: "paragraph",
      text:
        `${report.gradient.isGradient ? "A gradient" : "Not a gradient"} ${report.kind === "flow" ? "flow" : "map (test of f(x) − x)"}` +
        `${report.gradient.potential ? `: potential L = ${report.gradient.potential}` : ""}; ` +
        `${report.fixedPoints.length} fixed point${report.fixedPoints.length === 1 ? "" : "s"} or families` +
        `${report.fixedPointsComplete ? "" : " (exact decomposition incomplete: numeric search added)"}; ` +
        `${report.invariants.length} polynomial invariant${report.invariants.length === 1 ? "" : "s"} of state degree ≤ ${report.invariantSearch.degree}.`,
    },
    {
      kind: "table",
      caption: `Fixed points (classified at ${
        Object.entries(report.params)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ") || "no parameters"
      })`,
      head: ["where", "dimension", "class", "eigenvalues", "stable where", "found"],
      rows: report.fixedPoints.map((fp) => [
        where(fp),
        fp.dimension,
        `${fp.class}${fp.stability ? ` (samples ${fp.stability})` : ""}`,
        `${fp.eigenvalues.join(", ")}${fp.eigenvaluesSymbolic ? "" : " (numeric)"}`,
        fp.stableWhere ?? null,
        fp.method === "exact" ? "exactly" : "by Newton's method",
      ]),
    },
    { kind: "code", caption: "As printed by learndyn analyze:", text: formatReport(report) },
    {
      kind: "data",
      name: `${name}-analysis`,
      label: "The analysis as JSON (learndyn analyze --json)",
      data: report,
    },
  ];
  return { id: "analysis", title: "Analysis", blocks };
}
