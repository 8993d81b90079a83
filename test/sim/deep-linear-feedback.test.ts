import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import {
  type DeepLinearSpec,
  drawDeepLinear,
  runDeepLinearFeedback,
} from "../../src/sim/deep-linear-feedback.ts";

const be = cpuBackend();
const widths = [6, 8, 7, 3];

function mul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, l) => s + x * b[l]![j]!, 0)));
}
const tr = (a: number[][]) => a[0]!.map((_, j) => a.map((row) => row[j]!));
const mat = (x: Float64Array, r: number, c: number) =>
  Array.from({ length: r }, (_, i) => Array.from(x.subarray(i * c, (i + 1) * c)));

/** Plain gradient descent on (1/2)||T - W_3 W_2 W_1||_F^2, written independently. */
function backprop(spec: DeepLinearSpec, seed: number, steps: number): number {
  const d = drawDeepLinear(spec, seed);
  let W = d.weights.map((x, i) => mat(x, widths[i + 1]!, widths[i]!));
  const T = mat(d.target, widths[3]!, widths[0]!);
  for (let t = 0; t < steps; t++) {
    const e = T.map((row, i) => row.map((v, j) => v - mul(W[2]!, mul(W[1]!, W[0]!))[i]![j]!));
    const g3 = mul(e, tr(mul(W[1]!, W[0]!)));
    const g2 = mul(mul(tr(W[2]!), e), tr(W[0]!));
    const g1 = mul(tr(mul(W[2]!, W[1]!)), e);
    W = [g1, g2, g3].map((g, i) => W[i]!.map((row, r) => row.map((v, c) => v + spec.stepSize * g[r]![c]!)));
  }
  const e = T.map((row, i) => row.map((v, j) => v - mul(W[2]!, mul(W[1]!, W[0]!))[i]![j]!));
  return e.flat().reduce((s, v) => s + v * v, 0);
}

/** Q_i = W_{i-1}W_{i-1}^T - R_i(0)W_i - W_i^T R_i(0)^T - eps (W_i - W_i(0))^T (W_i - W_i(0)), for i = 2. */
function invariant(spec: DeepLinearSpec, W1: Float64Array, W2: Float64Array, seed: number): number[][] {
  const d = drawDeepLinear(spec, seed);
  const w1 = mat(W1, widths[1]!, widths[0]!);
  const w2 = mat(W2, widths[2]!, widths[1]!);
  const r0 = mat(d.feedback[0]!, widths[1]!, widths[2]!);
  const dw = mat(
    W2.map((v, q) => v - d.weights[1]![q]!),
    widths[2]!,
    widths[1]!,
  );
  const a = mul(w1, tr(w1));
  const b = mul(r0, w2);
  const c = mul(tr(dw), dw);
  return a.map((row, i) => row.map((v, j) => v - b[i]![j]! - b[j]![i]! - spec.epsilon * c[i]![j]!));
}

describe("URFB and FRFB in deep linear networks (seed 003 eq. 15)", () => {
  const random: DeepLinearSpec = {
    widths,
    epsilon: 1,
    stepSize: 0.02,
    initialWeights: "random",
    initialFeedback: "transpose",
  };

  it("with R(0) = W(0)^T and epsilon = 1 is back-propagation (gradient descent), step for step", async () => {
    const r = await runDeepLinearFeedback(be, random, [3], [60]);
    // Same arithmetic in a different order: float64 rounding, relative 1e-10 after 60 steps.
    expect(r.error[0]![0]!).toBeCloseTo(backprop(random, 3, 60), 10);
  });

  it("in the literal form of eq. 15 (R(0) + eps W^T) is not back-propagation when W(0) != 0", async () => {
    const literal = await runDeepLinearFeedback(be, { ...random, literalEquation15: true }, [3], [60]);
    const bp = backprop(random, 3, 60);
    expect(Math.abs(literal.error[0]![0]! - bp) / bp).toBeGreaterThan(1e-3);
  });

  it("conserves the matrix form of eq. 17 up to the first-order Euler error", async () => {
    const spec: DeepLinearSpec = { ...random, epsilon: 0.5, initialFeedback: "random", weightScale: 0.5 };
    const drift = async (stepSize: number, steps: number) => {
      const r = await runDeepLinearFeedback(be, { ...spec, stepSize }, [5], [steps]);
      const d = drawDeepLinear(spec, 5);
      const q0 = invariant(spec, d.weights[0]!, d.weights[1]!, 5);
      const q1 = invariant(spec, r.weights[0]!, r.weights[1]!, 5);
      return Math.sqrt(q0.flat().reduce((s, v, i) => s + (v - q1.flat()[i]!) ** 2, 0));
    };
    // Same time horizon t = 1.6 with step h and h/2: Euler's invariant drift is O(h), so the
    // ratio is 2 up to O(h) corrections; [1.7, 2.3] allows those at h = 0.02.
    const coarse = await drift(0.02, 80);
    const fine = await drift(0.01, 160);
    expect(coarse / fine).toBeGreaterThan(1.7);
    expect(coarse / fine).toBeLessThan(2.3);
  });

  it("converges faster with updated feedback than with fixed feedback from W(0) = 0 (seed 003 Fig. 4)", async () => {
    const base: DeepLinearSpec = {
      widths,
      epsilon: 0,
      stepSize: 0.05,
      initialWeights: "zero",
      initialFeedback: "random",
    };
    const seeds = [1, 2, 3, 4];
    const frfb = await runDeepLinearFeedback(be, base, seeds, [0, 150]);
    const urfb = await runDeepLinearFeedback(be, { ...base, epsilon: 1 }, seeds, [0, 150]);
    for (let s = 0; s < seeds.length; s++) {
      expect(urfb.error[s]![0]).toBe(frfb.error[s]![0]); // paired: the same T, R(0)
      expect(urfb.error[s]![1]!).toBeLessThan(frfb.error[s]![1]!);
    }
  });

  it("refuses bad input", async () => {
    await expect(runDeepLinearFeedback(be, { ...random, epsilon: 2 }, [1], [1])).rejects.toThrow(/epsilon/);
    await expect(runDeepLinearFeedback(be, { ...random, widths: [3, 2] }, [1], [1])).rejects.toThrow(
      /widths/,
    );
  });
});
