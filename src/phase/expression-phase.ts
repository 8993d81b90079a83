/**
 * The analytic stability map of a random-matrix expression over two of its params: the sign of
 * the lower edge of its limiting law (stable where the edge is > 0, the Jacobian's nonzero
 * eigenvalues being −spec(p)) on an x × y grid (src/spectra/free/edge-sign-map.ts), and the
 * boundary x*(y): on every row, each sign change between adjacent cells refined by the Illinois
 * method on the edge (in log x on a log axis) to relative 1e-13 of the bracket.
 *
 * A non-self-adjoint expression (the Jacobian of a non-gradient rule) has a Brown measure instead:
 * J = −p is stable iff the measure lies in Re λ > 0, so the map is the sign of its leftmost point
 * (src/spectra/free/brown-sign-map.ts: every cell computed, seconds each), refined to relative 1e-7.
 */
import { leftmostPoint, leftmostSignMap } from "../spectra/free/brown-sign-map.ts";
import { lowerEdgeOf } from "../spectra/free/critical-parameter.ts";
import { type EdgeSignMap, lowerEdgeSignMap } from "../spectra/free/edge-sign-map.ts";
import type { MatrixExpr } from "../spectra/free/expression.ts";
import { parseMatrixExpression } from "../spectra/free/expression-parse.ts";
import { illinoisRoot } from "../spectra/free/illinois.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "../spectra/free/noncommutative-polynomial.ts";
import { InvalidArgumentError, LearndynError } from "../util/errors.ts";
import { linSpace, logSpace } from "./stability-map.ts";

export interface PhaseAxis {
  /** A param of the expression file. */
  name: string;
  lo: number;
  hi: number;
  count: number;
  log: boolean;
}

/** What a cell is: the lower edge > 0, < 0, or an atom at 0 (zero eigenvalues in the limit). */
export type StabilityClass = "stable" | "unstable" | "marginal";

/** A change of stability along a row: at x between two adjacent cells. */
export interface StabilityCrossing {
  x: number;
  /** Stable on the side of smaller x. */
  stableBelow: boolean;
  /** The classes on the side of smaller x and of larger x. */
  between: [StabilityClass, StabilityClass];
  /** Why x is the cell midpoint (in the axis' scale) instead of a refined root, when it is. */
  unrefined?: string;
}

export interface ExpressionBoundaryPoint {
  y: number;
  /** The first crossing, or null. */
  xStar: number | null;
  crossings: StabilityCrossing[];
  /** "crossing", "stable" or "unstable" over the whole x range, or "failed cells". */
  status: string;
}

export interface ExpressionPhase {
  source: string;
  /**
   * "spectral law" for a self-adjoint expression (map: the sign of its lower edge), "Brown
   * measure" otherwise (map: the sign of its leftmost point, kept in map.lowerEdge).
   */
  measure: "spectral law" | "Brown measure";
  /** The other params of the file, at the values used. */
  params: Record<string, number>;
  x: PhaseAxis;
  y: PhaseAxis;
  map: EdgeSignMap;
  boundary: ExpressionBoundaryPoint[];
}

const CLASS: Record<number, StabilityClass> = { 0: "unstable", 1: "stable", 2: "marginal" };

function axisValues(a: PhaseAxis): number[] {
  return a.log ? logSpace(a.lo, a.hi, a.count) : linSpace(a.lo, a.hi, a.count);
}

/**
 * The map and boundary of the expression in `text` over params `x.name` (horizontal) and
 * `y.name`, the other params at `params` (or the file's defaults).
 */
export function expressionPhase(
  text: string,
  source: string,
  x: PhaseAxis,
  y: PhaseAxis,
  params: Record<string, number> = {},
  options: { onCell?: () => void } = {},
): ExpressionPhase {
  const fn = "phase";
  const declared = parseMatrixExpression(text, { params, source }).params;
  for (const [option, a] of [
    ["--over", x],
    ["--over", y],
  ] as const) {
    if (!(a.name in declared))
      throw new InvalidArgumentError(
        fn,
        option,
        `two params of ${source} (it declares ${Object.keys(declared).join(", ") || "none"})`,
        a.name,
      );
    if (a.log && !(a.lo > 0))
      throw new InvalidArgumentError(fn, `the range of ${a.name}`, "lo > 0 on a log axis", a.lo);
  }
  if (x.name === y.name) throw new InvalidArgumentError(fn, "--over", "two different params", x.name);
  const family = (u: number, v: number): MatrixExpr =>
    parseMatrixExpression(text, { params: { ...params, [x.name]: u, [y.name]: v }, source }).expression;
  const xs = axisValues(x);
  const ys = axisValues(y);
  const first = family(xs[0]!, ys[0]!);
  const selfAdjoint = selfAdjointDefect(noncommutativePolynomial(first)) === null;
  const map = selfAdjoint
    ? lowerEdgeSignMap(family, xs, ys)
    : leftmostSignMap(family, xs, ys, options.onCell);
  /** The quantity whose sign is stability: the lower edge, or the Brown measure's leftmost point. */
  const criterion = selfAdjoint
    ? (u: number, v: number) => lowerEdgeOf((w) => family(w, v), u)
    : (u: number, v: number) => leftmostPoint(family(u, v));
  // The leftmost point is sharp to about 2e-7 (brown-sign-map.ts): no tighter bracket is meaningful.
  const rootTolerance = selfAdjoint ? 1e-13 : 1e-7;
  const toT = (v: number) => (x.log ? Math.log(v) : v);
  const fromT = (t: number) => (x.log ? Math.exp(t) : t);
  const boundary = ys.map((yv, j): ExpressionBoundaryPoint => {
    const row = map.positive.subarray(j * xs.length, (j + 1) * xs.length);
    const crossings: StabilityCrossing[] = [];
    for (let i = 0; i + 1 < xs.length; i++) {
      const [a, b] = [row[i]!, row[i + 1]!];
      if (a === 255 || b === 255 || a === b) continue;
      const k = j * xs.length + i;
      const [ea, eb] = [map.lowerEdge[k]!, map.lowerEdge[k + 1]!];
      const ta = toT(xs[i]!);
      const tb = toT(xs[i + 1]!);
      let xv: number;
      let unrefined: string | undefined;
      const between: [StabilityClass, StabilityClass] = [CLASS[a]!, CLASS[b]!];
      if (a === 2 || b === 2) {
        // An atom at 0 on one side: the edge there is 0 to rounding, so its sign brackets nothing.
        crossings.push({
          x: fromT(0.5 * (ta + tb)),
          stableBelow: a === 1,
          between,
          unrefined: "an atom at 0 on one side (marginal): the cell midpoint",
        });
        continue;
      }
      try {
        // An edge exactly 0 counts as unstable: the bracket is [> 0, ≤ 0], shifted off the zero.
        const g = (t: number) => {
          const e = criterion(fromT(t), yv);
          return e > 0 ? e : Math.min(e, -Number.MIN_VALUE);
        };
        const bracket = {
          a: ta,
          fa: ea > 0 ? ea : -Number.MIN_VALUE,
          b: tb,
          fb: eb > 0 ? eb : -Number.MIN_VALUE,
        };
        xv = fromT(illinoisRoot("phase", g, bracket, (t) => rootTolerance * Math.max(1, Math.abs(t))));
      } catch (err) {
        if (!(err instanceof LearndynError)) throw err;
        xv = fromT(0.5 * (ta + tb));
        unrefined = err.message;
      }
      crossings.push({ x: xv, stableBelow: a === 1, between, ...(unrefined ? { unrefined } : {}) });
    }
    const failed = row.some((s) => s === 255);
    const status = crossings.length > 0 ? "crossing" : failed ? "failed cells" : CLASS[row[0]!]!;
    return { y: yv, xStar: crossings[0]?.x ?? null, crossings, status };
  });
  const fixed = Object.fromEntries(Object.entries(declared).filter(([k]) => k !== x.name && k !== y.name));
  return {
    source,
    measure: selfAdjoint ? "spectral law" : "Brown measure",
    params: fixed,
    x,
    y,
    map,
    boundary,
  };
}
