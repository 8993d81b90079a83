/**
 * The stability map of a two-parameter family of non-self-adjoint polynomials p (a Jacobian
 * J = −p of a non-gradient rule): J is stable iff the Brown measure of p lies in Re λ > 0, i.e.
 * iff its leftmost point, −(spectral abscissa of −p) (brown-measure.ts), is > 0. Every cell is
 * computed (no sign-map shortcut as for self-adjoint laws, edge-sign-map.ts: a Brown support's
 * leftmost point has no cheap slope bound), so the grid is bounded; each cell costs two
 * hermitized solves per support test, some 10² tests (seconds).
 *
 * The leftmost point is exact to the support test's sharpness, about ε^{2/3} = 2e-7 at the
 * default ε = 1e-10 (inBrownSupport), and to its bisection, 1e-9 (1 + scale); failures are
 * listed with the point and the reason, never guessed.
 */
import { BoundExceededError, LearndynError, NumericFailureError } from "../../util/errors.ts";
import { brownMeasure, spectralAbscissa } from "./brown-measure.ts";
import type { EdgeFailure } from "./edge-map.ts";
import type { EdgeSignMap } from "./edge-sign-map.ts";
import { type MatrixExpr, scale } from "./expression.ts";

/** Largest Brown map (cells): seconds per cell. */
export const BROWN_MAP_MAX_CELLS = 2500;

/** The leftmost point of the Brown measure's support: min Re λ over it. */
export function leftmostPoint(p: MatrixExpr): number {
  return -spectralAbscissa(brownMeasure(scale(-1, p))).abscissa;
}

export function leftmostSignMap(
  family: (x: number, y: number) => MatrixExpr,
  xs: number[],
  ys: number[],
  onCell: () => void = () => {},
): EdgeSignMap {
  const cells = xs.length * ys.length;
  if (cells > BROWN_MAP_MAX_CELLS)
    throw new BoundExceededError("leftmostSignMap", "cells", BROWN_MAP_MAX_CELLS, cells);
  const positive = new Uint8Array(cells);
  const lowerEdge = new Float64Array(cells).fill(Number.NaN);
  const failures: EdgeFailure[] = [];
  ys.forEach((y, j) => {
    xs.forEach((x, i) => {
      const k = j * xs.length + i;
      try {
        const v = leftmostPoint(family(x, y));
        lowerEdge[k] = v;
        positive[k] = v > 0 ? 1 : 0;
      } catch (err) {
        if (!(err instanceof LearndynError)) throw err;
        const residual = err instanceof NumericFailureError ? err.where.residual : undefined;
        failures.push({ x, y, reason: err.message, ...(typeof residual === "number" ? { residual } : {}) });
        positive[k] = 255;
      }
      onCell();
    });
  });
  return {
    x: xs,
    y: ys,
    positive,
    lowerEdge,
    kind: new Uint8Array(cells),
    computed: cells,
    failures,
    iterations: 0,
  };
}
