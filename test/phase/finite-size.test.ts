/**
 * Finite-size cross-check of the free-probability predictions for X = ‖W2‖²D1 + W1ᵀD2W1
 * (seed 001, appendix B.4) against sampled matrices at M = 400 to 1000.
 *
 * Tolerances (calibrated once on 45 samples, M = 200, 400, 800, five parameter sets, seeds 1-3):
 * - Bulk: eigenvalue rigidity puts the empirical distribution within O(1/M) (up to logs) of the
 *   limit; measured M·KS ∈ [2.2, 3.8] without atoms and M·W1 ∈ [1.6, 5.9], flat in M. We assert
 *   KS ≤ 8/M and W1 ≤ 12/M (about twice the largest calibrated value).
 * - Edge: near a square-root edge ρ(x) ≈ C√(x − e), so the expected number of eigenvalues below
 *   e + ℓ is one for ℓ = (3/(2CM))^{2/3} (the N^{-2/3} Tracy-Widom scale with its constant from
 *   the predicted density). Measured (λ_min − e)/ℓ ∈ [−0.6, 1.2]; we assert |λ_min − e| ≤ 4ℓ.
 * - ‖W2‖²: the prediction conditional on the sampled ‖W2‖² is compared with the tolerances
 *   above; against the limit ‖W2‖² = 1 we add |‖W2‖² − 1|'s 3-sd range 3√(2/N) (χ²_N/N), which
 *   bounds the shift of every eigenvalue by Weyl's inequality (‖D1‖ = 1).
 */
import { describe, expect, it } from "vitest";
import { criticalRatio } from "../../src/phase/boundary.ts";
import {
  type CurlDescentParameters,
  curlDescentLowerEdge,
  curlDescentSpectrum,
} from "../../src/phase/curl-descent-law.ts";
import { sampleManifoldSpectrum } from "../../src/phase/sampled-spectrum.ts";
import { kolmogorovSmirnov, spectralDistribution, wasserstein1 } from "../../src/spectra/distribution.ts";
import { freeSumDensity } from "../../src/spectra/free-convolution.ts";
import { spectralSupport } from "../../src/spectra/support.ts";

function edgeScale(p: CurlDescentParameters, edge: number, M: number): number {
  const delta = 1e-4 * (1 + Math.abs(edge));
  const C = freeSumDensity(curlDescentSpectrum(p), edge + delta, 1e-12) / Math.sqrt(delta);
  return (3 / (2 * C * M)) ** (2 / 3);
}

const cases: { name: string; p: Omit<CurlDescentParameters, "w2NormSquared">; M: number; seed: number }[] = [
  { name: "hidden layer, c = 0.5, α_h = 0.3", p: { c: 0.5, alphaH: 0.3, alphaR: 0 }, M: 400, seed: 101 },
  {
    name: "readout layer, c = 2, α_r = 0.3 (atom at ‖W2‖²)",
    p: { c: 2, alphaH: 0, alphaR: 0.3 },
    M: 600,
    seed: 102,
  },
  {
    name: "both layers, c = 0.5, α_h = α_r = 0.3",
    p: { c: 0.5, alphaH: 0.3, alphaR: 0.3 },
    M: 400,
    seed: 103,
  },
  { name: "hidden layer, c = 1.5, α_h = 0.2", p: { c: 1.5, alphaH: 0.2, alphaR: 0 }, M: 900, seed: 104 },
];

describe("sampled spectra of X against the free-probability law", () => {
  for (const { name, p, M, seed } of cases) {
    it(name, () => {
      const sample = sampleManifoldSpectrum(p, M, seed);
      const given = { ...p, w2NormSquared: sample.w2NormSquared };
      const sum = curlDescentSpectrum(given);
      const support = spectralSupport(sum);
      const dist = spectralDistribution(sum, support);
      const points = [...support.edges.map((e) => e.x), ...support.atoms.map((a) => a.location)];
      const w1 = wasserstein1(sample.eigenvalues, dist.cdf, Math.min(...points), Math.max(...points));
      expect(w1).toBeLessThan(12 / M);
      if (support.atoms.length === 0)
        expect(kolmogorovSmirnov(sample.eigenvalues, dist.cdf)).toBeLessThan(8 / M);

      const edge = curlDescentLowerEdge(given);
      expect(edge).toMatchObject({ ok: true, kind: "square-root" });
      if (!edge.ok) return;
      const ell = edgeScale(given, edge.edge, M);
      const lambdaMin = sample.eigenvalues[0]!;
      expect(Math.abs(lambdaMin - edge.edge)).toBeLessThan(4 * ell);
      const limit = curlDescentLowerEdge(p);
      expect(limit.ok).toBe(true);
      if (limit.ok)
        expect(Math.abs(lambdaMin - limit.edge)).toBeLessThan(4 * ell + 3 * Math.sqrt(2 / sample.N));
    });
  }

  it("c = 2, α_h = 0.7 > 1/c: the edge is the atom at −‖W2‖² (exact eigenvalue of the sample)", () => {
    const sample = sampleManifoldSpectrum({ c: 2, alphaH: 0.7, alphaR: 0 }, 1000, 105);
    const given = { c: 2, alphaH: 0.7, alphaR: 0, w2NormSquared: sample.w2NormSquared };
    expect(curlDescentLowerEdge(given)).toMatchObject({
      ok: true,
      kind: "atom",
      edge: -sample.w2NormSquared,
    });
    // dim(ker W1 ∩ flipped coordinates) ≥ M(α_h − 1/c) = 200 exact eigenvalues −‖W2‖²; the
    // eigensolver is backward stable: error ≤ M ε ‖X‖ with ‖X‖ ≈ 4.
    const tol = 1000 * Number.EPSILON * 10;
    const count = Array.from(sample.eigenvalues).filter(
      (x) => Math.abs(x + sample.w2NormSquared) < tol,
    ).length;
    expect(count).toBe(200);
    expect(sample.eigenvalues[0]! + sample.w2NormSquared).toBeGreaterThan(-tol);
  });
});

describe("boundaries against sampled matrices", () => {
  it("readout more than half flipped: unstable even at small c (sampled λ_min < 0)", () => {
    for (const alphaR of [0.6, 0.9]) {
      expect(criticalRatio(0, alphaR).status).toBe("unstable");
      const sample = sampleManifoldSpectrum({ c: 0.05, alphaH: 0, alphaR }, 100, 300);
      const edge = curlDescentLowerEdge({ c: 0.05, alphaH: 0, alphaR, w2NormSquared: sample.w2NormSquared });
      // Predicted edge ≈ −(2α_r − 1)/c − O(1/√c), far below zero: the sample's sign is certain.
      expect(edge.ok && edge.edge).toBeLessThan(-5);
      expect(sample.eigenvalues[0]!).toBeLessThan(0);
    }
  });

  for (const [layer, alphaH, alphaR] of [
    ["hidden", 0.3, 0],
    ["readout", 0, 0.3],
  ] as const) {
    it(`${layer}: stable at c*/2 and unstable at 2c* in samples at M = 250`, () => {
      const cStar = criticalRatio(alphaH, alphaR).value!;
      for (const [factor, expectStable] of [
        [0.5, true],
        [2, false],
      ] as const) {
        const p = { c: cStar * factor, alphaH, alphaR };
        const sample = sampleManifoldSpectrum(p, 250, 200 + factor);
        const limit = curlDescentLowerEdge(p);
        expect(limit.ok).toBe(true);
        if (!limit.ok) continue;
        // The sampled smallest eigenvalue has the sign the boundary predicts, and sits within
        // the edge tolerance of the predicted lower edge (conditional on ‖W2‖²).
        expect(sample.eigenvalues[0]! > 0).toBe(expectStable);
        const given = { ...p, w2NormSquared: sample.w2NormSquared };
        const edge = curlDescentLowerEdge(given);
        if (edge.ok)
          expect(Math.abs(sample.eigenvalues[0]! - edge.edge)).toBeLessThan(
            4 * edgeScale(given, edge.edge, 250),
          );
      }
    });
  }
});
