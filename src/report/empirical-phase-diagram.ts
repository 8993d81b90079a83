/**
 * Files of an empirical phase diagram (seed 001, Figs. 3a and 4a): the mean final test error of
 * a student-teacher sweep per (c, α) cell as a heatmap on a log10 colour scale, with the analytic
 * boundary c*(α) drawn over it, written as `<outDir>/empirical-<layer>.{json,csv,svg,png}`.
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

/** The figure: log10 of the mean test error per cell, log c, the boundary over it. */
export function empiricalPhaseFigure(d: EmpiricalPhaseDiagram): Figure {
  const z = d.alpha.map((_, iy) =>
    d.c.map((_, ix) => d.cells[iy * d.c.length + ix]!.log10MeanTestError ?? Number.NaN),
  );
  const curve = d.boundary.filter((b) => b.cStar !== null);
  const layerName = d.layer === "both" ? "both layers" : `${d.layer} layer`;
  const seeds = new Set(d.cells.map((x) => x.runs));
  const details = [
    `M + N = ${d.total}`,
    ...(d.settings.epochs === undefined ? [] : [`${d.settings.epochs} epochs`]),
    seeds.size === 1 ? `${[...seeds][0]} seeds` : "seeds vary",
  ];
  return {
    title: `Curl descent, ${layerName}: test error (${details.join(", ")})`,
    xLabel: "c = M/N (log scale)",
    yLabel: `fraction of rule-flipped neurons ${ALPHA_SYMBOL[d.layer]}`,
    xLog: true,
    xRange: d.cRange,
    yRange: rangeOf(d.alpha),
    heatmap: {
      x: d.c,
      y: d.alpha,
      z,
      zLabel: "log10 mean test error",
      colormap: "viridis",
    },
    series: [
      {
        x: curve.map((b) => b.cStar!),
        y: curve.map((b) => b.alpha),
        label: "analytic c*(α)",
        color: "#ffffff",
      },
    ],
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

/** Writes `<outDir>/empirical-<layer>.{json,csv,svg,png}`; `source` describes the sweep read. */
export function writeEmpiricalPhaseDiagram(
  outDir: string,
  d: EmpiricalPhaseDiagram,
  source: { sweepDir: string },
): EmpiricalFiles {
  const base = join(outDir, `empirical-${d.layer}`);
  writeJson(`${base}.json`, {
    model: "curl-descent",
    layer: d.layer,
    source: "seed 001, Figs. 3a / 4a: mean final test error of student-teacher runs per (c, α)",
    sweep: { dir: source.sweepDir, planHash: d.planHash, settings: d.settings, backends: d.backends },
    total: d.total,
    c: d.c,
    alpha: d.alpha,
    layout: "cells[iy * c.length + ix] at (c[ix], alpha[iy]); meanTestError null = no value (a run failed)",
    cells: d.cells,
    counts: d.counts,
    boundary: { cRange: d.cRange, points: d.boundary, method: "src/phase/boundary.ts (free probability)" },
    caveat: finiteSizeCaveat(d.total),
  });
  const columns = [
    "c",
    "alpha",
    "M",
    "N",
    "runs",
    "failedRuns",
    "meanTestError",
    "log10MeanTestError",
    "sdTestError",
    "meanTrainError",
    "meanQ",
    "meanLyapunov",
  ];
  writeCsv(`${base}.csv`, columns, d.cells as unknown as Record<string, unknown>[]);
  const fig = writeFigure(base, empiricalPhaseFigure(d));
  return { json: `${base}.json`, csv: `${base}.csv`, ...fig };
}
