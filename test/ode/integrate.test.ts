import { describe, expect, it } from "vitest";
import {
  bindParameters,
  type CompiledVectorField,
  ConstantStepSize,
  DormandPrince54,
  ExplicitEuler,
  integrate,
  iterateMap,
  PIController,
  RK4,
  requireSuccess,
  stateVector,
  type VectorField,
} from "../../src/ode/index.ts";
import { NumericFailureError } from "../../src/util/errors.ts";
import { linear, linearExact, linearY0, maxAbsDiff } from "./problems.ts";

const pi = PIController({ rtol: 1e-8, atol: 1e-8 });
/** y' = y², y(0) = 1: exact solution 1/(1 - t) blows up at t = 1. */
const blowUp: VectorField = (_t, y, dy) => {
  dy[0] = y[0]! * y[0]!;
};

describe("integrate refuses bad combinations before the first step", () => {
  const base = { t0: 0, t1: 1, y0: [1, 0, 0, 0, 0], maxSteps: 100 };
  let calls = 0;
  const counting: VectorField = (t, y, dy) => {
    calls++;
    linear(t, y, dy);
  };
  const refuses = (run: () => unknown, message: RegExp) => {
    calls = 0;
    expect(run).toThrow(message);
    expect(calls).toBe(0);
  };

  it("an adaptive controller with a non-adaptive solver", () => {
    refuses(
      () => integrate(counting, RK4, pi, base),
      /integrate: argument "controller" must be a fixed-step/,
    );
    refuses(() => integrate(counting, ExplicitEuler, pi, base), /non-adaptive solver ExplicitEuler/);
  });

  it("a PI controller without explicit tolerances, or with bad ones", () => {
    expect(() => PIController({ atol: 1e-6 } as never)).toThrow(
      /PIController: argument "rtol" must be given/,
    );
    expect(() => PIController({ rtol: 1e-6 } as never)).toThrow(/argument "atol" must be given/);
    expect(() => PIController({ rtol: -1, atol: 1 })).toThrow(/"rtol" must be a number in \[0, 1\)/);
    expect(() => PIController({ rtol: 0, atol: 0 })).toThrow(/"atol" must be > 0 where rtol = 0/);
    expect(() => PIController({ rtol: 1e-6, atol: 1e-6, dtMin: 1, dtMax: 0.5 })).toThrow(/dtMin/);
    refuses(
      () => integrate(counting, DormandPrince54, PIController({ rtol: 1e-6, atol: [1e-6, 1e-6] }), base),
      /"atol" must be one number or 5 \(one per state\), received 2/,
    );
  });

  it("bad times, states, save times and step bounds", () => {
    refuses(() => integrate(counting, RK4, ConstantStepSize(0.1), { ...base, t1: Number.NaN }), /"t1"/);
    refuses(
      () => integrate(counting, RK4, ConstantStepSize(0.1), { ...base, y0: [] }),
      /"y0" must be a non-empty/,
    );
    refuses(
      () => integrate(counting, RK4, ConstantStepSize(0.1), { ...base, y0: [1, Number.NaN, 0, 0, 0] }),
      /"y0\[1\]" must be a finite number/,
    );
    refuses(
      () => integrate(counting, RK4, ConstantStepSize(0.1), { ...base, maxSteps: 0 }),
      /"maxSteps" must be a positive integer/,
    );
    refuses(
      () => integrate(counting, RK4, ConstantStepSize(0.1), { ...base, saveAt: [0.5, 2] }),
      /"saveAt\[1\]" must be a time within \[0, 1\]/,
    );
    refuses(
      () => integrate(counting, RK4, ConstantStepSize(0.1), { ...base, saveAt: [0.5, 0.2] }),
      /"saveAt\[1\]" must be non-decreasing/,
    );
    expect(() => ConstantStepSize(0)).toThrow(/ConstantStepSize: argument "dt" must be a finite number > 0/);
    expect(() => ConstantStepSize(Number.POSITIVE_INFINITY)).toThrow(/"dt"/);
  });
});

describe("integrate reports failures with time and state", () => {
  it("non-finite state under fixed steps: the last finite time and state", () => {
    // Euler on y' = y², y0 = 1, h = 0.25 overflows after a handful of steps (y_{n+1} = y_n + y_n²/4).
    const r = integrate(blowUp, ExplicitEuler, ConstantStepSize(0.25), {
      t0: 0,
      t1: 10,
      y0: [1],
      maxSteps: 1000,
    });
    expect(r.status).toBe("failed");
    expect(r.failure!.reason).toBe("non-finite-state");
    expect(Number.isFinite(r.failure!.y[0]!)).toBe(true);
    expect(r.failure!.y[0]!).toBeGreaterThan(1e100);
    expect(r.failure!.t).toBe(0.25 * r.stats.accepted);
    expect(r.failure!.message).toMatch(/component 0 became Infinity/);
    expect(() => requireSuccess(r)).toThrow(NumericFailureError);
  });

  it("step-size underflow at a finite-time blow-up, near t = 1", () => {
    const r = integrate(blowUp, DormandPrince54, PIController({ rtol: 1e-8, atol: 1e-8, dtMin: 1e-10 }), {
      t0: 0,
      t1: 2,
      y0: [1],
      maxSteps: 100_000,
    });
    expect(r.status).toBe("failed");
    expect(r.failure!.reason).toBe("step-size-underflow");
    // The exact solution 1/(1 - t) blows up at t = 1. The numerical blow-up time is shifted by
    // about the tolerance (measured 6e-10 at tol 1e-8), and the state there is huge.
    const { t, y } = r.failure!;
    expect(Math.abs(t - 1)).toBeLessThan(1e-6);
    expect(y[0]!).toBeGreaterThan(1e6);
    expect(Math.abs(r.failure!.h)).toBeLessThan(1e-10);
  });

  it("non-finite field values under the adaptive controller: retreats, then reports", () => {
    const field: VectorField = (t, _y, dy) => {
      dy[0] = t > 0.5 ? Number.NaN : 1;
    };
    const r = integrate(field, DormandPrince54, PIController({ rtol: 1e-6, atol: 1e-6 }), {
      t0: 0,
      t1: 1,
      y0: [0],
      maxSteps: 10_000,
    });
    expect(r.status).toBe("failed");
    expect(r.failure!.reason).toBe("non-finite-state");
    // y = t up to the NaN region: reported state and time agree (float64 rounding).
    expect(r.failure!.t).toBeLessThanOrEqual(0.5);
    expect(Math.abs(r.failure!.y[0]! - r.failure!.t)).toBeLessThan(1e-12);
  });

  it("max steps: stops at the bound and says where", () => {
    const r = integrate(linear, RK4, ConstantStepSize(0.01), { t0: 0, t1: 1, y0: linearY0, maxSteps: 10 });
    expect(r.status).toBe("failed");
    expect(r.failure!.reason).toBe("max-steps");
    expect(r.failure!.step).toBe(10);
    // Ten steps of 0.01 in float64 accumulate at most a few ulps.
    expect(r.failure!.t).toBeCloseTo(0.1, 14);
    // RK4 global error C h^4 with C <= 0.3 on this system (convergence test): <= 3e-9.
    expect(maxAbsDiff(r.failure!.y, linearExact(r.failure!.t))).toBeLessThan(3e-9);
  });
});

describe("integrate: saving, directions, fixed and adaptive steps", () => {
  it("solvers without dense output land exactly on save times", () => {
    const saveAt = [0, 0.123, 0.5, 1];
    const r = integrate(linear, RK4, ConstantStepSize(0.01), {
      t0: 0,
      t1: 1,
      y0: linearY0,
      saveAt,
      maxSteps: 200,
    });
    expect(r.ts).toEqual(saveAt);
    // RK4 global error C h^4 with C <= 0.3 on this system (convergence test), h <= 0.01: <= 3e-9.
    r.ts.forEach((t, i) => {
      expect(maxAbsDiff(r.ys[i]!, linearExact(t))).toBeLessThan(3e-9);
    });
  });

  it('saveAt "steps" saves t0 and every accepted step', () => {
    const r = integrate(linear, DormandPrince54, pi, {
      t0: 0,
      t1: 3,
      y0: linearY0,
      saveAt: "steps",
      maxSteps: 1000,
    });
    expect(r.ts[0]).toBe(0);
    expect(r.ts.at(-1)).toBe(3);
    expect(r.ts).toHaveLength(r.stats.accepted + 1);
    // PI at tol 1e-8 on a contracting linear system: global error well below 1e-6.
    r.ts.forEach((t, i) => {
      expect(maxAbsDiff(r.ys[i]!, linearExact(t))).toBeLessThan(1e-6);
    });
  });

  it("integrates backward in time (t1 < t0)", () => {
    const y3 = linearExact(3);
    const r = integrate(linear, DormandPrince54, pi, {
      t0: 3,
      t1: 0,
      y0: y3,
      saveAt: [3, 1.5, 0],
      maxSteps: 1000,
    });
    expect(r.status).toBe("success");
    expect(r.ts).toEqual([3, 1.5, 0]);
    // Backward the system expands by at most e^{0.9}·(Jordan growth ~10): allow 1e-6 at tol 1e-8.
    expect(maxAbsDiff(r.y, linearY0)).toBeLessThan(1e-6);
    expect(maxAbsDiff(r.ys[1]!, linearExact(1.5))).toBeLessThan(1e-6);
  });

  it("t0 = t1 returns the initial state without evaluating the field", () => {
    let calls = 0;
    const r = integrate(
      () => {
        calls++;
      },
      RK4,
      ConstantStepSize(0.1),
      { t0: 2, t1: 2, y0: [7], maxSteps: 1 },
    );
    expect(r.status).toBe("success");
    expect([...r.y]).toEqual([7]);
    expect(calls).toBe(0);
  });

  it("DormandPrince54 also runs with fixed steps, and the PI controller meets its tolerance", () => {
    const fixed = integrate(linear, DormandPrince54, ConstantStepSize(0.05), {
      t0: 0,
      t1: 2,
      y0: linearY0,
      maxSteps: 40,
    });
    expect(fixed.stats.rejected).toBe(0);
    const adaptive = integrate(linear, DormandPrince54, PIController({ rtol: 1e-10, atol: 1e-10 }), {
      t0: 0,
      t1: 2,
      y0: linearY0,
      maxSteps: 10_000,
    });
    // Global error of a contracting system stays within a small multiple of the local tolerance.
    expect(maxAbsDiff(adaptive.y, linearExact(2))).toBeLessThan(1e-8);
  });
});

describe("iterateMap", () => {
  it("iterates a linear contraction exactly and saves every k-th state", () => {
    const r = iterateMap(
      (_k, y, next) => {
        next[0] = 0.5 * y[0]!;
      },
      { y0: [1], iterations: 10, saveEvery: 5 },
    );
    expect(r.status).toBe("success");
    expect(r.ks).toEqual([0, 5, 10]);
    expect(r.ys.map((y) => y[0])).toEqual([1, 1 / 32, 1 / 1024]);
  });

  it("reports a diverging map with its iteration and last finite state", () => {
    const r = iterateMap(
      (_k, y, next) => {
        next[0] = y[0]! * y[0]! + 1;
      },
      { y0: [2], iterations: 100 },
    );
    expect(r.status).toBe("failed");
    expect(r.failure!.reason).toBe("non-finite-state");
    expect(Number.isFinite(r.failure!.y[0]!)).toBe(true);
    // 2, 5, 26, 677, ... doubles the exponent each time: overflow after ~10 iterations.
    expect(r.failure!.k).toBeGreaterThan(5);
    expect(r.failure!.k).toBeLessThan(15);
  });

  it("refuses bad input", () => {
    expect(() => iterateMap(() => {}, { y0: [1], iterations: 0 })).toThrow(
      /"iterations" must be a positive integer/,
    );
    expect(() => iterateMap(() => {}, { y0: [Number.NaN], iterations: 1 })).toThrow(/"y0\[0\]"/);
  });
});

describe("compiled vector fields", () => {
  // ẋ = -k x + y, ẏ = -x, as a rule compiler would emit it (named states and parameters).
  const oscillator: CompiledVectorField = {
    name: "damped",
    states: ["x", "y"],
    parameters: ["k"],
    evaluate: (_t, s, p, ds) => {
      ds[0] = -p[0]! * s[0]! + s[1]!;
      ds[1] = -s[0]!;
    },
  };

  it("binds parameters by name and integrates like a hand-written field", () => {
    const field = bindParameters(oscillator, { k: 0 });
    const y0 = stateVector(oscillator, { y: 0, x: 1 });
    expect([...y0]).toEqual([1, 0]);
    const r = integrate(field, DormandPrince54, PIController({ rtol: 1e-10, atol: 1e-10 }), {
      t0: 0,
      t1: Math.PI,
      y0,
      maxSteps: 10_000,
    });
    // k = 0: x = cos t, y = -sin t; at t = π the state is (-1, 0) to the tolerance.
    expect(maxAbsDiff(r.y, [-1, 0])).toBeLessThan(1e-8);
  });

  it("names missing, unknown and non-finite parameters", () => {
    expect(() => bindParameters(oscillator, {})).toThrow(
      /bindParameters: argument "k" must be a finite number/,
    );
    expect(() => bindParameters(oscillator, { k: 1, c: 2 })).toThrow(
      /argument "c" must be a parameter of "damped" \(parameters: k\)/,
    );
    expect(() => stateVector(oscillator, { x: 1 })).toThrow(/stateVector: argument "y"/);
  });
});

describe("a field that becomes non-finite at a time", () => {
  it("the adaptive integrator closes in on that time and reports a non-finite state there", () => {
    // f is finite for t < 1 but NaN beyond: the solution y = t exists only up to t = 1.
    const field: VectorField = (t, _y, dy) => {
      dy[0] = t <= 1 ? 1 : Number.NaN;
    };
    const r = integrate(field, DormandPrince54, PIController({ rtol: 1e-8, atol: 1e-8 }), {
      t0: 0,
      t1: 2,
      y0: [0],
      maxSteps: 100_000,
    });
    expect(r.status).toBe("failed");
    expect(r.failure!.reason).toBe("non-finite-state");
    // The integrator creeps up to t = 1 until steps underflow: t within float64 reach of 1.
    expect(r.failure!.t).toBeLessThanOrEqual(1);
    expect(r.failure!.t).toBeGreaterThan(1 - 1e-9);
    // y = t exactly (every stage is 1): only rounding in the sums.
    expect(Math.abs(r.failure!.y[0]! - r.failure!.t)).toBeLessThan(1e-12);
  });
});
