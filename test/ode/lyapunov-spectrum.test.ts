import { describe, expect, it } from "vitest";
import { kaplanYorkeDimension } from "../../src/analysis/kaplan-yorke.ts";
import { denseTangent, lyapunovSpectrumFlow, orthonormalize } from "../../src/ode/lyapunov-spectrum.ts";
import { ruleLyapunovSpectrum } from "../../src/ode/rule-lyapunov.ts";
import { loadRule } from "../../src/rules/index.ts";

describe("Lyapunov spectra by the QR method", () => {
  it("a linear flow dy/dt = A y has the real parts of A's eigenvalues as exponents", () => {
    // A upper triangular with eigenvalues 0.5, -1, -3: the exponents are exactly these (up to the
    // O(1/T) transient of the initial orientation, here T = 200 and a bounded condition number).
    const A = [
      [0.5, 2, 0],
      [0, -1, 1],
      [0, 0, -3],
    ];
    const r = lyapunovSpectrumFlow(
      (_t, y, dy) => denseTangent(A)(y, dy),
      () => denseTangent(A),
      {
        y0: [1, 1, 1],
        time: 200,
        dt: 0.01,
      },
    );
    for (const [j, l] of [0.5, -1, -3].entries()) expect(Math.abs(r.exponents[j]! - l)).toBeLessThan(5 / 200);
  });

  it("orthonormalize leaves orthonormal columns and returns R's diagonal", () => {
    const Q = [Float64Array.from([3, 4, 0]), Float64Array.from([1, 0, 1])];
    const r = orthonormalize(Q);
    expect(r[0]).toBeCloseTo(5, 14);
    // second column minus its projection on (0.6, 0.8, 0): (0.64, -0.48, 1), norm sqrt(1.64)
    expect(r[1]).toBeCloseTo(Math.sqrt(1.64), 14);
    expect(Q[0]![0]! * Q[1]![0]! + Q[0]![1]! * Q[1]![1]! + Q[0]![2]! * Q[1]![2]!).toBeCloseTo(0, 15);
  });

  it("Lorenz (10, 28, 8/3): (0.9056, 0, -14.5723) and D_KY = 2.062", () => {
    // Tolerances. Statistical: the finite-time exponents over T = 1000 have standard deviation
    // 0.0038 for lambda_1 and lambda_3 (16 seeded runs, reports/lyapunov/lorenz-T1000.json; the
    // 4 runs of T = 10000 in lorenz-T10000.json give the longer estimate); 4 sigma = 0.015,
    // plus 2/T = 0.002 for the bias the initial orientation of the tangent vectors leaves (a
    // bounded log-ratio divided by T, as for the zero exponent). D_KY = 2 + lambda_1/|lambda_3|
    // moves by 0.017/14.6 + ... < 0.003. The zero exponent's
    // bias is O(1/T): |lambda_2| <= 5/T. The sum is exactly tr J = -(sigma + 1 + beta) = -41/3
    // at every point; RK4's determinant differs from exp(h tr J) by |h tr J|^5/120 per step,
    // 4e-5 per unit time at h = 0.01, so the sum must agree to 2e-4.
    const r = ruleLyapunovSpectrum(loadRule("rules/reference/lorenz.rule"), {
      params: { sigma: 10, rho: 28 },
      y0: [1, 1, 1],
      span: 1000,
      transient: 50,
    });
    expect(Math.abs(r.exponents[0]! - 0.9056)).toBeLessThan(0.017);
    expect(Math.abs(r.exponents[1]!)).toBeLessThan(5 / 1000);
    expect(Math.abs(r.exponents[2]! - -14.5723)).toBeLessThan(0.017);
    expect(Math.abs(r.exponents.reduce((a, b) => a + b) + 41 / 3)).toBeLessThan(2e-4);
    expect(Math.abs(r.kaplanYorke! - (2 + 0.9056 / 14.5723))).toBeLessThan(0.003);
  });

  it("Hénon (1.4, 0.3): (0.4192, -1.6232) and D_KY = 1.258", () => {
    // Statistical tolerance: over 1e5 iterations the standard deviation is 0.0010 (16 seeded
    // runs, reports/lyapunov/henon-K1e5.json; 1e6 iterations give 0.41918 +- 0.0001): 4 sigma
    // plus 0.0005 = 0.0045. The sum is log|det J| = log b exactly at every
    // step, so it agrees to rounding.
    const r = ruleLyapunovSpectrum(loadRule("rules/reference/henon.rule"), {
      params: { a: 1.4, b: 0.3 },
      y0: [0, 0],
      span: 100_000,
      transient: 1000,
    });
    expect(Math.abs(r.exponents[0]! - 0.4192)).toBeLessThan(0.0045);
    expect(Math.abs(r.exponents[1]! - -1.6232)).toBeLessThan(0.0045);
    expect(Math.abs(r.exponents[0]! + r.exponents[1]! - Math.log(0.3))).toBeLessThan(1e-10);
    expect(Math.abs(r.kaplanYorke! - (1 + 0.4192 / 1.6232))).toBeLessThan(0.004);
  });

  it("Kaplan-Yorke dimension: stable point 0, limit cycle 1, the interpolation formula", () => {
    expect(kaplanYorkeDimension([-1, -2])).toBe(0);
    expect(kaplanYorkeDimension([0, -1])).toBe(1);
    expect(kaplanYorkeDimension([1, 0, -4])).toBeCloseTo(2.25, 15);
    expect(kaplanYorkeDimension([0.5, 0.1])).toBe(2);
  });
});
