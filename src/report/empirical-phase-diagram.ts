/**
 * Files of an empirical phase diagram: the mean final test error of a sweep per (x, y) cell as a
 * heatmap on a log10 colour scale, with seed 001's analytic boundary c*(α) drawn over it where
 * the diagram has one (Figs. 3a and 4a), written as `<outDir>/<name>.{json,csv,svg,png}`: the
 * name is `empirical-<layer>` for a diagram with seed 001's boundary, otherwise
 * `empirical-<rule>-<x>-<y>`.
 */
import { join } from "node:path";
import type { EmpiricalPhaseDiagram } from "../phase/empirical-diagram.ts";
import { writeCsv, writeJson } from "../util/io.ts";
import { type Figure, writeFigure } from "./figure.ts";

const ALPHA_SYMBOL = { hidden: "α_h", readout: "α_r", both: "α_h = α_r" } as const;

/** A note on what the boundary means for a finite network. */
export function finiteSizeCaveat(total: number): string {
  return (
    `the boundary c*(α) is the N → ∞ prediction (seed 001, section 4.2); the runs have M + N = ${total}, ` +
    "so the change of behaviour is smeared over a band around it (fluctuations of the smallest " +
    "eigenvalue of X of order N^(-2/3)) and finite training shifts where it shows"
  );
}

/** The base name of the diagram's files (see the module comment). */
export function empiricalFileName(d: EmpiricalPhaseDiagram): string {
  return d.boundary ? `empirical-${d.boundary.layer}` : `empirical-${d.rule}-${d.x.name}-${d.y.name}`;
}

/**
 * Colours for the six decades below the largest error: the errors that tell a learned cell from
 * one that did not learn. Smaller errors (down to the float64 floor near 1e-30, where a converged
 * run ends) all mean "learned" and share the darkest colour; over the full range they would
 * flatten every difference that matters into one colour.
 */
function errorColourRange(z: readonly (readonly number[])[]): { zRange?: readonly [number, number] } {
  const finite = z.flat().filter(Number.isFinite);
  if (finite.length === 0) return {};
  const hi = Math.max(...finite);
  const lo = Math.min(...finite);
  const floor = Math.floor(hi) - 6;
  return lo < floor ? { zRange: [floor, hi] } : {};
}

/** The figure: log10 of the mean test error per cell, the boundary over it where there is one. */
export function empiricalPhaseFigure(d: EmpiricalPhaseDiagram): Figure {
  const nx = d.x.values.length;
  const z = d.y.values.map((_, iy) =>
    d.x.values.map((_, ix) => d.cells[iy * nx + ix]!.log10MeanTestError ?? Number.NaN),
  );
  const seeds = new Set(d.cells.map((x) => x.runs));
  const details = [
    ...(d.boundary ? [`M + N = ${d.boundary.total}`] : []),
    ...(d.settings.epochs === undefined ? [] : [`${d.settings.epochs} epochs`]),
    seeds.size === 1 ? `${[...seeds][0]} seeds` : "seeds vary",
  ];
  const b = d.boundary;
  const curve = b ? b.points.filter((p) => p.cStar !== null) : [];
  const title = b
    ? `Curl descent, ${b.layer === "both" ? "both layers" : `${b.layer} layer`}: test error (${details.join(", ")})`
    : `${d.rule}: test error (${details.join(", ")})`;
  return {
    title,
    xLabel: b ? "c = M/N (log scale)" : `${d.x.name}${d.xLog ? " (log scale)" : ""}`,
    yLabel: b ? `fraction of rule-flipped neurons ${ALPHA_SYMBOL[b.layer]}` : d.y.name,
    xLog: d.xLog,
    xRange: d.xRange,
    yRange: rangeOf(d.y.values),
    heatmap: {
      x: d.x.values,
      y: d.y.values,
      z,
      zLabel: "log10 mean test error",
      colormap: "viridis",
      ...errorColourRange(z),
    },
    series: b
      ? [
          {
            x: curve.map((p) => p.cStar!),
            y: curve.map((p) => p.alpha),
            label: "analytic c*(α)",
            color: "#ffffff",
          },
        ]
      : [],
    width: 780,
    height: 500,
  };
}

/** Half a cell beyond the end values (the heatmap's extent), or ±0.5 around a single value. */
function rangeOf(v: number[]): [number, number] {
  if (v.length === 1) return [v[0]! - 0.5, v[0]! + 0.5];
  return [v[0]! - (v[1]! - v[0]!) / 2, v.at(-1)! + (v.at(-1)! - v.at(-2)!) / 2];
}

export interface EmpiricalFiles {
  json: string;
  csv: string;
  svg: string;
  png: string;
}

/** Writes the diagram's JSON, CSV, SVG and PNG into `outDir`; `source` describes the sweep read. */
export function writeEmpiricalPhaseDiagram(
  outDir: string,
  d: EmpiricalPhaseDiagram,
  source: { sweepDir: string },
): EmpiricalFiles {
  const base = join(outDir, empiricalFileName(d));
  writeJson(`${base}.json`, {
    rule: d.rule,
    ...(d.boundary ? { layer: d.boundary.layer, total: d.boundary.total } : {}),
    source: d.boundary
      ? "seed 001, Figs. 3a / 4a: mean final test error of student-teacher runs per (c, α)"
      : `mean final test error of runs of rule "${d.rule}" per (${d.x.name}, ${d.y.name})`,
    sweep: { dir: source.sweepDir, planHash: d.planHash, settings: d.settings, backends: d.backends },
    x: d.x,
    y: d.y,
    layout:
      "cells[iy * x.values.length + ix] at (x.values[ix], y.values[iy]); meanTestError null = no value (a run failed)",
    cells: d.cells,
    counts: d.counts,
    boundary: d.boundary
      ? {
          layer: d.boundary.layer,
          cRange: d.xRange,
          points: d.boundary.points,
          method: "src/phase/boundary.ts (free probability)",
        }
      : null,
    notes: d.notes,
    ...(d.boundary ? { caveat: finiteSizeCaveat(d.boundary.total) } : {}),
  });
  // Sizes beside the axes (an axis may be a size itself, e.g. M).
  const sizeNames = [...new Set(d.cells.flatMap((c) => Object.keys(c.sizes ?? {})))].filter(
    (n) => n !== d.x.name && n !== d.y.name,
  );
  const stats = [
    "runs",
    "failedRuns",
    "meanTestError",
    "log10MeanTestError",
    "sdTestError",
    "meanTrainError",
    "meanQ",
    "meanLyapunov",
  ] as const;
  writeCsv(
    `${base}.csv`,
    [d.x.name, d.y.name, ...sizeNames, ...stats],
    d.cells.map((c) => ({
      [d.x.name]: c.x,
      [d.y.name]: c.y,
      ...Object.fromEntries(sizeNames.map((n) => [n, c.sizes?.[n]])),
      ...Object.fromEntries(stats.map((k) => [k, c[k]])),
    })),
  );
  const fig = writeFigure(base, empiricalPhaseFigure(d));
  return { json: `${base}.json`, csv: `${base}.csv`, ...fig };
}
