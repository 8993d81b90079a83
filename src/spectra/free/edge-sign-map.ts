/**
 * The sign of the lower edge of a two-parameter family of polynomial laws on a grid (the
 * analytic stability map: stable where the edge is > 0), from edges at a fraction of the cells.
 * Along each row the edge is computed at every `stride`-th cell (and the last); between two such
 * cells every cell is computed as well when
 *   - their signs differ or one failed (the crossing is located to the cell), or
 *   - the edge could change sign twice in between: |e_a| + |e_b| ≤ L·(b − a), where L is twice
 *     the largest slope |Δe|/Δi of this interval and its two neighbours (an edge that is
 *     Lipschitz with constant L cannot go from e_a to 0 and on to e_b in fewer cells);
 * otherwise the cells in between take the common sign. Between two cells whose edge is an atom at
 * 0 (class 2, marginal: src/spectra/free/edge-map.ts ATOM_AT_ZERO) the cells take that class: such
 * an atom comes from a rank deficiency that holds on an open set of parameters. The classification is then that of the
 * full map wherever the edge, between coarse cells, moves no faster than twice the largest slope
 * seen at the coarse cells around them (a jump of the edge across 0 and back within one stride
 * would be missed; a single jump across 0 is a sign change and is refined).
 */
import { type EdgeFailure, EdgeGridSolver, type EdgeMapOptions } from "./edge-map.ts";
import type { MatrixExpr } from "./expression.ts";

export interface EdgeSignMap {
  x: number[];
  y: number[];
  /**
   * 1 where the lower edge at (x[i], y[j]) is > 0, 0 where < 0 (or = 0 at a square-root edge),
   * 2 where it is an atom at 0 (marginal: zero eigenvalues), 255 failed; at j·x.length + i.
   */
  positive: Uint8Array;
  /** The lower edge where it was computed, NaN elsewhere (inferred cells and failures); same layout. */
  lowerEdge: Float64Array;
  /** 1 square-root, 2 divergent (an atom or a hard edge), 3 an atom at 0, 0 not computed or failed; same layout. */
  kind: Uint8Array;
  /** Cells whose edge was computed. */
  computed: number;
  failures: EdgeFailure[];
  /** Newton iterations over the map. */
  iterations: number;
}

export interface EdgeSignMapOptions extends EdgeMapOptions {
  /** Distance in cells between the coarse cells of a row (default 8; 1 computes every cell). */
  stride?: number;
}

export function lowerEdgeSignMap(
  family: (x: number, y: number) => MatrixExpr,
  xs: number[],
  ys: number[],
  options: EdgeSignMapOptions = {},
): EdgeSignMap {
  const solver = new EdgeGridSolver("lowerEdgeSignMap", family, xs, ys, options);
  const stride = Math.max(1, Math.floor(options.stride ?? 8));
  const nx = xs.length;
  const positive = new Uint8Array(nx * ys.length);
  let computed = 0;
  const edgeAt = (i: number, j: number) => {
    computed++;
    const v = solver.edgeAt(i, j);
    const k = j * nx + i;
    positive[k] = Number.isNaN(v) ? 255 : solver.map.kind[k] === 3 ? 2 : v > 0 ? 1 : 0;
    return v;
  };
  const coarse: number[] = [];
  for (let i = 0; i < nx - 1; i += stride) coarse.push(i);
  coarse.push(nx - 1);
  for (let j = 0; j < ys.length; j++) {
    solver.newRow();
    const e = coarse.map((i) => edgeAt(i, j));
    const sign = (m: number) => positive[j * nx + coarse[m]!]!;
    const slope = (m: number) =>
      m < 0 || m + 1 >= coarse.length ? 0 : Math.abs(e[m + 1]! - e[m]!) / (coarse[m + 1]! - coarse[m]!);
    for (let m = 0; m + 1 < coarse.length; m++) {
      const [a, b] = [coarse[m]!, coarse[m + 1]!];
      const [ea, eb] = [e[m]!, e[m + 1]!];
      const lipschitz = 2 * Math.max(slope(m - 1), slope(m), slope(m + 1));
      const refine =
        !(Number.isFinite(ea) && Number.isFinite(eb)) ||
        sign(m) !== sign(m + 1) ||
        (sign(m) !== 2 && Math.abs(ea) + Math.abs(eb) <= lipschitz * (b - a));
      for (let i = a + 1; i < b; i++) {
        if (refine) edgeAt(i, j);
        else positive[j * nx + i] = sign(m);
      }
    }
  }
  const { lowerEdge, kind, failures, iterations } = solver.map;
  return { x: xs, y: ys, positive, lowerEdge, kind, computed, failures, iterations };
}
