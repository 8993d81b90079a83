/**
 * Seed 001's manifold matrix X = D1 + W1ᵀ D2 W1 (appendix B.4) through the general engine
 * (linearization and operator-valued fixed point) against the specialized path (free additive
 * convolution of two scalar laws, src/spectra/lower-edge.ts and src/phase/boundary.ts).
 */
import { describe, expect, it } from "vitest";
import { criticalRatio } from "../../../src/phase/boundary.ts";
import { curlDescentLowerEdge, curlDescentSpectrum } from "../../../src/phase/curl-descent-law.ts";
import { layerAlphas } from "../../../src/phase/layer.ts";
import { linSpace, logSpace, stabilityMap } from "../../../src/phase/stability-map.ts";
import { seed001Manifold } from "../../../src/spectra/free/closed-form-cases.ts";
import { lowerEdgeZeroCrossing } from "../../../src/spectra/free/critical-parameter.ts";
import { lowerEdgeSignMap } from "../../../src/spectra/free/edge-sign-map.ts";
import { polynomialCauchy, polynomialSpectrum } from "../../../src/spectra/free/polynomial-spectrum.ts";
import { spectralEdge } from "../../../src/spectra/free/real-branch.ts";
import { freeSumCauchy } from "../../../src/spectra/free-convolution.ts";

const model = seed001Manifold;

describe("seed 001's model through the general engine", () => {
  it("Cauchy transforms agree with the scalar subordination to 1e-12", () => {
    for (const [c, ah, ar] of [
      [0.7, 0.3, 0.2],
      [2, 0.1, 0.4],
      [0.3, 0, 0.5],
    ] as const) {
      const s = polynomialSpectrum(model(c, ah, ar));
      const ref = curlDescentSpectrum({ c, alphaH: ah, alphaR: ar });
      for (const x of [-2, 0.3, 1.7]) {
        const z = { re: x, im: 1e-3 };
        const g = polynomialCauchy(s, z);
        const h = freeSumCauchy(ref, z).G;
        // Both are float64 solutions of well-conditioned equations off the axis.
        expect(Math.hypot(g.re - h.re, g.im - h.im)).toBeLessThan(1e-12);
      }
    }
  });

  it("lower edges equal the specialized path to 1e-8 over a grid of (c, α_h, α_r)", () => {
    let worst = 0;
    for (const c of [0.05, 0.2, 0.5, 0.9, 1.5, 3]) {
      for (const [ah, ar] of [
        [0, 0],
        [0.2, 0],
        [0.45, 0],
        [0, 0.2],
        [0, 0.45],
        [0.2, 0.2],
        [0.4, 0.3],
      ] as const) {
        const ref = curlDescentLowerEdge({ c, alphaH: ah, alphaR: ar });
        expect(ref.ok).toBe(true);
        if (!ref.ok) continue;
        const s = polynomialSpectrum(model(c, ah, ar));
        const e = spectralEdge(s.problem, "lower", { scale: s.scale });
        // The edge is the maximum of x(G₀₀), located to |ΔlogG₀₀| ≤ 1e-11 (error ~1e-22·x'');
        // a divergent G is extrapolated once |dx/ds| ≤ 1e-5 (error O(dx²) ≲ 1e-10).
        expect(e.kind).toBe(ref.kind === "square-root" ? "square-root" : "divergent");
        worst = Math.max(worst, Math.abs(e.x - ref.edge) / (1 + Math.abs(ref.edge)));
      }
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it("c* equals criticalRatio to 1e-8 for each layer", () => {
    for (const [ah, ar] of [
      [0.3, 0],
      [0, 0.3],
      [0.25, 0.25],
    ] as const) {
      const ref = criticalRatio(ah, ar, { cMin: 0.01, cMax: 100 });
      const got = lowerEdgeZeroCrossing((c) => model(c, ah, ar), 0.01, 100);
      expect(ref.value).not.toBeNull();
      expect(got.lowSign).toBe(1);
      // Both refine a sign change of a smooth edge(c) to float64 resolution of the bracket.
      expect(Math.abs(got.value! - ref.value!) / ref.value!).toBeLessThan(1e-8);
    }
  });

  it("the sign map classifies every cell as the specialized stability map does", () => {
    const c = logSpace(0.01, 100, 48);
    const alpha = linSpace(0, 1, 5);
    for (const layer of ["hidden", "both"] as const) {
      const family = (cc: number, a: number) => {
        const { alphaH, alphaR } = layerAlphas(layer, a);
        return model(cc, alphaH, alphaR);
      };
      const ref = stabilityMap(layer, c, alpha);
      const got = lowerEdgeSignMap(family, c, alpha, { stride: 8 });
      expect(got.failures).toEqual([]);
      expect(got.computed).toBeLessThan(c.length * alpha.length);
      expect(Array.from(got.positive)).toEqual(Array.from(ref.stable));
      for (let k = 0; k < got.kind.length; k++)
        // The same 1e-8 as edge by edge above, on the cells it computed (square-root edges).
        if (got.kind[k] === 1)
          expect(
            Math.abs(got.lowerEdge[k]! - ref.lowerEdge[k]!) / (1 + Math.abs(ref.lowerEdge[k]!)),
          ).toBeLessThan(1e-8);
    }
  });
});
