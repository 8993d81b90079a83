import { describe, expect, it } from "vitest";
import { matrixOperator } from "../../src/hessian/operator.ts";
import { powerIteration } from "../../src/hessian/power-iteration.ts";
import { symmetricWithSpectrum, withComplexPair } from "./spectra.ts";

describe("powerIteration", () => {
  it("recovers the leading eigenvalue and eigenvector of a matrix with a known spectrum", () => {
    const lambda = [5, 3, 2.5, 1, 0.5, -0.2, 0.1, -1.5];
    const a = symmetricWithSpectrum(lambda, 1);
    const r = powerIteration(matrixOperator(a, 8), { seed: 3 });
    expect(r.converged).toBe(true);
    // Stop at |Δλ| <= 1e-6·λ with ratio q = (3/5)² per step: remaining error <= Δλ·q/(1-q) < 1e-6·λ.
    expect(Math.abs(r.eigenvalue - 5)).toBeLessThan(1e-6 * 5);
    expect(r.residual).toBeLessThan(1e-2);
  });

  it("finds a negative eigenvalue of largest modulus", () => {
    const a = symmetricWithSpectrum([-7, 4, 1, 0.3], 2);
    const r = powerIteration(matrixOperator(a, 4), { seed: 1 });
    expect(r.converged).toBe(true);
    // As above, with q = (4/7)².
    expect(Math.abs(r.eigenvalue + 7)).toBeLessThan(1e-6 * 7);
  });

  it("reports a complex leading pair of a non-symmetric matrix instead of a wrong value", () => {
    const a = withComplexPair(2, 1.5, [1, 0.5, -0.3, 0.2], 4);
    const r = powerIteration(matrixOperator(a, 6), { seed: 2, maxIterations: 300 });
    expect(r.converged).toBe(false);
    expect(r.dominantPair?.kind).toBe("complex");
    // After 300 steps the other modes are damped by (1/2.5)^300: the 2 x 2 projection is exact to rounding.
    expect(r.dominantPair!.re).toBeCloseTo(2, 10);
    expect(r.dominantPair!.im).toBeCloseTo(1.5, 10);
    expect(r.note).toMatch(/complex pair/);
  });

  it("reports two real eigenvalues of equal modulus (±λ)", () => {
    const a = symmetricWithSpectrum([3, -3, 1, 0.5], 5);
    const r = powerIteration(matrixOperator(a, 4), { seed: 1, maxIterations: 200 });
    expect(r.converged).toBe(false);
    expect(r.dominantPair?.kind).toBe("real");
    // (1/3)^200 leakage: exact to rounding.
    expect(r.dominantPair!.re + r.dominantPair!.im).toBeCloseTo(3, 10);
    expect(r.dominantPair!.re - r.dominantPair!.im).toBeCloseTo(-3, 10);
  });

  it("rejects a bad tolerance and iteration cap", () => {
    const op = matrixOperator(new Float64Array([1]), 1);
    expect(() => powerIteration(op, { tol: -1 })).toThrow(/powerIteration: argument "tol"/);
    expect(() => powerIteration(op, { maxIterations: 0 })).toThrow(
      /powerIteration: argument "maxIterations"/,
    );
  });
});
