/**
 * The files of a non-self-adjoint expression's Brown measure (src/spectra/free/brown-map.ts):
 * `brown-<file>.json` with the extent, the abscissa and the density grid, and the figure
 * `brown-<file>.{svg,png}`: the density as a heatmap over the complex plane, the support boundary's
 * crossings of the grid's rows and columns as markers, and the spectral abscissa as a dashed line.
 */
import { join } from "node:path";
import type { BrownMap } from "../spectra/free/brown-map.ts";
import { writeJson } from "../util/io.ts";
import { type Figure, writeFigure } from "./figure.ts";

export interface BrownFigureData {
  /** The expression file's name without .matrix. */
  stem: string;
  map: BrownMap;
  /** max Re λ over the support and the |Im λ| where it is reached. */
  abscissa: number;
  abscissaAt: number;
}

/** Density heatmap (viridis), boundary markers, the abscissa's line and point(s). */
export function brownMeasureFigure(d: BrownFigureData): Figure {
  const { map } = d;
  const dx = map.re[1]! - map.re[0]!;
  const dy = map.im[1]! - map.im[0]!;
  const yRange: [number, number] = [map.im[0]! - dy / 2, map.im[map.im.length - 1]! + dy / 2];
  const at = d.abscissaAt === 0 ? [0] : [-d.abscissaAt, d.abscissaAt];
  return {
    title: `${d.stem}: Brown measure (limiting eigenvalue density)`,
    xLabel: "Re λ",
    yLabel: "Im λ",
    xRange: [map.re[0]! - dx / 2, map.re[map.re.length - 1]! + dx / 2],
    yRange,
    heatmap: { x: map.re, y: map.im, z: map.density, zLabel: "density", colormap: "viridis" },
    series: [
      {
        x: map.boundary.map((p) => p.re),
        y: map.boundary.map((p) => p.im),
        label: "support boundary",
        color: "#e8412c",
        markersOnly: true,
      },
      {
        x: [d.abscissa, d.abscissa],
        y: yRange,
        label: `spectral abscissa max Re λ = ${d.abscissa.toPrecision(6)}`,
        color: "#ffffff",
        dashed: true,
      },
      {
        x: at.map(() => d.abscissa),
        y: at,
        label: "rightmost point of the support",
        color: "#3fd0ff",
        markersOnly: true,
      },
    ],
    width: 760,
    height: 500,
  };
}

/** Writes `brown-<stem>.json` (the document given) and the figure into `outDir`; returns the paths. */
export function writeBrownMeasure(outDir: string, doc: unknown, d: BrownFigureData): string[] {
  const base = join(outDir, `brown-${d.stem}`);
  writeJson(`${base}.json`, doc);
  const fig = writeFigure(base, brownMeasureFigure(d));
  return [`${base}.json`, fig.svg, fig.png];
}
