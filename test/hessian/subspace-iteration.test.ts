import { describe, expect, it } from "vitest";
import { hutchinsonTrace } from "../../src/hessian/hutchinson.ts";
import { matrixOperator, restrictOperator } from "../../src/hessian/operator.ts";
import { fitEigenvalueDecay, powerLawExponentMle } from "../../src/hessian/power-law.ts";
import { subspaceIteration } from "../../src/hessian/subspace-iteration.ts";
import { Rng } from "../../src/util/random.ts";
import { symmetricWithSpectrum } from "./spectra.ts";

describe("subspaceIteration", () => {
  it("recovers the top k eigenvalues of a matrix with a known spectrum", () => {
    const lambda = Array.from({ length: 30 }, (_, k) => 10 * (k + 1) ** -1.2);
    lambda[3] = -lambda[3]!; // a negative one among the top k by modulus
    const a = symmetricWithSpectrum(lambda, 7);
    const r = subspaceIteration(matrixOperator(a, 30), 5, { seed: 1 });
    expect(r.converged).toBe(true);
    const expected = lambda.slice(0, 5).sort((x, y) => Math.abs(y) - Math.abs(x));
    // Per-value stopping at 1e-6 relative with gap ratios <= (λ6/λ5)² ≈ 0.64: error < 2e-6 relative.
    r.eigenvalues.forEach((v, i) => {
      expect(Math.abs(v - expected[i]!)).toBeLessThan(2e-6 * Math.abs(expected[i]!));
    });
  });

  it("says which Ritz values had not converged at the cap", () => {
    const a = symmetricWithSpectrum([4, 3.99, 3.98, 1, 0.5], 8);
    const r = subspaceIteration(matrixOperator(a, 5), 2, { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.unconverged.length).toBeGreaterThan(0);
  });

  it("rejects k larger than the dimension", () => {
    expect(() => subspaceIteration(matrixOperator(new Float64Array(4), 2), 3)).toThrow(
      /subspaceIteration: argument "k"/,
    );
  });
});

describe("restrictOperator", () => {
  it("is the principal block A[S,S]", () => {
    const a = symmetricWithSpectrum([3, 2, 1, -1], 9);
    const r = restrictOperator(matrixOperator(a, 4), 1, 2);
    const col = r.apply(new Float64Array([1, 0]));
    expect(col[0]).toBe(a[1 * 4 + 1]);
    expect(col[1]).toBe(a[2 * 4 + 1]);
    expect(() => restrictOperator(matrixOperator(a, 4), 3, 2)).toThrow(/restrictOperator/);
  });
});

describe("hutchinsonTrace", () => {
  it("is unbiased: within 4 standard errors of the exact trace, with the predicted standard error", () => {
    const n = 20;
    const a = symmetricWithSpectrum(
      Array.from({ length: n }, (_, k) => 1 + k),
      10,
    );
    const exact = (n * (n + 1)) / 2;
    const m = 400;
    const est = hutchinsonTrace(matrixOperator(a, n), m, 11);
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += a[i * n + j]! ** 2;
    const predicted = Math.sqrt((2 * off) / m);
    // Monte Carlo: 4 standard errors; the SE itself is estimated from m = 400 samples (±~15%).
    expect(Math.abs(est.trace - exact)).toBeLessThan(4 * predicted);
    expect(est.standardError / predicted).toBeGreaterThan(0.7);
    expect(est.standardError / predicted).toBeLessThan(1.3);
  });
});

describe("power-law fits", () => {
  it("recovers an exact eigenvalue decay λ_k = C k^{-s}", () => {
    const f = fitEigenvalueDecay(Array.from({ length: 50 }, (_, k) => 3 * (k + 1) ** -1.5));
    // Exact power law: only float64 rounding of logs.
    expect(f.exponent).toBeCloseTo(1.5, 12);
    expect(f.prefactor).toBeCloseTo(3, 10);
    expect(f.r2).toBeCloseTo(1, 12);
  });

  it("the MLE exponent of Pareto samples is within 4 standard errors of the truth", () => {
    const rng = new Rng(12);
    const a = 2.5;
    const xs = Array.from({ length: 2000 }, () => (1 - rng.uniform()) ** (-1 / (a - 1)));
    const f = powerLawExponentMle(xs);
    // x_min is the sample minimum (slightly above 1): a bias O(1/n) well inside 4 SE ≈ 0.13.
    expect(Math.abs(f.exponent - a)).toBeLessThan(4 * f.standardError);
  });
});
