/**
 * The analytic phase diagram of two-layer curl descent for one layer (seed 001, Fig. 2): the
 * stability map on a (c, α) grid, the boundary curve c*(α), and the files that hold them
 * (JSON, CSV, and the figure as SVG and PNG).
 */
import { join } from "node:path";
import { type BoundaryPoint, boundaryCurve } from "../phase/boundary.ts";
import type { Layer } from "../phase/layer.ts";
import { linSpace, logSpace, type StabilityMap, stabilityMap } from "../phase/stability-map.ts";
import { writeCsv, writeJson } from "../util/io.ts";
import { writeNpz } from "../util/npy.ts";
import { type Figure, writeFigure } from "./figure.ts";

const ALPHA_SYMBOL: Record<Layer, string> = { hidden: "α_h", readout: "α_r", both: "α_h = α_r" };

/** What a stability figure draws: cells over an x × y grid and a boundary curve. */
export interface StabilityFigureData {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog: boolean;
  x: readonly number[];
  y: readonly number[];
  /** 1 stable, 0 unstable, 2 marginal (an atom at 0), 255 failed (drawn missing), at iy·x.length + ix. */
  stable: Uint8Array;
  /** The boundary curve's points (x, y), drawn where x lies in the grid's range. */
  curve: { x: number; y: number }[];
  curveLabel: string;
}

/** Stable/unstable regions as a categorical heatmap with the boundary curve over it. */
export function stabilityFigure(d: StabilityFigureData): Figure {
  const z = d.y.map((_, iy) =>
    d.x.map((_, ix) => {
      const s = d.stable[iy * d.x.length + ix]!;
      return s === 255 ? Number.NaN : s;
    }),
  );
  const lo = d.x[0]!;
  const hi = d.x[d.x.length - 1]!;
  const curve = d.curve.filter((p) => p.x >= lo && p.x <= hi);
  return {
    title: d.title,
    xLabel: d.xLabel,
    yLabel: d.yLabel,
    xLog: d.xLog,
    xRange: [lo, hi],
    yRange: [d.y[0]!, d.y[d.y.length - 1]!],
    heatmap: {
      x: d.x,
      y: d.y,
      z,
      colormap: "categorical",
      categories: [
        { value: 1, label: "stable", color: "#9ecae1" },
        { value: 0, label: "unstable", color: "#fdae6b" },
        ...(d.stable.includes(2) ? [{ value: 2, label: "marginal (atom at 0)", color: "#d9d9d9" }] : []),
      ],
    },
    series: [
      {
        x: curve.map((p) => p.x),
        y: curve.map((p) => p.y),
        label: d.curveLabel,
        color: "#000000",
      },
    ],
    width: 760,
    height: 500,
  };
}

/** The figure: stable/unstable regions as a categorical heatmap, the boundary curve over it, log c. */
export function phaseFigure(map: StabilityMap, boundary: BoundaryPoint[]): Figure {
  const layerName = map.layer === "both" ? "both layers" : `${map.layer} layer`;
  return stabilityFigure({
    title: `Curl descent, ${layerName}: stability of the solution manifold`,
    xLabel: "c = M/N (log scale)",
    yLabel: `fraction of rule-flipped neurons ${ALPHA_SYMBOL[map.layer]}`,
    xLog: true,
    x: map.c,
    y: map.alpha,
    stable: map.stable,
    curve: boundary.filter((b) => b.cStar !== null).map((b) => ({ x: b.cStar!, y: b.alpha })),
    curveLabel: "boundary c*(α)",
  });
}

export interface PhaseDiagramOptions {
  cMin?: number;
  cMax?: number;
  /** Grid sizes (default 400 × 401). */
  nc?: number;
  nalpha?: number;
  /** α values of the boundary curve (default 201 values on [0, 1]). */
  boundaryAlphas?: number[];
  /**
   * Also write `phase-<layer>.npz` for NumPy: c [nc], alpha [nalpha], lowerEdge [nalpha, nc]
   * (NaN where it failed), stable [nalpha, nc] (int32: 1 stable, 0 unstable, -1 failed),
   * boundaryAlpha and boundaryCStar (NaN where there is no crossing) [n].
   */
  npz?: boolean;
}

export interface PhaseDiagramResult {
  layer: Layer;
  boundary: BoundaryPoint[];
  map: StabilityMap;
  files: string[];
}

/** The stability map and boundary curve of `layer` on the grid the options describe. */
export function phaseDiagram(
  layer: Layer,
  options: PhaseDiagramOptions = {},
): { map: StabilityMap; boundary: BoundaryPoint[] } {
  const cMin = options.cMin ?? 0.01;
  const cMax = options.cMax ?? 100;
  const map = stabilityMap(
    layer,
    logSpace(cMin, cMax, options.nc ?? 400),
    linSpace(0, 1, options.nalpha ?? 401),
  );
  const boundary = boundaryCurve(layer, options.boundaryAlphas ?? linSpace(0, 1, 201), cMin, cMax);
  return { map, boundary };
}

/** The JSON document of a phase diagram (the layout of `phase-<layer>.json`). */
export function phaseDiagramJson(map: StabilityMap, boundary: BoundaryPoint[]) {
  return {
    model: "curl-descent",
    layer: map.layer,
    source: "seed 001, appendix B.4: lower edge of X = ‖W2‖²D1 + W1ᵀD2W1 by free probability; stable iff > 0",
    c: map.c,
    alpha: map.alpha,
    lowerEdge: Array.from(map.lowerEdge),
    stable: Array.from(map.stable, (s) => (s === 255 ? null : s === 1)),
    layout: "lowerEdge[iy * c.length + ix] at (c[ix], alpha[iy])",
    boundary,
    failures: map.failures,
  };
}

/** Computes and writes `<outDir>/phase-<layer>.{json,csv,svg,png}` (and `.npz` with options.npz). */
export function writePhaseDiagram(
  outDir: string,
  layer: Layer,
  options: PhaseDiagramOptions = {},
): PhaseDiagramResult {
  const { map, boundary } = phaseDiagram(layer, options);
  const base = join(outDir, `phase-${layer}`);
  const rows: Record<string, unknown>[] = [];
  map.alpha.forEach((alpha, iy) => {
    map.c.forEach((c, ix) => {
      const k = iy * map.c.length + ix;
      rows.push({
        c,
        alpha,
        lowerEdge: map.lowerEdge[k],
        stable: map.stable[k] === 255 ? "" : map.stable[k],
      });
    });
  });
  writeJson(`${base}.json`, phaseDiagramJson(map, boundary));
  writeCsv(`${base}.csv`, ["c", "alpha", "lowerEdge", "stable"], rows);
  const fig = writeFigure(base, phaseFigure(map, boundary));
  const files = [`${base}.json`, `${base}.csv`, fig.svg, fig.png];
  if (options.npz) {
    const grid = [map.alpha.length, map.c.length];
    writeNpz(`${base}.npz`, {
      c: { data: map.c, shape: [map.c.length] },
      alpha: { data: map.alpha, shape: [map.alpha.length] },
      lowerEdge: { data: map.lowerEdge, shape: grid },
      stable: { data: Array.from(map.stable, (s) => (s === 255 ? -1 : s)), shape: grid, dtype: "<i4" },
      boundaryAlpha: { data: boundary.map((b) => b.alpha), shape: [boundary.length] },
      boundaryCStar: { data: boundary.map((b) => b.cStar ?? Number.NaN), shape: [boundary.length] },
    });
    files.push(`${base}.npz`);
  }
  return { layer, boundary, map, files };
}

/** The document {@link phaseDiagramJson} makes, as read back from a file. */
export type PhaseDiagramJson = ReturnType<typeof phaseDiagramJson>;

/** True for a `phase-<layer>.json` document (a map on a (c, α) grid with its boundary). */
export function isPhaseDiagramJson(json: unknown): json is PhaseDiagramJson {
  if (json === null || typeof json !== "object") return false;
  const d = json as Record<string, unknown>;
  return (
    typeof d.layer === "string" &&
    Array.isArray(d.c) &&
    Array.isArray(d.alpha) &&
    Array.isArray(d.lowerEdge) &&
    Array.isArray(d.stable) &&
    Array.isArray(d.boundary) &&
    d.lowerEdge.length === d.c.length * d.alpha.length &&
    d.stable.length === d.lowerEdge.length
  );
}

/** The stability map of a `phase-<layer>.json` document (null edges, written for NaN, read back as NaN). */
export function stabilityMapOf(d: PhaseDiagramJson): StabilityMap {
  return {
    layer: d.layer,
    c: d.c,
    alpha: d.alpha,
    lowerEdge: Float64Array.from(d.lowerEdge, (v) => (v === null ? Number.NaN : v)),
    stable: Uint8Array.from(d.stable, (s) => (s === null ? 255 : s ? 1 : 0)),
    failures: d.failures,
  };
}
