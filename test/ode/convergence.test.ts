import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  ConstantStepSize,
  DormandPrince54,
  ExplicitEuler,
  integrate,
  RK4,
  type Solver,
} from "../../src/ode/index.ts";
import { fittedOrder, linear, linearExact, linearY0, maxAbsDiff } from "./problems.ts";

const T = 2;

function globalErrors(solver: Solver, steps: readonly number[]) {
  return steps.map((n) => {
    const r = integrate(linear, solver, ConstantStepSize(T / n), { t0: 0, t1: T, y0: linearY0, maxSteps: n });
    expect(r.status).toBe("success");
    expect(r.stats.accepted).toBe(n);
    return maxAbsDiff(r.y, linearExact(T));
  });
}

describe("empirical order of convergence on y' = Ay against exp(At) y0", () => {
  // Step counts chosen so every error is in the asymptotic regime (h‖A‖ <= 0.27) and far above
  // float64 rounding (smallest error >= 1e-12 against ~1e-15 accumulated rounding).
  const cases: [Solver, number[]][] = [
    [ExplicitEuler, [64, 128, 256, 512, 1024]],
    [RK4, [16, 32, 64, 128, 256]],
    [DormandPrince54, [16, 32, 64, 128]],
  ];
  for (const [solver, steps] of cases) {
    it(`${solver.name}: fitted slope of log(error) vs log(h) equals the declared order ${solver.order}`, () => {
      const errs = globalErrors(solver, steps);
      const slope = fittedOrder(
        steps.map((n) => T / n),
        errs,
      );
      // The error is C h^p (1 + O(h)); the O(h) term, |1 - ratio / 2^p| measured <= 0.1 on the
      // coarsest pair, biases the fitted slope by at most ~0.15 over these ranges.
      expect(Math.abs(slope - solver.order)).toBeLessThan(0.15);
    });
  }

  it("declares order, adaptivity and dense output", () => {
    expect([ExplicitEuler.order, RK4.order, DormandPrince54.order]).toEqual([1, 4, 5]);
    expect([ExplicitEuler.adaptive, RK4.adaptive, DormandPrince54.adaptive]).toEqual([false, false, true]);
    expect(DormandPrince54.errorOrder).toBe(4);
    expect(DormandPrince54.denseOutput).toBe(true);
  });

  it("DormandPrince54's embedded estimate is the local error of the order-4 solution (slope 5)", () => {
    // One step from y0: est = y5 - y4 with y5 - y_exact = O(h^6), so est = O(h^5) and the fitted
    // slope is 5; the O(h) correction to it is < 0.15 for h <= 0.1 (as above).
    const hs = [0.1, 0.05, 0.025, 0.0125];
    const ests = hs.map((h) => {
      const stepper = DormandPrince54.stepper(linear, 5);
      const y = Float64Array.from(linearY0);
      const yOut = new Float64Array(5);
      const err = new Float64Array(5);
      stepper.step(0, y, h, yOut, err);
      return Math.max(...err.map(Math.abs));
    });
    expect(Math.abs(fittedOrder(hs, ests) - 5)).toBeLessThan(0.15);
  });

  it("DormandPrince54 dense output converges at order 5 inside steps (local order 4 interpolant)", () => {
    // Error inside a step = propagated global error O(h^5) + interpolation error O(h^(4+1)).
    const steps = [8, 16, 32, 64];
    const inner = Array.from({ length: 40 }, (_, i) => (T * (i + 0.37)) / 40);
    const errs = steps.map((n) => {
      const r = integrate(linear, DormandPrince54, ConstantStepSize(T / n), {
        t0: 0,
        t1: T,
        y0: linearY0,
        saveAt: inner,
        maxSteps: n,
      });
      return Math.max(...r.ts.map((t, i) => maxAbsDiff(r.ys[i]!, linearExact(t))));
    });
    const slope = fittedOrder(
      steps.map((n) => T / n),
      errs,
    );
    // Same O(h) bias argument as above, over a coarser range (h‖A‖ <= 0.54): allow 0.3.
    expect(Math.abs(slope - 5)).toBeLessThan(0.3);
  });

  it("dense output reproduces both ends of each step", () => {
    const stepper = DormandPrince54.stepper(linear, 5);
    const y = Float64Array.from(linearY0);
    const yOut = new Float64Array(5);
    stepper.step(0, y, 0.3, yOut, null);
    stepper.accept();
    const out = new Float64Array(5);
    stepper.interpolate(0, out);
    // θ = 0 and θ = 1 reduce the formula to y0 and y0 + (y1 - y0): float64 rounding only.
    expect(maxAbsDiff(out, y)).toBeLessThan(1e-15);
    stepper.interpolate(1, out);
    expect(maxAbsDiff(out, yOut)).toBeLessThan(1e-15);
  });
});

describe("stability functions: one step on y' = λy multiplies by R(hλ)", () => {
  // R(z) of each method (HNW I, sec. IV.2): Euler 1+z, RK4 the degree-4 Taylor polynomial,
  // Dormand-Prince 5 the degree-5 Taylor polynomial plus z^6/600.
  const taylor = (z: number, p: number) => {
    let s = 1;
    let term = 1;
    for (let k = 1; k <= p; k++) {
      term *= z / k;
      s += term;
    }
    return s;
  };
  const stabilities: [Solver, (z: number) => number][] = [
    [ExplicitEuler, (z) => 1 + z],
    [RK4, (z) => taylor(z, 4)],
    [DormandPrince54, (z) => taylor(z, 5) + z ** 6 / 600],
  ];
  for (const [solver, R] of stabilities) {
    fcTest.prop(
      [fc.double({ min: -3, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true })],
      {
        seed: 4101,
        numRuns: 100,
      },
    )(`${solver.name}`, (lambda, h) => {
      const field = (_t: number, y: Float64Array, dy: Float64Array) => {
        dy[0] = lambda * y[0]!;
      };
      const stepper = solver.stepper(field, 1);
      const out = new Float64Array(1);
      stepper.step(0, Float64Array.of(1), h, out, null);
      // A handful of float64 operations on numbers of size <= e^3: rounding below 1e-13.
      expect(Math.abs(out[0]! - R(h * lambda))).toBeLessThan(1e-13);
    });
  }
});
