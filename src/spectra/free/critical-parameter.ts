/**
 * The parameter value where the lower edge of a family of polynomial laws crosses zero (the
 * stability boundary when the Jacobian's nonzero eigenvalues are −spec(p)): the lower edge is
 * scanned on a log grid of the parameter, every sign change is reported, and the first is
 * refined by the Illinois method in log(parameter) to relative 1e-13.
 */
import { InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import type { MatrixExpr } from "./expression.ts";
import { polynomialSpectrum } from "./polynomial-spectrum.ts";
import { spectralEdge } from "./real-branch.ts";

export interface ZeroCrossing {
  /** The crossing, or null when the lower edge keeps one sign over the range. */
  value: number | null;
  /** Sign changes on the scan grid. */
  crossings: [number, number][];
  /** Sign of the lower edge at the low end (+1 stable). */
  lowSign: number;
}

/** The lower edge of the law of `family(v)`. */
export function lowerEdgeOf(family: (v: number) => MatrixExpr, v: number): number {
  const s = polynomialSpectrum(family(v));
  return spectralEdge(s.problem, "lower", { scale: s.scale }).x;
}

export function lowerEdgeZeroCrossing(
  family: (v: number) => MatrixExpr,
  lo: number,
  hi: number,
  scanPoints = 24,
): ZeroCrossing {
  const fn = "lowerEdgeZeroCrossing";
  if (!(lo > 0 && hi > lo && Number.isFinite(hi)))
    throw new InvalidArgumentError(fn, "[lo, hi]", "0 < lo < hi < ∞", [lo, hi]);
  const grid = Array.from({ length: scanPoints }, (_, k) => lo * (hi / lo) ** (k / (scanPoints - 1)));
  const edges = grid.map((v) => lowerEdgeOf(family, v));
  const crossings: [number, number][] = [];
  for (let k = 1; k < grid.length; k++)
    if (Math.sign(edges[k]!) !== Math.sign(edges[k - 1]!)) crossings.push([grid[k - 1]!, grid[k]!]);
  const lowSign = Math.sign(edges[0]!);
  if (crossings.length === 0) return { value: null, crossings, lowSign };
  const k0 = grid.indexOf(crossings[0]![0]);
  const t = illinoisRoot(
    (m) => lowerEdgeOf(family, Math.exp(m)),
    [Math.log(grid[k0]!), edges[k0]!],
    [Math.log(grid[k0 + 1]!), edges[k0 + 1]!],
  );
  return { value: Math.exp(t), crossings, lowSign };
}

/**
 * The root of g in [a, b] from values of opposite signs at the ends, by the Illinois method to
 * |b − a| ≤ 1e-13·max(1, |a|) (the midpoint of the final bracket, or an exact zero).
 */
export function illinoisRoot(
  g: (t: number) => number,
  [a0, fa0]: [number, number],
  [b0, fb0]: [number, number],
): number {
  const fn = "illinoisRoot";
  if (!(Math.sign(fa0) * Math.sign(fb0) < 0))
    throw new InvalidArgumentError(fn, "bracket", "values of opposite signs at its ends", [fa0, fb0]);
  let [a, fa, b, fb] = [a0, fa0, b0, fb0];
  let side = 0;
  for (let it = 0; Math.abs(b - a) > 1e-13 * Math.max(1, Math.abs(a)); it++) {
    if (it > 200)
      throw new NumericFailureError(fn, "Illinois iteration exceeded 200 steps", { bracket: [a, b] });
    let m = (a * fb - b * fa) / (fb - fa);
    if (!(m > Math.min(a, b) && m < Math.max(a, b))) m = 0.5 * (a + b);
    const fm = g(m);
    if (fm === 0) return m;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
      if (side === 1) fb /= 2;
      side = 1;
    } else {
      b = m;
      fb = fm;
      if (side === -1) fa /= 2;
      side = -1;
    }
  }
  return 0.5 * (a + b);
}
