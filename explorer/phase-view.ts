/**
 * The analytic phase diagram of seed 001's curl descent: the lower edge of the manifold matrix X
 * (eq. 98; its law by free convolution, src/phase/curl-descent-law.ts) on a 200 × 200 grid of
 * (log c, α_h) at the chosen α_r, the boundary where it changes sign, and c*(α_h, α_r) at the
 * marker, computed exactly as `learndyn phase` does (criticalRatio).
 */
import * as Plot from "@observablehq/plot";
import { criticalRatio } from "../src/phase/boundary.ts";
import { linSpace, logSpace, lowerEdgeMap } from "../src/phase/stability-map.ts";
import type { ExplorerState } from "./state.ts";
import { onPlotClick } from "./plot-click.ts";

export const MAP_SIZE = 200;

export interface PhaseMap {
  alphaR: number;
  cMin: number;
  cMax: number;
  /** Lower edge at row α_h index iy, column c index ix: iy·MAP_SIZE + ix. */
  edge: Float64Array;
  /** The boundary: per row, log10 c where the edge changes sign (linear interpolation), or none. */
  boundary: { alphaH: number; log10c: number }[];
}

/** The map for the state's α_r and c range. */
export function computeMap(s: ExplorerState): PhaseMap {
  const c = logSpace(s.cMin, s.cMax, MAP_SIZE);
  const alphas = linSpace(0, 1, MAP_SIZE);
  const map = lowerEdgeMap(c, alphas, (alphaH) => ({ alphaH, alphaR: s.alphaR }));
  const boundary: PhaseMap["boundary"] = [];
  for (let iy = 0; iy < MAP_SIZE; iy++) {
    for (let ix = 1; ix < MAP_SIZE; ix++) {
      const a = map.lowerEdge[iy * MAP_SIZE + ix - 1]!;
      const b = map.lowerEdge[iy * MAP_SIZE + ix]!;
      if (a > 0 && b <= 0) {
        const t = a / (a - b);
        const la = Math.log10(c[ix - 1]!);
        boundary.push({ alphaH: alphas[iy]!, log10c: la + t * (Math.log10(c[ix]!) - la) });
        break;
      }
    }
  }
  return { alphaR: s.alphaR, cMin: s.cMin, cMax: s.cMax, edge: map.lowerEdge, boundary };
}

/** c*(α_h, α_r) in the state's c range, as `learndyn phase` computes it; null where there is none. */
export function markerCritical(s: ExplorerState): number | null {
  return criticalRatio(s.alphaH, s.alphaR, { cMin: s.cMin, cMax: s.cMax }).value;
}

const pow10 = (x: number) => {
  const v = 10 ** x;
  return v >= 0.01 && v < 1000 ? String(Number(v.toPrecision(2))) : `1e${Math.round(x)}`;
};

/** The figure: map, boundary, marker at (c*, α_h) and the selected point; `onPick` gets clicks. */
export function drawPhase(
  map: PhaseMap,
  s: ExplorerState,
  cStar: number | null,
  onPick: (c: number, alphaH: number) => void,
): SVGSVGElement | HTMLElement {
  const x1 = Math.log10(map.cMin);
  const x2 = Math.log10(map.cMax);
  const values = Array.from(map.edge, (e) => (Number.isFinite(e) ? Math.sign(e) * Math.sqrt(Math.abs(e)) : Number.NaN));
  const marks: Plot.Markish[] = [
    Plot.raster(values, { width: MAP_SIZE, height: MAP_SIZE, x1, x2, y1: 0, y2: 1, imageRendering: "pixelated" }),
    Plot.line(map.boundary, { x: "log10c", y: "alphaH", stroke: "black", strokeWidth: 2 }),
    Plot.ruleY([s.alphaH], { stroke: "#444", strokeDasharray: "4 3" }),
  ];
  if (cStar !== null) {
    marks.push(Plot.dot([{ x: Math.log10(cStar), y: s.alphaH }], { x: "x", y: "y", r: 6, fill: "white", stroke: "black" }));
  }
  if (s.selected) {
    marks.push(
      Plot.dot([{ x: Math.log10(s.selected.c), y: s.selected.alphaH }], {
        x: "x",
        y: "y",
        r: 5,
        symbol: "cross",
        stroke: "black",
        strokeWidth: 2,
      }),
    );
  }
  const plot = Plot.plot({
    width: 560,
    height: 420,
    marginLeft: 50,
    x: { domain: [x1, x2], label: "c = M/N", tickFormat: pow10 },
    y: { domain: [0, 1], label: "α_h (hidden layer flipped)" },
    color: { type: "diverging", pivot: 0, scheme: "RdBu", domain: [-1, 1], legend: true, label: "sign·√|lower edge of X| (blue stable)" },
    marks,
  });
  onPlotClick(plot, (lx, a) => {
    if (lx >= x1 && lx <= x2 && a >= 0 && a <= 1) onPick(10 ** lx, a);
  });
  return plot;
}
