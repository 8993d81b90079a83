/**
 * Stability boundaries of the solution manifold of two-layer curl descent: the critical ratio
 * c*(α_h, α_r) where the lower edge of X = ‖W2‖²D1 + W1ᵀD2W1 crosses zero (seed 001, section 4.2,
 * Fig. 2), and the critical fraction α*(c) of a layer at fixed c.
 *
 * Both are found by a scan of the sign of the lower edge on a grid (log-spaced in c, uniform in
 * α) followed by bisection in the first bracket; every sign change on the scan grid is reported,
 * so a non-monotone boundary is visible instead of silently taking one crossing.
 */
import { InvalidArgumentError, requireInRange } from "../util/errors.ts";
import { curlDescentLowerEdge } from "./curl-descent-law.ts";
import { type Layer, layerAlphas, requireLayer } from "./layer.ts";

export interface CriticalValue {
  /** The crossing (c* or α*), or null when there is none in the range. */
  value: number | null;
  /**
   * "crossing": stable on the low side, unstable on the high side; "reverse-crossing": the
   * opposite; "stable" / "unstable": the same sign over the whole range; "failed": the lower
   * edge could not be computed at some scan point (see `failure`).
   */
  status: "crossing" | "reverse-crossing" | "stable" | "unstable" | "failed";
  /** All sign changes seen on the scan grid (brackets [lo, hi]). */
  crossings: [number, number][];
  failure?: string;
}

export interface ScanOptions {
  /** Number of scan points (default 48). */
  scanPoints?: number;
  /** Bisection steps after the scan (default 50, i.e. to float64 resolution of the bracket). */
  bisections?: number;
}

type EdgeAt = (v: number) => { edge: number } | { failure: string };

function scanAndBisect(
  edgeAt: EdgeAt,
  grid: number[],
  mid: (a: number, b: number) => number,
  bisections: number,
): CriticalValue {
  const signs: number[] = [];
  for (const v of grid) {
    const r = edgeAt(v);
    if ("failure" in r)
      return { value: null, status: "failed", crossings: [], failure: `at ${v}: ${r.failure}` };
    signs.push(r.edge > 0 ? 1 : -1);
  }
  const crossings: [number, number][] = [];
  for (let k = 1; k < grid.length; k++)
    if (signs[k] !== signs[k - 1]) crossings.push([grid[k - 1]!, grid[k]!]);
  if (crossings.length === 0)
    return { value: null, status: signs[0]! > 0 ? "stable" : "unstable", crossings };
  let [lo, hi] = crossings[0]!;
  const k0 = grid.indexOf(lo);
  const lowSign = signs[k0]!;
  for (let it = 0; it < bisections; it++) {
    const m = mid(lo, hi);
    if (!(m > lo && m < hi)) break;
    const r = edgeAt(m);
    if ("failure" in r) return { value: null, status: "failed", crossings, failure: `at ${m}: ${r.failure}` };
    if ((r.edge > 0 ? 1 : -1) === lowSign) lo = m;
    else hi = m;
  }
  return { value: mid(lo, hi), status: lowSign > 0 ? "crossing" : "reverse-crossing", crossings };
}

/**
 * c*(α_h, α_r) on [cMin, cMax] (defaults 1e-3, 1e3): the c where the lower edge changes sign,
 * scanning log-uniformly. For seed 001's laws the manifold is stable below c* ("crossing").
 */
export function criticalRatio(
  alphaH: number,
  alphaR: number,
  range: { cMin?: number; cMax?: number } = {},
  options: ScanOptions = {},
): CriticalValue {
  const fn = "criticalRatio";
  requireInRange(fn, "alphaH", alphaH, 0, 1);
  requireInRange(fn, "alphaR", alphaR, 0, 1);
  const cMin = range.cMin ?? 1e-3;
  const cMax = range.cMax ?? 1e3;
  if (!(cMin > 0 && cMax > cMin && Number.isFinite(cMax))) {
    throw new InvalidArgumentError(fn, "range", "0 < cMin < cMax < ∞", range);
  }
  const n = options.scanPoints ?? 48;
  const grid = Array.from({ length: n }, (_, k) => cMin * (cMax / cMin) ** (k / (n - 1)));
  const edgeAt: EdgeAt = (c) => {
    const r = curlDescentLowerEdge({ c, alphaH, alphaR });
    return r.ok ? { edge: r.edge } : { failure: r.reason };
  };
  return scanAndBisect(edgeAt, grid, (a, b) => Math.sqrt(a * b), options.bisections ?? 50);
}

/** α*(c) for one layer: the flip fraction in [0, 1] where the lower edge changes sign. */
export function criticalAlpha(c: number, layer: Layer, options: ScanOptions = {}): CriticalValue {
  if (!(typeof c === "number" && Number.isFinite(c) && c > 0)) {
    throw new InvalidArgumentError("criticalAlpha", "c", "a finite number > 0", c);
  }
  requireLayer("criticalAlpha", layer);
  const n = options.scanPoints ?? 48;
  const grid = Array.from({ length: n }, (_, k) => k / (n - 1));
  const edgeAt: EdgeAt = (alpha) => {
    const r = curlDescentLowerEdge({ c, ...layerAlphas(layer, alpha) });
    return r.ok ? { edge: r.edge } : { failure: r.reason };
  };
  return scanAndBisect(edgeAt, grid, (a, b) => 0.5 * (a + b), options.bisections ?? 50);
}

export interface BoundaryPoint {
  alpha: number;
  /** c*(α), or null when the manifold is stable (or unstable) over the whole c range. */
  cStar: number | null;
  status: string;
}

/** c*(α) for each α of `layer` over [cMin, cMax]. */
export function boundaryCurve(layer: Layer, alphas: number[], cMin = 1e-3, cMax = 1e3): BoundaryPoint[] {
  requireLayer("boundaryCurve", layer);
  return alphas.map((alpha) => {
    const { alphaH, alphaR } = layerAlphas(layer, alpha);
    const r = criticalRatio(alphaH, alphaR, { cMin, cMax });
    return { alpha, cStar: r.value, status: r.failure ? `${r.status}: ${r.failure}` : r.status };
  });
}
