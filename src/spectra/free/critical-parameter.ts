/**
 * The parameter value where the lower edge of a family of polynomial laws crosses zero (the
 * stability boundary when the Jacobian's nonzero eigenvalues are −spec(p)): the lower edge is
 * scanned on a log grid of the parameter, every sign change is reported, and the first is
 * refined by the Illinois method in log(parameter) to relative 1e-13.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { MatrixExpr } from "./expression.ts";
import { illinoisRoot } from "./illinois.ts";
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
    "lowerEdgeZeroCrossing",
    (m) => lowerEdgeOf(family, Math.exp(m)),
    { a: Math.log(grid[k0]!), fa: edges[k0]!, b: Math.log(grid[k0 + 1]!), fb: edges[k0 + 1]! },
    (a) => 1e-13 * Math.max(1, Math.abs(a)),
  );
  return { value: Math.exp(t), crossings, lowSign };
}
