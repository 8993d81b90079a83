/**
 * The lower edge of a two-parameter family of polynomial laws on a grid (the analytic stability
 * map when the Jacobian's nonzero eigenvalues are −spec(p)): the pencil is built once and its
 * numbers refreshed at every point ({@link OperatorCauchyProblem.setEnsembles}); along each row
 * the far start of the previous point is reused when it passes the bound that holds on the
 * physical branch far outside the support (|x| > ‖p‖: G₀₀ ∈ [1/(x − ‖p‖), 1/(x + ‖p‖)] for x < 0).
 * Points whose edge cannot be computed are listed with the reason and marked NaN, never guessed.
 */
import { BoundExceededError, InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import { ensemblesOf, type MatrixExpr } from "./expression.ts";
import { normBound, polynomialSpectrum } from "./polynomial-spectrum.ts";
import { type BranchPoint, spectralEdge } from "./real-branch.ts";

/** Largest grid. */
export const EDGE_MAP_MAX_POINTS = 4_000_000;

export interface EdgeMap {
  x: number[];
  y: number[];
  /** Lower edge at (x[i], y[j]) stored at j·x.length + i; NaN where it failed. */
  lowerEdge: Float64Array;
  /** "square-root" 1, "divergent" 2 (an atom or a hard edge), failed 0; same layout. */
  kind: Uint8Array;
  failures: { x: number; y: number; reason: string }[];
  /** Newton iterations over the map. */
  iterations: number;
}

/**
 * The lower edge of the law of `family(x, y)` on the grid x × y. Every member must have the same
 * ensembles (names, kinds, spaces) and the same monomials; only sizes, variances and diagonal
 * laws may change.
 */
export function lowerEdgeMap(
  family: (x: number, y: number) => MatrixExpr,
  xs: number[],
  ys: number[],
): EdgeMap {
  const fn = "lowerEdgeMap";
  if (xs.length === 0 || ys.length === 0)
    throw new InvalidArgumentError(fn, "grid", "non-empty x and y", [xs.length, ys.length]);
  const points = xs.length * ys.length;
  if (points > EDGE_MAP_MAX_POINTS)
    throw new BoundExceededError(fn, "grid points", EDGE_MAP_MAX_POINTS, points);
  const base = polynomialSpectrum(family(xs[0]!, ys[0]!));
  const lowerEdge = new Float64Array(points);
  const kind = new Uint8Array(points);
  const failures: EdgeMap["failures"] = [];
  let iterations = 0;
  for (let j = 0; j < ys.length; j++) {
    let farStart: BranchPoint | undefined;
    for (let i = 0; i < xs.length; i++) {
      const k = j * xs.length + i;
      try {
        const ensembles = ensemblesOf(family(xs[i]!, ys[j]!));
        base.problem.setEnsembles(ensembles);
        const e = spectralEdge(base.problem, "lower", {
          scale: normBound(base.polynomial, ensembles),
          farStart,
        });
        lowerEdge[k] = e.x;
        kind[k] = e.kind === "square-root" ? 1 : 2;
        iterations += e.iterations;
        farStart = e.start;
      } catch (err) {
        if (!(err instanceof LearndynError)) throw err;
        lowerEdge[k] = Number.NaN;
        failures.push({ x: xs[i]!, y: ys[j]!, reason: err.message });
        farStart = undefined;
      }
    }
  }
  return { x: xs, y: ys, lowerEdge, kind, failures, iterations };
}
