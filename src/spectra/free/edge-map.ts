/**
 * The lower edge of a two-parameter family of polynomial laws on a grid (the analytic stability
 * map when the Jacobian's nonzero eigenvalues are −spec(p)): the pencil is built once and its
 * numbers refreshed at every point ({@link OperatorCauchyProblem.setEnsembles}); along each row
 * the far start of the previous point is reused when it passes the bound that holds on the
 * physical branch far outside the support (|x| > ‖p‖: G₀₀ ∈ [1/(x − ‖p‖), 1/(x + ‖p‖)] for x < 0).
 * Points whose edge cannot be computed are listed with the reason (and, where Newton failed, the
 * residual) and marked NaN, never guessed.
 */
import {
  BoundExceededError,
  InvalidArgumentError,
  LearndynError,
  NumericFailureError,
} from "../../util/errors.ts";
import { ensemblesOf, type MatrixExpr } from "./expression.ts";
import { normBound, type PolynomialSpectrum, polynomialSpectrum } from "./polynomial-spectrum.ts";
import { type BranchPoint, spectralEdge } from "./real-branch.ts";

/** Largest grid. */
export const EDGE_MAP_MAX_POINTS = 4_000_000;

/**
 * A divergent edge (an atom) within ATOM_AT_ZERO · ‖p‖ (the norm bound of the polynomial) of 0 is
 * an atom at 0: zero eigenvalues in the limit, neither stable nor unstable. The engine places
 * atoms to 1e-7 relative or better on seed 001's maps (1e-12 where the atom's mass is large: its
 * extrapolation stops at |dx/ds| ≤ 1e-6, real-branch.ts), so 1e-6 separates an atom at 0 from
 * one the engine resolves off it; the sign of an edge closer to 0 than that is rounding.
 */
export const ATOM_AT_ZERO = 1e-6;

/** A grid point whose edge could not be computed. */
export interface EdgeFailure {
  x: number;
  y: number;
  reason: string;
  /** ‖Φ(G) − G‖∞ where the failure was a Newton iteration that did not converge. */
  residual?: number;
}

export interface EdgeMap {
  x: number[];
  y: number[];
  /** Lower edge at (x[i], y[j]) stored at j·x.length + i; NaN where it failed. */
  lowerEdge: Float64Array;
  /**
   * "square-root" 1, "divergent" 2 (an atom or a hard edge), 3 an atom at 0 (ATOM_AT_ZERO),
   * failed 0; same layout.
   */
  kind: Uint8Array;
  failures: EdgeFailure[];
  /** Newton iterations over the map. */
  iterations: number;
}

export interface EdgeMapOptions {
  /** Bound on Newton iterations per point (default that of {@link spectralEdge}). */
  maxIterations?: number;
}

/**
 * The lower edge at single grid points of one family, sharing the pencil across points and the
 * far start along a row; results and failures are written into `map`.
 */
export class EdgeGridSolver {
  readonly map: EdgeMap;
  private readonly base: PolynomialSpectrum;
  private farStart: BranchPoint | undefined;

  constructor(
    readonly fn: string,
    private readonly family: (x: number, y: number) => MatrixExpr,
    xs: number[],
    ys: number[],
    private readonly options: EdgeMapOptions = {},
  ) {
    if (xs.length === 0 || ys.length === 0)
      throw new InvalidArgumentError(fn, "grid", "non-empty x and y", [xs.length, ys.length]);
    const points = xs.length * ys.length;
    if (points > EDGE_MAP_MAX_POINTS)
      throw new BoundExceededError(fn, "grid points", EDGE_MAP_MAX_POINTS, points);
    this.base = polynomialSpectrum(family(xs[0]!, ys[0]!));
    this.map = {
      x: xs,
      y: ys,
      lowerEdge: new Float64Array(points).fill(Number.NaN),
      kind: new Uint8Array(points),
      failures: [],
      iterations: 0,
    };
  }

  /** Forgets the far start (at the beginning of a row). */
  newRow(): void {
    this.farStart = undefined;
  }

  /** The lower edge at (x[i], y[j]), stored in the map; NaN when it failed (listed in failures). */
  edgeAt(i: number, j: number): number {
    const map = this.map;
    const problem = this.base.problem;
    const k = j * map.x.length + i;
    const x = map.x[i]!;
    const y = map.y[j]!;
    try {
      const ensembles = ensemblesOf(this.family(x, y));
      problem.setEnsembles(ensembles);
      const scale = normBound(this.base.polynomial, ensembles);
      const e = spectralEdge(problem, "lower", {
        scale,
        farStart: this.farStart,
        maxIterations: this.options.maxIterations,
      });
      map.lowerEdge[k] = e.x;
      map.kind[k] = e.kind === "square-root" ? 1 : Math.abs(e.x) <= ATOM_AT_ZERO * scale ? 3 : 2;
      map.iterations += e.iterations;
      this.farStart = e.start;
      return e.x;
    } catch (err) {
      if (!(err instanceof LearndynError)) throw err;
      const residual = err instanceof NumericFailureError ? err.where.residual : undefined;
      map.failures.push({
        x,
        y,
        reason: err.message,
        ...(typeof residual === "number" ? { residual } : {}),
      });
      this.farStart = undefined;
      return Number.NaN;
    }
  }
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
  options: EdgeMapOptions = {},
): EdgeMap {
  const solver = new EdgeGridSolver("lowerEdgeMap", family, xs, ys, options);
  for (let j = 0; j < ys.length; j++) {
    solver.newRow();
    for (let i = 0; i < xs.length; i++) solver.edgeAt(i, j);
  }
  return solver.map;
}
