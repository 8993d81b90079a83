/**
 * An independent check of the readout boundary that the catalog's B.4.2 claims take from
 * src/phase. With D1 = I, X = I + W1ᵀD2W1 has the Blue transform
 *   B(w) = 1/w + 1 + (1/c) P(w),  P(w) = (1 − α)/(1 − w) − α/(1 + w)
 * (free compound Poisson of rate 1/c, jumps ±1). The lower edge is B at its critical point in
 * (−1, 0); it is zero where B(w) = 0 = B'(w). Eliminating c gives P(w) + w(1 + w)P'(w) = 0,
 * which after clearing denominators and the factor (1 + w) is the cubic
 *   w³ + (2Δ − 1)w² + (2 − Δ)w + Δ = 0,  Δ = 1 − 2α_r,
 * negative (−8α_r) at w = −1 and equal to Δ > 0 at w = 0 for α_r < 1/2; then c* = w²P'(w).
 * At α_r = 1/2 the root is w = 0 and c* = 0: no stable c at all, the "at most half" claim.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { criticalRatio } from "../../src/phase/boundary.ts";

/** c*(α_r) from the cubic of the header, by bisection on (−1, 0). */
function readoutCriticalRatioByElimination(alphaR: number): number {
  const delta = 1 - 2 * alphaR;
  const cubic = (w: number) => ((w + (2 * delta - 1)) * w + (2 - delta)) * w + delta;
  let lo = -1;
  let hi = 0;
  for (let it = 0; it < 200 && hi - lo > 0; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (cubic(mid) < 0) lo = mid;
    else hi = mid;
  }
  const w = 0.5 * (lo + hi);
  return w * w * ((1 - alphaR) / (1 - w) ** 2 + alphaR / (1 + w) ** 2);
}

describe("readout stability boundary (seed 001, B.4.2)", () => {
  test.prop([fc.double({ min: 0.01, max: 0.45, noNaN: true })], { seed: 1035, numRuns: 30 })(
    "src/phase's c*(α_r) equals the root of the eliminated cubic",
    (alphaR) => {
      const fromPhase = criticalRatio(0, alphaR).value!;
      // Both are bisected to float64 resolution (c* in log scale, w on (−1, 0)); the map
      // w → c* is smooth there, so they agree to rounding amplified by at most 1e3.
      expect(Math.abs(fromPhase / readoutCriticalRatioByElimination(alphaR) - 1)).toBeLessThan(1e-10);
    },
  );

  test("at α_r = 1/2 the cubic's root is w = 0, so c* = 0", () => {
    // Bisection toward the root w = 0 stops where the bracket reaches float64 resolution
    // (|w| about 1e-61 after 200 halvings), so c* = O(w²) is zero to that resolution.
    expect(readoutCriticalRatioByElimination(0.5)).toBeLessThan(1e-100);
  });
});
