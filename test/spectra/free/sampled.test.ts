/**
 * The general engine's laws against sampled matrices of side 100-200. Tolerances:
 * - extreme eigenvalues: λ = edge + γ N^{-2/3} TW with TW Tracy-Widom (GOE) distributed
 *   (γ from the density at the edge, see compareWithSamples); |TW| < 6 fails with probability
 *   ≈ e^{−9} on the left tail, less on the right;
 * - the distribution function: eigenvalue rigidity gives |F_N − F| = O(log N / N) in the bulk;
 *   3 log N / N allows the larger corrections next to hard edges (Fuss-Catalan's ρ ~ x^{−2/3}).
 * Seeds are fixed; the values at side 2,000 are in bench/results/free-sampled.json.
 */
import { describe, expect, it } from "vitest";
import * as C from "../../../src/spectra/free/closed-form-cases.ts";
import type { MatrixExpr } from "../../../src/spectra/free/expression.ts";
import { compareWithSamples } from "../../../src/spectra/free/sampled-comparison.ts";

const cases: [string, MatrixExpr, number][] = [
  ["semicircle ⊞ semicircle", C.semicircleSum(), 160],
  ["Marchenko-Pastur c = 2.5 (atom at 0)", C.wishart(2.5), 64],
  ["Fuss-Catalan", C.wishartProduct(), 160],
  ["anticommutator", C.anticommutator(), 160],
  ["seed 001, c = 0.5, α_h = 0.3, α_r = 0.2", C.seed001Manifold(0.5, 0.3, 0.2), 200],
];

describe("limits against sampled matrices", () => {
  for (const [name, expr, n] of cases) {
    it(name, () => {
      const r = compareWithSamples(expr, n, 7);
      const bound = (3 * Math.log(r.side)) / r.side;
      if (r.lowerTracyWidom !== null) expect(Math.abs(r.lowerTracyWidom)).toBeLessThan(6);
      expect(Math.abs(r.upperTracyWidom!)).toBeLessThan(6);
      const atoms = r.lowerTracyWidom === null && r.minEigenvalue < r.lowerEdge;
      if (atoms) expect(r.wasserstein1).toBeLessThan(bound * (r.upperEdge - r.minEigenvalue));
      else expect(r.kolmogorovSmirnov).toBeLessThan(bound);
    });
  }
});
