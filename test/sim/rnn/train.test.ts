import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { bpttGradient } from "../../../src/sim/rnn/bptt.ts";
import { initRnnParams } from "../../../src/sim/rnn/network.ts";
import { flattenParams, parameterBlock } from "../../../src/sim/rnn/params.ts";
import { makeTask } from "../../../src/sim/rnn/tasks/task.ts";
import {
  learningRateGrid,
  selectLearningRate,
  stepLengthRatio,
  trainRnn,
} from "../../../src/sim/rnn/train.ts";

const small = () => makeTask("pattern", { n: 8, steps: 12, seed: 1 });

describe("SGD training", () => {
  it("BPTT with a small step decreases the loss of the pattern task", () => {
    const task = small();
    const theta = flattenParams(initRnnParams(task.config, 2));
    const r = trainRnn(task, theta, { rule: "bptt", lr: 3e-3, steps: 200, evalEvery: 50 });
    expect(r.diverged).toBeUndefined();
    expect(r.history.at(-1)!.loss).toBeLessThan(0.5 * r.history[0]!.loss);
  });

  it("one step is θ - η ∇L (BPTT) and the matched step scales only input and recurrent weights by ρ", () => {
    const task = small();
    const theta = flattenParams(initRnnParams(task.config, 3));
    const g = bpttGradient(task.config, theta, task.evalBatch).grad;
    const r = trainRnn(task, theta, { rule: "bptt", lr: 1e-3, steps: 1, evalEvery: 1 });
    r.theta.forEach((w, i) => {
      expect(w).toBeCloseTo(theta[i]! - 1e-3 * g[i]!, 14);
    });
    const m = trainRnn(task, theta, {
      rule: "eprop",
      lr: 1e-3,
      steps: 1,
      evalEvery: 1,
      matchStepLength: true,
    });
    const last = m.history[m.history.length - 1]!;
    const rho = last.rho!;
    const out = parameterBlock(task.config, "output").offset;
    m.theta.forEach((w, i) => {
      expect(w).toBeCloseTo(theta[i]! - (i < out ? rho : 1) * 1e-3 * g[i]!, 14);
    });
  });

  it("stops at the first evaluation reaching a target loss and records λ1 there", () => {
    const task = small();
    const theta = flattenParams(initRnnParams(task.config, 2));
    const full = trainRnn(task, theta, { rule: "bptt", lr: 3e-3, steps: 200, evalEvery: 10 });
    const target = full.history[10]!.loss;
    const r = trainRnn(task, theta, {
      rule: "bptt",
      lr: 3e-3,
      steps: 200,
      evalEvery: 10,
      stopAtLoss: target,
      curvature: () => ({ eigenvalue: 42, converged: true }),
    });
    const first = full.history.find((h) => h.loss <= target)!;
    expect(r.stoppedAt).toBe(first.step);
    expect(r.history.at(-1)!.lambda1).toBe(42);
  });

  it("stops and says where when the loss blows up", () => {
    const task = makeTask("pattern", { n: 8, steps: 12, seed: 1 });
    const theta = flattenParams(initRnnParams(task.config, 4, 3));
    const r = trainRnn(task, theta, { rule: "bptt", lr: 50, steps: 100 });
    expect(r.diverged?.step).toBeGreaterThan(0);
    expect(r.diverged?.reason).toMatch(/loss|weight/);
  });

  it("picks the learning rate from the seed's grid by training loss", () => {
    const task = small();
    const theta = flattenParams(initRnnParams(task.config, 5));
    const c = selectLearningRate(task, theta, { rule: "bptt", steps: 30 });
    expect(learningRateGrid).toContain(c.lr);
    const best = Math.min(...c.table.filter((r) => !r.diverged).map((r) => r.loss));
    expect(c.table.find((r) => r.lr === c.lr)!.loss).toBe(best);
  });

  it("refuses --match-step-length with BPTT itself", () => {
    const task = small();
    expect(() =>
      trainRnn(task, flattenParams(initRnnParams(task.config, 0)), {
        rule: "bptt",
        lr: 1e-3,
        steps: 1,
        matchStepLength: true,
      }),
    ).toThrow(/a truncated rule/);
  });
});

describe("step-length ratio ρ (seed 000, eq. 6)", () => {
  test.prop(
    [
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 12 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
      fc.double({ min: -3, max: 3, noNaN: true }),
    ],
    { seed: 42, numRuns: 100 },
  )("recovers ρ from ĝ = ρ g + e with e ⊥ g", (gs, es, rho) => {
    const g = Float64Array.from(gs);
    const gg = g.reduce((a, x) => a + x * x, 0);
    fc.pre(gg > 1e-6);
    const e = Float64Array.from(es.slice(0, g.length));
    const eg = e.reduce((a, x, i) => a + x * g[i]!, 0);
    for (let i = 0; i < g.length; i++) e[i] = e[i]! - (eg / gg) * g[i]!;
    const approx = g.map((x, i) => rho * x + e[i]!);
    // Float64 rounding of the projection, relative to |ρ| + ‖e‖/‖g‖ ≲ 1e2.
    expect(stepLengthRatio(approx, g, g.length)).toBeCloseTo(rho, 10);
  });
});
