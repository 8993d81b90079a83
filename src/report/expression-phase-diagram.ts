/**
 * The files of a random-matrix expression's analytic phase diagram over two of its params
 * (src/phase/expression-phase.ts): `phase-<file>-<x>-<y>.{json,csv,svg,png}` with the map (the
 * sign of the lower edge per cell, the edge where it was computed), the boundary x*(y) and the
 * figure drawn as seed 001's analytic map is.
 */
import { basename, join } from "node:path";
import type { ExpressionPhase } from "../phase/expression-phase.ts";
import { writeCsv, writeJson } from "../util/io.ts";
import { writeFigure } from "./figure.ts";
import { stabilityFigure } from "./phase-diagram.ts";

/** The JSON document (the layout of `phase-<file>-<x>-<y>.json`). */
export function expressionPhaseJson(p: ExpressionPhase) {
  const { map } = p;
  return {
    source: p.source,
    measure: p.measure,
    criterion:
      p.measure === "Brown measure"
        ? "stable iff the leftmost point of the expression's Brown measure is > 0 (lowerEdge holds that point)"
        : "stable iff the lower edge of the expression's limiting law is > 0; marginal where it is an atom at 0 (zero eigenvalues: stable is null there, marginal true)",
    params: p.params,
    x: { ...p.x, values: map.x },
    y: { ...p.y, values: map.y },
    layout: "stable[iy * x.values.length + ix] at (x.values[ix], y.values[iy])",
    stable: Array.from(map.positive, (s) => (s === 255 || s === 2 ? null : s === 1)),
    marginal: Array.from(map.positive, (s) => s === 2),
    lowerEdge: Array.from(map.lowerEdge, (e) => (Number.isNaN(e) ? null : e)),
    lowerEdgeNote:
      "null where the cell's sign was taken from its row's computed cells (src/spectra/free/edge-sign-map.ts) or where it failed",
    cellsComputed: map.computed,
    boundary: p.boundary,
    failures: map.failures,
  };
}

/** Writes the four files into `outDir`; returns their paths. */
export function writeExpressionPhaseDiagram(outDir: string, p: ExpressionPhase): string[] {
  const { map, x, y } = p;
  const stem = basename(p.source).replace(/\.matrix$/, "");
  const base = join(outDir, `phase-${stem}-${x.name}-${y.name}`);
  const rows: Record<string, unknown>[] = [];
  map.y.forEach((yv, iy) => {
    map.x.forEach((xv, ix) => {
      const k = iy * map.x.length + ix;
      const e = map.lowerEdge[k]!;
      rows.push({
        [x.name]: xv,
        [y.name]: yv,
        lowerEdge: Number.isNaN(e) ? "" : e,
        stable: map.positive[k] === 255 ? "" : map.positive[k] === 2 ? "marginal" : map.positive[k],
      });
    });
  });
  writeJson(`${base}.json`, expressionPhaseJson(p));
  writeCsv(`${base}.csv`, [x.name, y.name, "lowerEdge", "stable"], rows);
  const fig = writeFigure(
    base,
    stabilityFigure({
      title: `${stem}: stability (${p.measure === "Brown measure" ? "leftmost point of the Brown measure" : "lower edge of the limiting spectrum"} > 0)`,
      xLabel: x.log ? `${x.name} (log scale)` : x.name,
      yLabel: y.name,
      xLog: x.log,
      x: map.x,
      y: map.y,
      stable: map.positive,
      curve: p.boundary.filter((b) => b.xStar !== null).map((b) => ({ x: b.xStar!, y: b.y })),
      curveLabel: `boundary ${x.name}*(${y.name})`,
    }),
  );
  return [`${base}.json`, `${base}.csv`, fig.svg, fig.png];
}
