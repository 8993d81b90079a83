/**
 * Teacher points of non-gradient rules through the general engine: the Jacobians of
 * feedback alignment and of three-layer curl descent (rules/*.rule, linear φ, population field)
 * reduce to symmetric M × M matrices (checked against the dense Jacobians to 1e-10), whose lower
 * edges give the stability boundaries; these against sampled matrices and the committed sampled
 * crossings of `learndyn phase RULE --sampled`. Tolerance of the sampled lowest eigenvalue: the
 * Tracy-Widom scale γ N^{-2/3} (compareWithSamples), |TW| < 6.
 */
import { readFileSync } from "node:fs";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { lowerEdgeOf, lowerEdgeZeroCrossing } from "../../../src/spectra/free/critical-parameter.ts";
import { feedbackAlignmentCriticalRatio } from "../../../src/spectra/free/feedback-alignment.ts";
import * as C from "../../../src/spectra/free/non-hermitian-cases.ts";
import { compareWithSamples } from "../../../src/spectra/free/sampled-comparison.ts";
import { symmetricEigenvalues } from "../../../src/spectra/symmetric-eigenvalues.ts";
import { teacherPointSpectrum } from "../../teacher-point-spectrum.ts";

/** −½ spec(X) of a symmetric M × M ml-matrix, ascending. */
const reducedSpectrum = (X: Matrix, M: number) =>
  Array.from(symmetricEigenvalues(Float64Array.from(X.to1DArray()), M), (v) => -0.5 * v).sort(
    (a, b) => a - b,
  );
const diag = (s: Float64Array) => Matrix.diag(Array.from(s));

describe("feedback alignment at the teacher point", () => {
  it("the rule's Jacobian has nonzero eigenvalues −½ spec((W₂·B) D₁ + W₁ᵀD₂W₁) (dense, M = 8, N = 10)", () => {
    const [M, N] = [8, 10];
    const { nonzero, get } = teacherPointSpectrum("rules/feedback-alignment.rule", {
      M: `${M}`,
      N: `${N}`,
      alphaH: "0.4",
      alphaR: "0.3",
    });
    const W1 = Matrix.from1DArray(N, M, get("W1t"));
    const overlap = get("W2t").reduce((s, w, i) => s + w * get("B")[i]!, 0);
    const X = W1.transpose()
      .mmul(diag(get("s2")))
      .mmul(W1)
      .add(diag(get("s1")).mul(overlap));
    const reduced = reducedSpectrum(X, M);
    expect(nonzero).toHaveLength(M);
    for (const [k, v] of nonzero.entries()) expect(v).toBeCloseTo(reduced[k]!, 10);
  });
  it("for large networks (W₂·B → 0) the lower edge is that of W₁ᵀW₁ at α_r = 0: (1 − √c)²/c, whatever α_h", () => {
    for (const c of [0.5, 0.9])
      expect(lowerEdgeOf((v) => C.feedbackAlignmentManifold(v, 0.25, 0), c)).toBeCloseTo(
        (1 - Math.sqrt(c)) ** 2 / c,
        10,
      );
  });
});

describe("three-layer curl descent at the teacher point", () => {
  it("the rule's Jacobian has nonzero eigenvalues −½ spec(X₃) (dense, M = 9, N1 = 7, N2 = 6)", () => {
    const [M, N1, N2] = [9, 7, 6];
    const { nonzero, get } = teacherPointSpectrum("rules/curl-descent-3.rule", {
      M: `${M}`,
      N1: `${N1}`,
      N2: `${N2}`,
      alpha1: "0.4",
      alpha2: "0.3",
      alpha3: "0.5",
    });
    const W1 = Matrix.from1DArray(N1, M, get("V1"));
    const W2 = Matrix.from1DArray(N2, N1, get("V2"));
    const W3 = Matrix.from1DArray(1, N2, get("V3"));
    const W32 = W3.mmul(W2);
    const W21 = W2.mmul(W1);
    const X = W1.transpose()
      .mmul(diag(get("s2")))
      .mmul(W1)
      .mul(W3.mmul(W3.transpose()).get(0, 0))
      .add(diag(get("s1")).mul(W32.mmul(W32.transpose()).get(0, 0)))
      .add(
        W21.transpose()
          .mmul(diag(get("s3")))
          .mmul(W21),
      );
    const reduced = reducedSpectrum(X, M);
    expect(nonzero).toHaveLength(M);
    for (const [k, v] of nonzero.entries()) expect(v).toBeCloseTo(reduced[k]!, 10);
  });
  it("c*(α1 = 0.5): the lower edge of X₃ crosses 0, and sampled X₃ at c* has its lowest eigenvalue there", () => {
    const crossing = lowerEdgeZeroCrossing((c) => C.curlDescent3Manifold(c, 0.5), 0.1, 2, 12);
    expect(crossing.crossings).toHaveLength(1);
    const cStar = crossing.value!;
    expect(cStar).toBeGreaterThan(0.3);
    expect(cStar).toBeLessThan(0.5);
    const r = compareWithSamples(C.curlDescent3Manifold(cStar, 0.5), 240, 5);
    expect(Math.abs(r.lowerEdge)).toBeLessThan(1e-9);
    expect(Math.abs(r.lowerTracyWidom!)).toBeLessThan(6);
  });
});

describe("feedback alignment's teacher-point boundary at finite N", () => {
  // The annealed deterministic equivalent against the committed sampled crossings at T = 220
  // (`learndyn phase feedback-alignment --sampled`, 6 seeds): inside the crossing ± its standard
  // error (the root of a local quadratic fit, src/phase/crossing-fit.ts). The sampled lowest
  // eigenvalue sits above its edge by its Tracy-Widom mean, O(M^{−2/3}), which the annealed value
  // does not include, so the crossings lie above it (bench/results/feedback-alignment-boundary.json).
  const report = JSON.parse(
    readFileSync("reports/sampled-boundary/sampled-feedback-alignment.json", "utf8"),
  ) as {
    rows: { alphaH: number; sizes: { T: number; crossing: { low: number; high: number } }[] }[];
  };
  for (const alphaH of [0.25, 0.5])
    it(`α_h = ${alphaH}, T = 220`, () => {
      const T = 220;
      const cStar = feedbackAlignmentCriticalRatio(alphaH, 0, (c) => T - Math.round((c * T) / (1 + c)))!;
      const { low, high } = report.rows
        .find((r) => r.alphaH === alphaH)!
        .sizes.find((s) => s.T === T)!.crossing;
      expect(cStar).toBeGreaterThanOrEqual(low);
      expect(cStar).toBeLessThanOrEqual(high);
    });
});
