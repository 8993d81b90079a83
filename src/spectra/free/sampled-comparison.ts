/**
 * A polynomial's limiting law against sampled matrices: the extreme eigenvalues against the
 * outer edges, in units of the edge's Tracy-Widom scale γ N^{-2/3} (γ = C^{-2/3} for a density
 * ρ ≈ (C/π)√|x − e| at a square-root edge, C read from the density at 1e-3 inside; γ = 1 for the
 * semicircle of radius 2), and the Kolmogorov-Smirnov distance between the empirical and the
 * limiting distribution functions (and the Wasserstein-1 distance, which an eigenvalue rounded to
 * the other side of an atom does not upset).
 */
import { kolmogorovSmirnov, spectralDistributionOf, wasserstein1 } from "../distribution.ts";
import type { MatrixExpr } from "./expression.ts";
import { polynomialDensity, polynomialSpectrum } from "./polynomial-spectrum.ts";
import { polynomialSupport } from "./polynomial-support.ts";
import { sampledEigenvalues } from "./sample.ts";

export interface SampledComparison {
  n: number;
  seed: number;
  /** Sampled matrix side (rows of the expression's space). */
  side: number;
  lowerEdge: number;
  upperEdge: number;
  minEigenvalue: number;
  maxEigenvalue: number;
  /** (λ − edge)/(γ side^{-2/3}) at each end (null at an edge with an atom). */
  lowerTracyWidom: number | null;
  upperTracyWidom: number | null;
  kolmogorovSmirnov: number;
  /** Wasserstein-1 distance (robust to eigenvalues rounded across an atom). */
  wasserstein1: number;
}

function edgeScale(s: ReturnType<typeof polynomialSpectrum>, e: number, inward: number): number {
  const d = 1e-3 * (1 + Math.abs(e));
  const C = (Math.PI * polynomialDensity(s, e + inward * d)) / Math.sqrt(d);
  return C ** (-2 / 3);
}

export function compareWithSamples(expr: MatrixExpr, n: number, seed: number): SampledComparison {
  const s = polynomialSpectrum(expr);
  const support = polynomialSupport(s);
  const lo = support.intervals[0]![0];
  const hi = support.intervals[support.intervals.length - 1]![1];
  const ev = sampledEigenvalues(expr, n, seed);
  const side = ev.length;
  // The cubic substitution integrates densities ~ |x − edge|^{−2/3} (Fuss-Catalan's hard edge at
  // 0), whose mass near the edge the cosine one misses (4% of Fuss-Catalan's at 200 nodes; 0.2% with
  // this one at 400).
  const dist = spectralDistributionOf(
    (x) => polynomialDensity(s, x, 1e-12 * (1 + Math.abs(x))),
    support,
    400,
    "cubic",
  );
  const atLow = support.atoms.some((a) => a.location <= lo);
  const scaleN = side ** (-2 / 3);
  return {
    n,
    seed,
    side,
    lowerEdge: lo,
    upperEdge: hi,
    minEigenvalue: ev[0]!,
    maxEigenvalue: ev[side - 1]!,
    lowerTracyWidom: atLow ? null : (lo - ev[0]!) / (edgeScale(s, lo, 1) * scaleN),
    upperTracyWidom: (ev[side - 1]! - hi) / (edgeScale(s, hi, -1) * scaleN),
    kolmogorovSmirnov: kolmogorovSmirnov(ev, dist.cdf),
    wasserstein1: wasserstein1(ev, dist.cdf, Math.min(lo, ...support.atoms.map((a) => a.location)), hi),
  };
}
