/**
 * Brown measures and outliers against sampled matrices of side 128-200 (side 2,000 in bench/results/brown-sampled.json). Tolerances:
 * - radial distributions: the eigenvalues of these ensembles are a 2D Coulomb-gas-like rigid
 *   cloud whose bulk counting error is o(N^{-1/2}), while each edge of the support is smeared
 *   over a layer of width ~N^{-1/2} (Forrester and Honner 1999 for Ginibre: an erfc profile),
 *   which moves the mass inside a radius by ≲ 2 ρ·2πr·N^{-1/2} ≤ 2 N^{-1/2} per edge (ρ·2πr ≤ 1
 *   here per unit of radius at the edges); KS < 2 N^{-1/2} per edge;
 * - outliers: a BBP outlier fluctuates on the scale N^{-1/2} with variance ≤ 2/N (for θ u uᵀ and
 *   GOE it is 2(1 − θ⁻²)/N; Capitaine, Donati-Martin and Féral 2009); |λ − limit| < 4 √(2/N).
 */
import { describe, expect, it } from "vitest";
import { brownMeasure } from "../../../src/spectra/free/brown-measure.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import * as C from "../../../src/spectra/free/non-hermitian-cases.ts";
import { brownOutliers, selfAdjointOutliers } from "../../../src/spectra/free/outliers.ts";
import { polynomialSpectrum } from "../../../src/spectra/free/polynomial-spectrum.ts";
import { rDiagonalBrownMeasure } from "../../../src/spectra/free/r-diagonal.ts";
import {
  radialKolmogorovSmirnov,
  sampledComplexEigenvalues,
} from "../../../src/spectra/free/sampled-brown.ts";

const n = 128;

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
