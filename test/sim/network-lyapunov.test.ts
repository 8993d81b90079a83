import { describe, expect, it } from "vitest";
import { fieldOperator, flattenStates } from "../../src/analysis/network/field-operator.ts";
import { drawRuns } from "../../src/ir/model.ts";
import { ConstantStepSize, integrate, RK4 } from "../../src/ode/index.ts";
import { builtinNetworkRule } from "../../src/rules/index.ts";
import { learningRate, ruleField } from "../../src/sim/continuous.ts";
import { networkLyapunovSpectrum } from "../../src/sim/network-lyapunov.ts";
import { ModelCache } from "../../src/sim/rule-run.ts";

describe("Lyapunov spectrum of a network rule's flow through its JVP", () => {
  it("URFB at n = 3 x 2 + 3 + 3 weights: the full spectrum sums to the time average of lr tr J (Liouville)", () => {
    const model = new ModelCache(builtinNetworkRule("urfb")).model({
      sizes: { M: 2, N: 3, P: 6, Q: 4, S: 6 },
    });
    const ruleRun = { model, seed: 5 };
    const T = 4;
    const n = 3 * 2 + 3 + 3;
    const r = networkLyapunovSpectrum(ruleRun, { time: T, count: n, interval: 0.5 });
    expect(r.dimension).toBe(n);
    expect(r.exponents.length).toBe(n);
    // the twin: tr J from n JVPs on unit vectors, along the same RK4 trajectory, averaged by the
    // trapezoid rule on the steps: error h^2/12 max|d^2 tr J/dt^2| ~ 1e-5 times the trace's
    // second derivative, which the slow flow (rates ~0.1 per epoch) keeps below 1e-2; RK4's
    // determinant error is |h tr J|^5/120 per step, negligible. So 1e-6 bounds both.
    const [run] = drawRuns(model, [ruleRun]);
    const op = fieldOperator(model, run!);
    const lr = learningRate(model, run!);
    const path = integrate(ruleField(model, run!), RK4, ConstantStepSize(0.01), {
      t0: 0,
      t1: T,
      y0: flattenStates(run!.states),
      saveAt: "steps",
      maxSteps: 1e5,
    });
    const trace = (y: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const e = new Float64Array(n);
        e[i] = 1;
        s += op.apply(y, e)[i]!;
      }
      return lr * s;
    };
    const tr = path.ys.map(trace);
    let integral = 0;
    for (let k = 1; k < tr.length; k++)
      integral += ((tr[k]! + tr[k - 1]!) / 2) * (path.ts[k]! - path.ts[k - 1]!);
    const sum = r.exponents.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - integral / T)).toBeLessThan(1e-6 * (1 + Math.abs(integral / T)));
  });

  it("refuses a rule with renormalized states", () => {
    const model = new ModelCache(builtinNetworkRule("curl-descent")).model({
      sizes: { M: 2, N: 2, P: 4, Q: 2, S: 4 },
    });
    expect(() => networkLyapunovSpectrum({ model, seed: 1 }, { time: 1 })).toThrow(/renormalizes W1, W2/);
  });
});
