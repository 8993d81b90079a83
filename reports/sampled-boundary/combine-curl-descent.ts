/**
 * Joins the three per-α_h runs of curl descent's sampled boundary (one `phase --sampled` run per
 * α_h, each with its own c window; see README.md) into one figure with seed 001's analytic
 * c*(α_h) drawn over them: `npx tsx reports/sampled-boundary/combine-curl-descent.ts`. It reads the
 * crossings and extrapolations the per-α_h files carry (estimate them again from their samples with
 * `learndyn phase curl-descent --sampled --from FILE --out reports/sampled-boundary`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { boundaryCurve } from "../../src/phase/boundary.ts";
import { linSpace } from "../../src/phase/stability-map.ts";
import { writeFigure } from "../../src/report/figure.ts";
import { sampledBoundaryFigure } from "../../src/report/sampled-boundary-figure.ts";
import { writeJson } from "../../src/util/io.ts";

interface Row {
  alphaH: number;
  analytic: number | null;
  extrapolated?: { value: number; error: number };
  sizes: {
    T: number;
    crossing: {
      status: string;
      value: number | null;
      error: number | null;
      low: number | null;
      high: number | null;
    };
  }[];
}

const dir = import.meta.dirname;
const runs = ["0.2", "0.5", "0.8"].map(
  (a) =>
    JSON.parse(readFileSync(join(dir, `sampled-curl-descent-alphaH-${a}.json`), "utf8")) as {
      rows: Row[];
      seconds: number;
      crossingEstimate: string;
      extrapolatedIn: string;
    },
);
const rows = runs.flatMap((r) => r.rows);
const curve = boundaryCurve("hidden", linSpace(0.15, 0.85, 71));
const figure = sampledBoundaryFigure(
  "curl-descent",
  "c",
  "alphaH",
  rows.map((r) => ({
    y: r.alphaH,
    crossings: r.sizes.map((s) => ({ size: `T = ${s.T}`, ...s.crossing })),
    ...(r.extrapolated ? { extrapolated: r.extrapolated } : {}),
  })) as Parameters<typeof sampledBoundaryFigure>[3],
  { x: curve.map((p) => p.cStar ?? Number.NaN), y: curve.map((p) => p.alpha) },
);
const base = join(dir, "sampled-curl-descent");
writeFigure(base, figure);
writeJson(`${base}.json`, {
  rule: "curl-descent",
  from: ["0.2", "0.5", "0.8"].map((a) => `sampled-curl-descent-alphaH-${a}.json`),
  seconds: runs.map((r) => r.seconds),
  crossingEstimate: runs[0]!.crossingEstimate,
  extrapolatedIn: runs[0]!.extrapolatedIn,
  rows: rows.map((r) => ({
    alphaH: r.alphaH,
    analytic: r.analytic,
    extrapolated: r.extrapolated ?? null,
    deviationInErrors:
      r.extrapolated && r.analytic !== null
        ? (r.extrapolated.value - r.analytic) / r.extrapolated.error
        : null,
    crossings: r.sizes.map((s) => ({ T: s.T, ...s.crossing })),
  })),
});
