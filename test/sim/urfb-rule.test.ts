/**
 * rules/urfb-deep-linear.rule (seed 003 eqs. 7, 11, 15 with R_i as states) run by the generic
 * simulator against the hand-written deep linear URFB of src/sim/deep-linear-feedback.ts, from
 * the same initial arrays: the same errors and final weights and feedback within float64
 * rounding, for FRFB (epsilon = 0), URFB (epsilon = 1) and in between.
 */
import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { runDeepLinearDraws } from "../../src/sim/deep-linear-feedback.ts";
import { ModelCache } from "../../src/sim/rule-run.ts";
import { simulateRuns } from "../../src/sim/simulate.ts";

const be = cpuBackend();
const widths = [4, 6, 5, 3];
const sizes = { n0: 4, n1: 6, n2: 5, n3: 3 };

describe("urfb-deep-linear.rule against the hand-written deep linear URFB", () => {
  it.each([0, 0.5, 1])("epsilon = %s: same errors and final matrices within rounding", async (epsilon) => {
    const cache = new ModelCache(builtinNetworkRule("urfb-deep-linear"));
    const runs = [1, 2].map((seed) => cache.run({ ...sizes, epsilon, eta: 0.05 }, seed));
    const model = runs[0]!.model;
    const drawn = drawRuns(model, runs);
    // T = A3 A2 A1 is computed once per run (hoisted): the one fixed value of shape n3 x n0.
    const targets = model.compiled.fixed.flatMap((f, k) =>
      f.origin === "hoisted" && f.rows === 3 && f.cols === 4 ? [k] : [],
    );
    expect(targets).toHaveLength(1);
    const draws = drawn.map((d) => ({
      target: d.fixed[targets[0]!]!,
      weights: d.states.slice(0, 3),
      feedback: d.states.slice(3, 5),
    }));
    const record = [0, 5, 10, 20, 40];
    const spec = {
      widths,
      epsilon,
      stepSize: 0.05,
      initialWeights: "random" as const,
      initialFeedback: "random" as const,
    };
    const hand = await runDeepLinearDraws(be, spec, draws, record);
    const rule = await simulateRuns(be, runs, { epochs: 40, recordAt: record, lyapunov: false });
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
      const scale = Math.max(1, ...Array.from(b, Math.abs));
      // 40 Euler steps of the same update with products associated differently (T, W3 W2 W1,
      // R2 R3 e): a few float64 roundings (1.1e-16 relative) per entry per step, on entries of
      // order 1 that the step map does not amplify; at most a few hundred roundings: 1e-13.
      for (let q = 0; q < b.length; q++)
        expect(Math.abs(a[q]! - b[q]!), `${what}[${q}]`).toBeLessThan(1e-13 * scale);
    };
    rule.forEach((r, s) => {
      expect(r.epochs).toEqual(hand.iterations);
      close(r.trainError!, hand.error[s]!, `error of run ${s}`);
    });
    // Final matrices: the rule's states after 40 epochs (one Euler step each) on the CPU batch.
    const batch = be.network({ rule: model.compiled, runs: drawn });
    batch.advance(40);
    const states = await batch.readStates();
    expect(model.compiled.states.map((x) => x.name)).toEqual(["W1", "W2", "W3", "R2", "R3"]);
    [...hand.weights, ...hand.feedback].forEach((h, k) => {
      close(states[k]!, h, model.compiled.states[k]!.name);
    });
    expect(hand.error[0]!.at(-1)!).toBeLessThan(hand.error[0]![0]!);
  });
});
