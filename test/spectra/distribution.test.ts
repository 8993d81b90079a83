import { describe, expect, it } from "vitest";
import { spectralDistributionOf } from "../../src/spectra/distribution.ts";

describe("spectral distribution functions", () => {
  it("the cubic substitution integrates a density ~ x^(-2/3) at an edge, the cosine one does not", () => {
    // ρ(x) = x^{−2/3}/3 on [0, 1], F(x) = x^{1/3}.
    const support = { intervals: [[0, 1]] as [number, number][], atoms: [] };
    const density = (x: number) => x ** (-2 / 3) / 3;
    const nodes = 400;
    const cubic = spectralDistributionOf(density, support, nodes, "cubic");
    const cosine = spectralDistributionOf(density, support, nodes);
    // With the cubic substitution the integrand is f(τ) = 1 + 2τ + O(τ²) per unit τ at the edge,
    // whose end value the trapezoid rule sets to 0: half the first panel, h f(h)/2 with h = 1/nodes,
    // is lost there (the rest of the rule errs by O(h²)).
    const bound = (1 + 3 / nodes) / (2 * nodes);
    for (const x of [1e-6, 1e-3, 0.1, 0.5, 1])
      expect(Math.abs(cubic.cdf(x) - x ** (1 / 3))).toBeLessThan(bound);
    expect(1 - cosine.continuousMass).toBeGreaterThan(10 * bound);
  });
});
