import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { matrixOperator } from "../../src/hessian/operator.ts";
import { powerIteration } from "../../src/hessian/power-iteration.ts";
import { gradientDescentOnQuadratic, rank1Eigenvalue, theorem1Holds } from "../../theory/seed000-theorem1.ts";

const vec = (n: number) =>
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n });

describe("seed 000, Theorem 1", () => {
  test.prop([vec(6), vec(6), fc.double({ min: 0.1, max: 3, noNaN: true })], { seed: 7, numRuns: 60 })(
    "eq. 30 (a): with ∇̃ŷ = ρ∇ŷ + e', e' ⊥ ∇ŷ, the rank-1 Jacobian's eigenvalue is ρ‖∇ŷ‖² (checked by power iteration)",
    (as, es, rho) => {
      const a = Float64Array.from(as);
      const aa = rank1Eigenvalue(a, a);
      fc.pre(aa > 0.1);
      const e = Float64Array.from(es);
      const ea = rank1Eigenvalue(e, a);
      for (let i = 0; i < 6; i++) e[i] = e[i]! - (ea / aa) * a[i]!;
      const b = a.map((x, i) => rho * x + e[i]!);
      const m = new Float64Array(36);
      for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) m[i * 6 + j] = a[i]! * b[j]!;
      const r = powerIteration(matrixOperator(m, 6), { seed: 1 });
      // A rank-1 matrix: the power iteration is exact after one step up to float64 rounding.
      expect(r.eigenvalue).toBeCloseTo(rho * aa, 8);
      expect(rank1Eigenvalue(a, b)).toBeCloseTo(rho * aa, 10);
    },
  );

  test.prop([fc.double({ min: 1.05, max: 1.95, noNaN: true }), fc.constantFrom(1e-3, 1e-2, 1e-1)], {
    seed: 8,
    numRuns: 60,
  })(
    "slip in eqs. 31-32: gradient descent converges at curvature λ ∈ (1/η, 2/η), above the printed bound 1/η",
    (c, lr) => {
      const lambda = c / lr;
      // |1 - ηλ| <= 0.95 per step: after 2000 steps |w| <= 0.95^2000 ≈ 1e-45.
      expect(gradientDescentOnQuadratic(lambda, lr, 2000)).toBeLessThan(1e-40);
      const holds = theorem1Holds(lambda, lr);
      expect(holds.printed).toBe(false);
      expect(holds.stability).toBe(true);
    },
  );

  it("beyond 2/η gradient descent diverges, so 2/η is the sharp bound", () => {
    expect(gradientDescentOnQuadratic(2.05 / 0.01, 0.01, 500)).toBeGreaterThan(1e6);
    expect(gradientDescentOnQuadratic(1.999 / 0.01, 0.01, 20000)).toBeLessThan(1e-3);
  });
});
