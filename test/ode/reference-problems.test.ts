import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ConstantStepSize,
  DormandPrince54,
  integrate,
  PIController,
  RK4,
  type VectorField,
} from "../../src/ode/index.ts";
import {
  arenstorf,
  fittedOrder,
  kepler,
  lotkaVolterra,
  lotkaVolterraInvariant,
  maxAbsDiff,
} from "./problems.ts";

const fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/ode/dopri5-arenstorf.json", import.meta.url), "utf8"),
);
const { y0, period } = fixture.problem as { y0: number[]; period: number };

describe("Arenstorf orbit against Hairer's DOPRI5 (fixtures/ode/dopri5-arenstorf.json)", () => {
  it("at tol 1e-7 takes DOPRI5's steps and reproduces its dense output digit for digit", () => {
    const ref = fixture.runs[0];
    const r = integrate(arenstorf, DormandPrince54, PIController({ rtol: ref.tol, atol: ref.tol }), {
      t0: 0,
      t1: period,
      y0,
      saveAt: ref.t,
      maxSteps: 10_000,
    });
    expect(r.status).toBe("success");
    // Same controller, same starting step, same formulas: the same accepted and attempted steps.
    // DOPRI5 counts rejections of the very first step apart, so compare accepted and total.
    expect(r.stats.accepted).toBe(ref.accepted);
    expect(r.stats.accepted + r.stats.rejected).toBe(ref.steps);
    // We evaluate f(t0, y0) once more than DOPRI5 (once to choose h0, once in the first step).
    expect(r.stats.evaluations).toBe(ref.evaluations + 1);
    for (let i = 0; i < ref.t.length; i++) {
      // The reference is printed with 10 significant digits (rounding <= 5e-10 on values <= 1.2);
      // the two codes' float64 rounding differs (operation order), amplified along the orbit:
      // measured differences <= 1.1e-12 beyond the print rounding. Allow 1e-9.
      expect(Math.abs(r.ys[i]![0]! - ref.y1[i])).toBeLessThan(1e-9);
      expect(Math.abs(r.ys[i]![1]! - ref.y2[i])).toBeLessThan(1e-9);
    }
  });

  it("at tol 1e-14 agrees with DOPRI5's tol 1e-17 orbit and returns to its start after one period", () => {
    const ref = fixture.runs[1];
    const r = integrate(arenstorf, DormandPrince54, PIController({ rtol: 1e-14, atol: 1e-14 }), {
      t0: 0,
      t1: period,
      y0,
      saveAt: ref.t,
      maxSteps: 100_000,
    });
    expect(r.status).toBe("success");
    for (let i = 0; i < ref.t.length; i++) {
      // Print rounding of the reference <= 5e-10; our positions differ from the exact orbit by
      // float64 rounding accumulated over ~5000 steps and amplified ~1e4-fold along the orbit
      // (reordering the stage sums moves them by ~1e-9). Measured max difference 4.1e-10; allow 2e-9.
      expect(Math.abs(r.ys[i]![0]! - ref.y1[i])).toBeLessThan(2e-9);
      expect(Math.abs(r.ys[i]![1]! - ref.y2[i])).toBeLessThan(2e-9);
    }
    // Periodic return: the period is given to 30 digits, so y(T) = y0 up to the global error.
    // Rounding (~1e-16 per step, ~5000 steps) amplified ~1e4-fold along the orbit leaves ~1e-9 on
    // the velocities (measured 9e-10) and ~1e-11 on the positions (measured 6e-12).
    expect(maxAbsDiff(r.y.subarray(0, 2), y0.slice(0, 2))).toBeLessThan(1e-10);
    expect(maxAbsDiff(r.y.subarray(2), y0.slice(2))).toBeLessThan(5e-9);
  });

  it("global error falls with the tolerance (tolerance proportionality)", () => {
    const returnError = (tol: number) => {
      const r = integrate(arenstorf, DormandPrince54, PIController({ rtol: tol, atol: tol }), {
        t0: 0,
        t1: period,
        y0,
        maxSteps: 100_000,
      });
      return maxAbsDiff(r.y, y0);
    };
    const errs = [1e-6, 1e-8, 1e-10].map(returnError);
    // For an order-4 error estimate and order-5 solution, error ∝ tol^(5/5) at best and
    // tol^(4/5) at worst per step (HNW I, sec. II.4): each 100-fold tighter tol must gain >= 10x.
    expect(errs[1]!).toBeLessThan(errs[0]! / 10);
    expect(errs[2]!).toBeLessThan(errs[1]! / 10);
  });
});

describe("Kepler problem, eccentricity 0.6: periodic with period 2π (HNW GNI, sec. I.2.3)", () => {
  const e = 0.6;
  const q0 = [1 - e, 0, 0, Math.sqrt((1 + e) / (1 - e))];
  it("DormandPrince54 returns to the initial state after 2π and runs backward to it", () => {
    const r = integrate(kepler, DormandPrince54, PIController({ rtol: 1e-12, atol: 1e-12 }), {
      t0: 0,
      t1: 2 * Math.PI,
      y0: q0,
      maxSteps: 100_000,
    });
    expect(r.status).toBe("success");
    // Global error at tol 1e-12 over one orbit (perihelion speed 2): measured 2e-10; allow 1e-8.
    expect(maxAbsDiff(r.y, q0)).toBeLessThan(1e-8);
    const back = integrate(kepler, DormandPrince54, PIController({ rtol: 1e-12, atol: 1e-12 }), {
      t0: 2 * Math.PI,
      t1: 0,
      y0: r.y,
      maxSteps: 100_000,
    });
    expect(back.status).toBe("success");
    expect(maxAbsDiff(back.y, q0)).toBeLessThan(2e-8);
  });

  it("energy H = |p|²/2 - 1/|q| = -1/2 is kept to the tolerance", () => {
    const r = integrate(kepler, DormandPrince54, PIController({ rtol: 1e-10, atol: 1e-10 }), {
      t0: 0,
      t1: 10 * Math.PI,
      y0: q0,
      saveAt: Array.from({ length: 21 }, (_, i) => (i * Math.PI) / 2),
      maxSteps: 100_000,
    });
    const energy = (y: Float64Array) => (y[2]! ** 2 + y[3]! ** 2) / 2 - 1 / Math.hypot(y[0]!, y[1]!);
    // a = 1 gives H = -1/(2a) = -1/2 exactly; five orbits at tol 1e-10 drift ~1e-9; allow 1e-7.
    for (const y of r.ys) expect(Math.abs(energy(y) + 0.5)).toBeLessThan(1e-7);
  });
});

describe("Lotka-Volterra first integral I = ln u - u + 2 ln v - v (HNW GNI, sec. I.1.1)", () => {
  const y0 = [2, 2];
  it("RK4: the drift of I over [0, 20] shrinks at order 4 with the step", () => {
    const I0 = lotkaVolterraInvariant(y0);
    const steps = [800, 1600, 3200, 6400];
    const drifts = steps.map((n) => {
      const r = integrate(lotkaVolterra, RK4, ConstantStepSize(20 / n), { t0: 0, t1: 20, y0, maxSteps: n });
      return Math.abs(lotkaVolterraInvariant(r.y) - I0);
    });
    // I(y_n) - I(y(t)) = O(h^4) since I is smooth. Coarser steps are pre-asymptotic on this orbit
    // (the drift changes sign near h = 0.1); from h = 0.025 the measured pair ratios are 2^3.8 and
    // closer to 2^4, so the fitted slope is within 0.2 of 4: allow 0.3.
    expect(
      Math.abs(
        fittedOrder(
          steps.map((n) => 20 / n),
          drifts,
        ) - 4,
      ),
    ).toBeLessThan(0.3);
  });

  it("DormandPrince54 keeps I to a few multiples of the tolerance at every saved time", () => {
    const I0 = lotkaVolterraInvariant(y0);
    const r = integrate(lotkaVolterra, DormandPrince54, PIController({ rtol: 1e-10, atol: 1e-10 }), {
      t0: 0,
      t1: 50,
      y0,
      saveAt: Array.from({ length: 101 }, (_, i) => i / 2),
      maxSteps: 100_000,
    });
    expect(r.ts).toHaveLength(101);
    // |∇I| <= 2 on this orbit and the global error grows ~linearly over ~8 periods: measured
    // drift ~1e-9; allow 1e-7.
    for (const y of r.ys) expect(Math.abs(lotkaVolterraInvariant(y) - I0)).toBeLessThan(1e-7);
  });
});

describe("van der Pol limit cycle, mu = 1", () => {
  // A point on the limit cycle and its period, to 30 digits: T from Amore, "Computing the
  // solutions of the van der Pol equation to arbitrary precision" (arXiv:2111.12198); the same
  // (A, 0), T pair is the periodic test problem of Hairer's test collection.
  // Published: A = 2.00861986087484313650940188, T = 6.6632868593231301896996820305; below are
  // the nearest float64 values.
  const A = 2.0086198608748433;
  const T = 6.66328685932313;
  const vdp: VectorField = (_t, y, dy) => {
    dy[0] = y[1]!;
    dy[1] = (1 - y[0]! * y[0]!) * y[1]! - y[0]!;
  };

  it("returns to (A, 0) after one period", () => {
    const r = integrate(vdp, DormandPrince54, PIController({ rtol: 1e-12, atol: 1e-12 }), {
      t0: 0,
      t1: T,
      y0: [A, 0],
      maxSteps: 100_000,
    });
    // The cycle attracts, so the global error stays at the level of the local tolerance
    // (measured 5e-13); allow 1e-9.
    expect(maxAbsDiff(r.y, [A, 0])).toBeLessThan(1e-9);
  });

  it("the period located with dense output (x maximal: v crosses 0 downward) matches T", () => {
    const saveAt = Array.from({ length: 201 }, (_, i) => T - 0.01 + i * 1e-4);
    const r = integrate(vdp, DormandPrince54, PIController({ rtol: 1e-12, atol: 1e-12 }), {
      t0: 0,
      t1: T + 0.01,
      y0: [A, 0],
      saveAt,
      maxSteps: 100_000,
    });
    const crossings: number[] = [];
    for (let i = 1; i < r.ts.length; i++) {
      const a = r.ys[i - 1]![1]!;
      const b = r.ys[i]![1]!;
      if (a > 0 && b <= 0) crossings.push(r.ts[i - 1]! + ((r.ts[i]! - r.ts[i - 1]!) * a) / (a - b));
    }
    expect(crossings).toHaveLength(1);
    // Linear interpolation of v between dense outputs 1e-4 apart errs by <= |v''| Δt²/(8 |v'|),
    // with v' = -A ≈ -2 and v'' = A(A² - 1) ≈ 6.1 at the crossing: <= 4e-9. Allow 1e-8.
    expect(Math.abs(crossings[0]! - T)).toBeLessThan(1e-8);
  });
});
