/**
 * The support of μ ⊞ ν: its edges and atoms. Edge candidates are algebraic: the real double
 * roots of the subordination polynomial (see {@link doubleRootPolynomial}), each mapped to
 * x = ω + B(ω)/A(ω). A candidate is accepted as an edge only when the Stieltjes-inversion
 * density is zero on one side of it and positive on the other.
 */

import { doubleRootPolynomial, type FreeSum, freeSumAtoms, freeSumDensity } from "./free-convolution.ts";
import { complexRoots, polyEval, polyTrim } from "./polynomial.ts";

export interface SpectralEdge {
  x: number;
  side: "lower" | "upper";
  /** Densities at x − δ and x + δ that validated the edge. */
  densityBelow: number;
  densityAbove: number;
}

export interface SupportDescription {
  /** Validated edges, ascending. */
  edges: SpectralEdge[];
  /** Intervals [lower, upper] of the continuous part. */
  intervals: [number, number][];
  atoms: { location: number; mass: number }[];
  /** Candidates rejected by the density test (complex-branch critical points). */
  rejected: number[];
}

/**
 * Edges and atoms of μ ⊞ ν. The density test evaluates ρ at x ± δ, δ = 1e-4·(1 + |x|), by
 * Stieltjes inversion at η = 1e-12·(1 + |x|): at a square-root edge the inside density is
 * ≈ C√δ = 1e-2·C while the outside one is the smoothing O(η/√δ) = 1e-10, and at a hard edge
 * (ρ ~ 1/√) the inside is larger still. An edge needs inside > 1e-7 and outside < 1e-3·inside,
 * a margin of 10⁴ for C ≥ 1e-3 (bands of mass ≥ 1e-3).
 */
export function spectralSupport(sum: FreeSum): SupportDescription {
  const D = polyTrim(doubleRootPolynomial(sum), 1e-15);
  const roots = complexRoots(D);
  const candidates: number[] = [];
  for (const r of roots) {
    if (Math.abs(r.im) > 1e-7 * (1 + Math.abs(r.re))) continue;
    const a = polyEval(sum.A, r.re);
    if (a === 0) continue;
    const x = r.re + polyEval(sum.B, r.re) / a;
    if (Number.isFinite(x) && !candidates.some((c) => Math.abs(c - x) < 1e-9 * (1 + Math.abs(x))))
      candidates.push(x);
  }
  candidates.sort((u, v) => u - v);
  const { edges, rejected } = validatedEdges(candidates, (y, eta) => freeSumDensity(sum, y, eta));
  return { edges, intervals: supportIntervals(edges), atoms: freeSumAtoms(sum), rejected };
}

/** The candidates (ascending) that pass {@link validatedEdge}, and those that do not. */
export function validatedEdges(
  candidates: readonly number[],
  density: (y: number, eta: number) => number,
): { edges: SpectralEdge[]; rejected: number[] } {
  const edges: SpectralEdge[] = [];
  const rejected: number[] = [];
  for (const x of candidates) {
    const e = validatedEdge(x, density);
    if (e) edges.push(e);
    else rejected.push(x);
  }
  return { edges, rejected };
}

/**
 * The density test of an edge candidate x (see {@link spectralSupport}): ρ at x ± δ,
 * δ = 1e-4(1 + |x|), by Stieltjes inversion at η = 1e-12(1 + |x|); null when it is no edge.
 */
export function validatedEdge(x: number, density: (y: number, eta: number) => number): SpectralEdge | null {
  const delta = 1e-4 * (1 + Math.abs(x));
  const eta = 1e-12 * (1 + Math.abs(x));
  const below = density(x - delta, eta);
  const above = density(x + delta, eta);
  if (above > 1e-7 && below < 1e-3 * above)
    return { x, side: "lower", densityBelow: below, densityAbove: above };
  if (below > 1e-7 && above < 1e-3 * below)
    return { x, side: "upper", densityBelow: below, densityAbove: above };
  return null;
}

/** The intervals [lower, upper] between consecutive validated lower and upper edges (ascending). */
export function supportIntervals(edges: readonly SpectralEdge[]): [number, number][] {
  const intervals: [number, number][] = [];
  let open: number | null = null;
  for (const e of edges) {
    if (e.side === "lower") open = e.x;
    else if (open !== null) {
      intervals.push([open, e.x]);
      open = null;
    }
  }
  return intervals;
}
