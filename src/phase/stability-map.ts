/**
 * The analytic stability map of two-layer curl descent on a (c, α) grid for one layer
 * (seed 001, Fig. 2): the lower edge of X's limiting spectrum at every grid point, with the
 * root finder warm-started from the neighbouring point in c. Points where the edge search fails
 * are reported one by one, with their coordinates and reason, and marked NaN, never guessed.
 */

import { LowerEdgeProblem } from "../spectra/lower-edge.ts";
import { BoundExceededError, InvalidArgumentError } from "../util/errors.ts";
import { curlDescentLowerEdge } from "./curl-descent-law.ts";
import { type Layer, layerAlphas, requireLayer } from "./layer.ts";

/** Largest number of grid points in one map (16 million doubles of output, about 128 MB). */
export const STABILITY_MAP_MAX_POINTS = 16_000_000;

export interface StabilityMap {
  layer: Layer;
  /** Grid in c (ascending). */
  c: number[];
  /** Grid in α (ascending). */
  alpha: number[];
  /** Lower edge of X at (c[ix], alpha[iy]), stored at iy·c.length + ix; NaN where it failed. */
  lowerEdge: Float64Array;
  /** 1 stable (edge > 0), 0 unstable, 255 failed; same layout. */
  stable: Uint8Array;
  failures: { c: number; alpha: number; reason: string }[];
}

function checkGrid(fn: string, name: string, v: number[], lo: number, hi: number, open: boolean): void {
  if (v.length === 0) throw new InvalidArgumentError(fn, name, "a non-empty list", v);
  v.forEach((x, k) => {
    if (!(Number.isFinite(x) && (open ? x > lo : x >= lo) && x <= hi)) {
      throw new InvalidArgumentError(
        fn,
        `${name}[${k}]`,
        open ? `a number > ${lo}` : `a number in [${lo}, ${hi}]`,
        x,
      );
    }
    if (k > 0 && !(x > v[k - 1]!)) throw new InvalidArgumentError(fn, name, "an ascending list", v);
  });
}

/** Log-spaced values from a to b inclusive. */
export function logSpace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, k) => a * (b / a) ** (k / (n - 1)));
}

/** Uniformly spaced values from a to b inclusive. */
export function linSpace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  return Array.from({ length: n }, (_, k) => a + ((b - a) * k) / (n - 1));
}

/**
 * The map for `layer` on the grid c × alpha. `options.maxEvaluations` bounds the root finder per
 * point (default 400); points that hit it are listed in `failures`.
 */
export function stabilityMap(
  layer: Layer,
  c: number[],
  alpha: number[],
  options: { maxEvaluations?: number } = {},
): StabilityMap {
  requireLayer("stabilityMap", layer);
  return { layer, ...lowerEdgeMap(c, alpha, (a) => layerAlphas(layer, a), options, "stabilityMap") };
}

/**
 * The lower edge of X on the grid c × alpha, where row alpha has the flip fractions
 * `alphasAt(alpha)` (e.g. α_h = alpha at a fixed α_r, as the explorer draws it).
 */
export function lowerEdgeMap(
  c: number[],
  alpha: number[],
  alphasAt: (alpha: number) => { alphaH: number; alphaR: number },
  options: { maxEvaluations?: number } = {},
  fn = "lowerEdgeMap",
): Omit<StabilityMap, "layer"> {
  checkGrid(fn, "c", c, 0, Number.MAX_VALUE, true);
  checkGrid(fn, "alpha", alpha, 0, 1, false);
  const points = c.length * alpha.length;
  if (points > STABILITY_MAP_MAX_POINTS) {
    throw new BoundExceededError(fn, "grid points", STABILITY_MAP_MAX_POINTS, points, "use a coarser grid");
  }
  const lowerEdge = new Float64Array(points);
  const stable = new Uint8Array(points);
  const failures: StabilityMap["failures"] = [];
  const problem = new LowerEdgeProblem();
  for (let iy = 0; iy < alpha.length; iy++) {
    const alphas = alphasAt(alpha[iy]!);
    let warm: number | undefined;
    for (let ix = 0; ix < c.length; ix++) {
      const k = iy * c.length + ix;
      const r = curlDescentLowerEdge(
        { c: c[ix]!, ...alphas },
        { warmStart: warm, maxEvaluations: options.maxEvaluations },
        problem,
      );
      if (r.ok) {
        lowerEdge[k] = r.edge;
        stable[k] = r.edge > 0 ? 1 : 0;
        warm = r.kind === "square-root" ? r.s : undefined;
      } else {
        lowerEdge[k] = Number.NaN;
        stable[k] = 255;
        failures.push({ c: c[ix]!, alpha: alpha[iy]!, reason: r.reason });
        warm = undefined;
      }
    }
  }
  return { c, alpha, lowerEdge, stable, failures };
}
