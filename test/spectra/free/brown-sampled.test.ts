/**
 * Brown measures, outliers and three-layer curl descent's teacher point against sampled matrices
 * of side 120-200 (side 2,000 in bench/results/brown-sampled.json). Tolerances:
 * - radial distributions: the eigenvalues of these ensembles are a 2D Coulomb-gas-like rigid
 *   cloud whose bulk counting error is o(N^{-1/2}), while each edge of the support is smeared
 *   over a layer of width ~N^{-1/2} (Forrester and Honner 1999 for Ginibre: an erfc profile),
 *   which moves the mass inside a radius by ≲ 2 ρ·2πr·N^{-1/2} ≤ 2 N^{-1/2} per edge (ρ·2πr ≤ 1
 *   here per unit of radius at the edges); KS < 2 N^{-1/2} per edge;
 * - outliers: a BBP outlier fluctuates on the scale N^{-1/2} with variance ≤ 2/N (for θ u uᵀ and
 *   GOE it is 2(1 − θ⁻²)/N; Capitaine, Donati-Martin and Féral 2009); |λ − limit| < 4 √(2/N);
 * - the lower edge of X₃: Tracy-Widom at scale γ N^{-2/3} (compareWithSamples), |TW| < 6.
 */

import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { denseJacobian } from "../../../src/analysis/network/field-operator.ts";
import { teacherPoint } from "../../../src/analysis/network/fixed-points.ts";
import { populationOperator } from "../../../src/analysis/network/population.ts";
import { classifyBindings, resolveParams } from "../../../src/ir/bind.ts";
import { compileModel, drawRuns } from "../../../src/ir/model.ts";
import { loadNetworkRule } from "../../../src/rules/load.ts";
import { brownMeasure } from "../../../src/spectra/free/brown-measure.ts";
import { lowerEdgeOf, lowerEdgeZeroCrossing } from "../../../src/spectra/free/critical-parameter.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import * as C from "../../../src/spectra/free/non-hermitian-cases.ts";
import { brownOutliers, selfAdjointOutliers } from "../../../src/spectra/free/outliers.ts";
import { polynomialSpectrum } from "../../../src/spectra/free/polynomial-spectrum.ts";
import { rDiagonalBrownMeasure } from "../../../src/spectra/free/r-diagonal.ts";
import {
  radialKolmogorovSmirnov,
  sampledComplexEigenvalues,
} from "../../../src/spectra/free/sampled-brown.ts";
import { compareWithSamples } from "../../../src/spectra/free/sampled-comparison.ts";
import { symmetricEigenvalues } from "../../../src/spectra/symmetric-eigenvalues.ts";

const n = 160;

describe("Brown measures against sampled eigenvalues", () => {
  it("circular law: |λ|² uniform on [0, 1]", () => {
    const ev = sampledComplexEigenvalues(C.ginibre(), n, 11);
    expect(radialKolmogorovSmirnov(ev, Math.sqrt)).toBeLessThan(2 / Math.sqrt(n));
  });
  it("elliptic law τ = 0.5: the elliptic radius √((x/1.5)² + (y/0.5)²) squared uniform", () => {
    const ev = sampledComplexEigenvalues(C.elliptic(0.5), n, 12);
    const q = (z: { re: number; im: number }) => Math.hypot(z.re / 1.5, z.im / 0.5);
    // The ellipse's boundary layer is thinner across the short axis; the same per-edge bound holds.
    expect(radialKolmogorovSmirnov(ev, Math.sqrt, 200, q)).toBeLessThan(2 / Math.sqrt(n));
  });
  it("single ring U T (singular values 1, 2): moduli against Haagerup-Larsen's r(F)", () => {
    const N = E.space("N");
    const T = E.diagonal("T", N, E.atomsLaw([1, 2], [0.5, 0.5]));
    const hl = rDiagonalBrownMeasure(E.product(T, T));
    const ev = sampledComplexEigenvalues(C.haarTimesDiagonal([1, 2], [0.5, 0.5]), n, 13);
    expect(radialKolmogorovSmirnov(ev, hl.radiusAt, 100)).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe("outliers against sampled matrices", () => {
  it("Wigner + θ u uᵀ: θ + 1/θ for |θ| > 1 (BBP)", () => {
    const [o] = selfAdjointOutliers(polynomialSpectrum(E.wigner("S", E.space("N"))), [2]);
    expect(o!.location).toBeCloseTo(2.5, 10);
    const S = sampledComplexEigenvalues(E.wigner("S", E.space("N")), 200, 21, { rankOne: 2 });
    const top = Math.max(...S.map((z) => z.re));
    expect(Math.abs(top - o!.location!)).toBeLessThan(4 * Math.sqrt(2 / 200));
  });
  it("elliptic τ = 0.5 + θ u uᵀ: θ + τ/θ outside the ellipse; |θ| < 1 leaves none", () => {
    const b = brownMeasure(C.elliptic(0.5));
    const [o, none] = brownOutliers(b, [
      { re: 2, im: 0 },
      { re: 0.8, im: 0 },
    ]);
    expect(o!.location!.re).toBeCloseTo(2.25, 8);
    expect(Math.abs(o!.location!.im)).toBeLessThan(1e-8);
    expect(none!.location).toBeNull();
    const ev = sampledComplexEigenvalues(C.elliptic(0.5), n, 22, { rankOne: 2 });
    const top = ev.reduce((a, z) => (z.re > a.re ? z : a));
    expect(Math.hypot(top.re - 2.25, top.im)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
  it("Ginibre + θ u uᵀ: the outlier stays at θ (Tao 2013)", () => {
    const [o] = brownOutliers(brownMeasure(C.ginibre()), [{ re: -1.6, im: 0 }]);
    expect(o!.location!.re).toBeCloseTo(-1.6, 8);
    const ev = sampledComplexEigenvalues(C.ginibre(), n, 23, { rankOne: -1.6 });
    const low = ev.reduce((a, z) => (z.re < a.re ? z : a));
    expect(Math.hypot(low.re + 1.6, low.im)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});

/** A rule's population Jacobian at the teacher point: its nonzero eigenvalues (sorted) and the drawn tensors. */
function teacherPointSpectrum(file: string, raw: Record<string, string>) {
  const spec = loadNetworkRule(file);
  const bindings = classifyBindings(spec, raw, "test");
  const model = compileModel(spec, bindings);
  const [run] = drawRuns(model, [{ seed: 3, params: bindings.params ?? {} }]);
  const op = populationOperator(
    model,
    run!,
    resolveParams(spec, model.compiled.sizes, bindings.params ?? {}),
  );
  const x = teacherPoint(model, run!)!;
  const d = op.dimension;
  const evd = new EigenvalueDecomposition(Matrix.from1DArray(d, d, denseJacobian(op, x)));
  const nonzero = evd.realEigenvalues
    .filter((re, i) => Math.hypot(re, evd.imaginaryEigenvalues[i]!) > 1e-9)
    .sort((a, b) => a - b);
  const names = model.spec.fixed.map((f) => f.name);
  const get = (name: string) => run!.fixed[names.indexOf(name)]!;
  return { nonzero, get };
}

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
    const r = compareWithSamples(C.curlDescent3Manifold(cStar, 0.5), 400, 5);
    expect(Math.abs(r.lowerEdge)).toBeLessThan(1e-9);
    expect(Math.abs(r.lowerTracyWidom!)).toBeLessThan(6);
  });
});
