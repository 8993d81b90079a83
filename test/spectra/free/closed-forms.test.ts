/**
 * The general engine against closed forms: semicircle ⊞ semicircle, Marchenko-Pastur at several
 * ratios, the free product of two Wisharts (Fuss-Catalan), and the anticommutator of two free
 * semicirculars (s₁s₂ + s₂s₁ = u² − v² with u, v = (s₁ ± s₂)/√2 free semicirculars, so its law is
 * π₁ ⊞ (−π₁), R(w) = 2w/(1 − w²): zG³ + G² − zG + 1 = 0, edges ±√((11 + 5√5)/2)).
 */
import { describe, expect, it } from "vitest";
import * as E from "../../../src/spectra/free/expression.ts";
import {
  polynomialCauchy,
  polynomialDensity,
  polynomialSpectrum,
} from "../../../src/spectra/free/polynomial-spectrum.ts";
import { spectralEdge } from "../../../src/spectra/free/real-branch.ts";
import { marchenkoPasturDensity, marchenkoPasturEdges } from "../../../src/spectra/marchenko-pastur.ts";
import { complexRoots } from "../../../src/spectra/polynomial.ts";

const N = E.space("N");
const edges = (e: E.MatrixExpr) => {
  const s = polynomialSpectrum(e);
  return {
    s,
    lower: spectralEdge(s.problem, "lower", { scale: s.scale }),
    upper: spectralEdge(s.problem, "upper", { scale: s.scale }),
  };
};
// Edges are maxima of x(G₀₀) located to |ΔlogG₀₀| ≤ 1e-11: error ≪ 1e-12 (relative).
const EDGE_TOL = 1e-10;
// Stieltjes inversion at η = 1e-9(1 + |x|): bulk smoothing error O(η |ρ'|) ≲ 1e-8.
const DENSITY_DIGITS = 7;

describe("closed forms through the general engine", () => {
  it("semicircle ⊞ semicircle is the semicircle of variance a² + b²", () => {
    const a = 1;
    const b = 0.5;
    const { s, lower, upper } = edges(E.sum(E.scale(a, E.wigner("S1", N)), E.scale(b, E.wigner("S2", N))));
    const r = 2 * Math.sqrt(a * a + b * b);
    expect(lower.kind).toBe("square-root");
    expect(Math.abs(lower.x + r)).toBeLessThan(EDGE_TOL);
    expect(Math.abs(upper.x - r)).toBeLessThan(EDGE_TOL);
    for (const x of [-2, -0.7, 0, 1.1, 2.1]) {
      const rho = Math.sqrt(r * r - x * x) / ((Math.PI * r * r) / 2);
      expect(polynomialDensity(s, x)).toBeCloseTo(rho, DENSITY_DIGITS);
    }
  });

  for (const c of [0.25, 0.6, 2.5]) {
    it(`Marchenko-Pastur W1ᵀW1 at c = M/N = ${c}`, () => {
      const M = E.space("M", c);
      const W = E.gaussian("W", N, M);
      const { s, lower, upper } = edges(E.product(E.transpose(W), W));
      const [a, b] = marchenkoPasturEdges(c, 1 / c);
      expect(Math.abs(upper.x - b)).toBeLessThan(EDGE_TOL * b);
      if (c < 1) expect(Math.abs(lower.x - a)).toBeLessThan(EDGE_TOL);
      // For c > 1, W1ᵀW1 has rank N < M: an atom at 0 of mass 1 − 1/c, G diverges there.
      else expect(lower).toMatchObject({ kind: "divergent", x: expect.closeTo(0, 9) });
      for (let k = 1; k < 8; k++) {
        const x = a + ((b - a) * k) / 8;
        expect(polynomialDensity(s, x)).toBeCloseTo(marchenkoPasturDensity(c, 1 / c, x), DENSITY_DIGITS);
      }
    });
  }

  it("free product of two Wisharts: X2 X1ᵀX1 X2ᵀ has the Fuss-Catalan law (edges 0, 27/4, moments C(3k,k)/(2k+1))", () => {
    const X1 = E.gaussian("X1", N, N);
    const X2 = E.gaussian("X2", N, N);
    const p = E.product(X2, E.transpose(X1), X1, E.transpose(X2));
    const { s, upper } = edges(p);
    expect(Math.abs(upper.x - 27 / 4)).toBeLessThan(EDGE_TOL * 7);
    // G(z) = Σ m_k z^{−k−1}, m_k = C(3k, k)/(2k + 1), converging for |z| > 27/4.
    const z = 20;
    let term = 1;
    let g = 1 / z;
    for (let k = 1; k < 200; k++) {
      // m_k / m_{k−1} = 3(3k−1)(3k−2) / (2k(2k+1)).
      term *= (3 * (3 * k - 1) * (3 * k - 2)) / (2 * k * (2 * k + 1)) / z;
      g += term / z;
    }
    const got = polynomialCauchy(s, { re: z, im: 0 });
    expect(got.re).toBeCloseTo(g, 13);
  });

  it("anticommutator s1s2 + s2s1 of free semicirculars", () => {
    const S1 = E.wigner("S1", N);
    const S2 = E.wigner("S2", N);
    const { s, lower, upper } = edges(E.sum(E.product(S1, S2), E.product(S2, S1)));
    const edge = Math.sqrt((11 + 5 * Math.sqrt(5)) / 2);
    expect(Math.abs(upper.x - edge)).toBeLessThan(EDGE_TOL * edge);
    expect(Math.abs(lower.x + edge)).toBeLessThan(EDGE_TOL * edge);
    for (const x of [-3, -1.2, 0.4, 2.5]) {
      // The root of zG³ + G² − zG + 1 with Im G < 0 at z = x + iη (the physical one is unique there).
      const eta = 1e-9 * (1 + Math.abs(x));
      const roots = complexRoots([1, -x, 1, x], [0, -eta, 0, eta]);
      const phys = roots.filter((r) => r.im < 0);
      expect(phys).toHaveLength(1);
      expect(polynomialDensity(s, x)).toBeCloseTo(-phys[0]!.im / Math.PI, DENSITY_DIGITS);
    }
  });
});
