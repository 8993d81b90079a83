/**
 * Brown measures by hermitization against closed forms: the circular law (G_ε(λ) = λ̄ inside the
 * unit disk, 1/λ outside, density 1/π), the elliptic law (uniform on the ellipse with semi-axes
 * 1 ± τ, density 1/(π(1 − τ²))), the product of two Ginibre matrices (density 1/(2π|λ|) on the
 * unit disk), and the R-diagonal (Haagerup-Larsen) route for the single ring of U T.
 * Tolerances: the hermitized solution is Newton-converged to 1e-14 and carries the regularization's
 * O(ε) = 1e-9 in the bulk, so G to 1e-8; the density by central differences of step h = 1e-4:
 * O(h²) = 1e-8 from the differences plus O(ε/h) = 1e-5 from ε, so 1e-4 relative; the support
 * boundary by bisection to 1e-9 with the support test sharp to ε^{2/3} ≈ 2e-7 at ε = 1e-10, so 1e-6.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  brownCauchy,
  brownDensity,
  brownMeasure,
  inBrownSupport,
  rightmostSupportPoint,
  spectralAbscissa,
} from "../../../src/spectra/free/brown-measure.ts";
import { lowerEdgeOf } from "../../../src/spectra/free/critical-parameter.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import { parseMatrixExpression } from "../../../src/spectra/free/expression-parse.ts";
import * as C from "../../../src/spectra/free/non-hermitian-cases.ts";
import { rDiagonalBrownMeasure } from "../../../src/spectra/free/r-diagonal.ts";

describe("circular law", () => {
  const b = brownMeasure(C.ginibre());
  it("G_ε(λ) = λ̄ inside the unit disk and 1/λ outside", () => {
    const g = brownCauchy(b, { re: 0.3, im: 0.2 });
    expect(g.re).toBeCloseTo(0.3, 8);
    expect(g.im).toBeCloseTo(-0.2, 8);
    const h = brownCauchy(b, { re: 1.5, im: 0.5 });
    expect(h.re).toBeCloseTo(0.6, 12);
    expect(h.im).toBeCloseTo(-0.2, 12);
  });
  it("density 1/π inside, support the unit disk", () => {
    expect(Math.abs(brownDensity(b, { re: -0.4, im: 0.5 }) * Math.PI - 1)).toBeLessThan(1e-4);
    expect(inBrownSupport(b, { re: 0.7, im: 0.7 })).toBe(true);
    expect(inBrownSupport(b, { re: 0.72, im: 0.72 })).toBe(false);
    expect(Math.abs(rightmostSupportPoint(b, 0)! - 1)).toBeLessThan(1e-6);
  });
});

describe("elliptic law", () => {
  for (const tau of [0.5, -0.4]) {
    it(`τ = ${tau}: density 1/(π(1 − τ²)) and the ellipse with semi-axes 1 ± τ`, () => {
      const b = brownMeasure(C.elliptic(tau));
      const rho = brownDensity(b, { re: 0.2, im: -0.3 });
      expect(Math.abs(rho * Math.PI * (1 - tau * tau) - 1)).toBeLessThan(1e-4);
      expect(Math.abs(rightmostSupportPoint(b, 0)! - (1 + tau))).toBeLessThan(1e-6);
      const y = 0.6 * (1 - tau);
      expect(Math.abs(rightmostSupportPoint(b, y)! - (1 + tau) * Math.sqrt(1 - 0.36))).toBeLessThan(1e-6);
    });
  }
});

describe("R-diagonal elements", () => {
  it("the product of two Ginibre matrices: density 1/(2π|λ|), by hermitization and by Haagerup-Larsen", () => {
    const b = brownMeasure(C.ginibreProduct());
    const rho = brownDensity(b, { re: 0.3, im: 0.4 });
    expect(Math.abs(rho * 2 * Math.PI * 0.5 - 1)).toBeLessThan(1e-4);
    expect(Math.abs(rightmostSupportPoint(b, 0)! - 1)).toBeLessThan(1e-6);
    const P = C.ginibreProduct();
    const hl = rDiagonalBrownMeasure(E.product(E.transpose(P), P));
    // F(r) = r: the mass within r of the density 1/(2π|λ|).
    for (const F of [0.2, 0.6]) expect(hl.radiusAt(F)).toBeCloseTo(F, 9);
    expect(hl.innerRadius).toBe(0);
    expect(hl.outerRadius).toBeCloseTo(1, 8);
  });
  it("single ring: U T with singular values 1, 2 (½ each) has radii (∫s⁻²)^{−1/2}, (∫s²)^{1/2}", () => {
    const N = E.space("N");
    const T = E.diagonal("T", N, E.atomsLaw([1, 2], [0.5, 0.5]));
    const hl = rDiagonalBrownMeasure(E.product(T, T));
    expect(hl.innerRadius).toBeCloseTo(1 / Math.sqrt(0.625), 7);
    expect(hl.outerRadius).toBeCloseTo(Math.sqrt(2.5), 8);
    // With U Haar the hermitized Gaussian engine does not apply: it says so.
    const ut = brownMeasure(C.haarTimesDiagonal([1, 2], [0.5, 0.5]));
    expect(() => brownCauchy(ut, { re: 0, im: 0 })).toThrow(/Haar/);
  });
});

describe("text forms (rules/spectra/*.matrix)", () => {
  it("elliptic.matrix: the elliptic law's spectral abscissa 1 + τ = 1.5", () => {
    const p = parseMatrixExpression(readFileSync("rules/spectra/elliptic.matrix", "utf8"));
    expect(Math.abs(rightmostSupportPoint(brownMeasure(p.expression), 0)! - 1.5)).toBeLessThan(1e-6);
  });
  it("curl-descent-3-manifold.matrix equals curlDescent3Manifold: the lower edge vanishes at c* = 0.40595", () => {
    const text = readFileSync("rules/spectra/curl-descent-3-manifold.matrix", "utf8");
    const family = (c: number) => parseMatrixExpression(text, { params: { c } }).expression;
    expect(Math.abs(lowerEdgeOf(family, 0.4059464346599659))).toBeLessThan(1e-9);
    expect(lowerEdgeOf(family, 0.4)).toBeCloseTo(
      lowerEdgeOf((c) => C.curlDescent3Manifold(c, 0.5), 0.4),
      12,
    );
  });
});

describe("spectral abscissa", () => {
  it("Ginibre plus a ±1 diagonal, σG + D: the boundary τ(|D − λ|⁻²) = σ⁻² (Biane and Lehner 2001)", () => {
    const sigma = 0.6;
    const N = E.space("N");
    const X = E.sum(
      E.scale(sigma, E.gaussian("G", N, N)),
      E.diagonal("D", N, E.atomsLaw([1, -1], [0.5, 0.5])),
    );
    const r = spectralAbscissa(brownMeasure(X), { lines: 3 });
    // The rightmost point is real, x > 1 with ½((x − 1)⁻² + (x + 1)⁻²) = σ⁻²; x to ~2e-7 moves
    // the left side by ~(x − 1)⁻³ · 2e-7 ≈ 3e-6 relative.
    const x = r.abscissa;
    expect(r.at).toBe(0);
    expect(Math.abs(0.5 * ((x - 1) ** -2 + (x + 1) ** -2) * sigma * sigma - 1)).toBeLessThan(1e-5);
  });
});
