/**
 * rules/feedback-alignment.rule against its source, seed 003 eq. 6 with a fixed feedback R
 * (δ_1 = R δ_2, ΔW_1 = (δ_1 ⊙ σ'(h_1)) x_0ᵀ; FRFB): (1) its field equals that update written by
 * hand, with the rule's random B and its sign flips; (2) with B = W2ᵀ it is back-propagation:
 * gradient-descent.rule's field and step, bit for bit; (3) B is a fixed tensor, never updated.
 */
import { describe, expect, it } from "vitest";
import { mat, roundingBound } from "./reference/matrix.ts";
import { bits, field, fixedIndex, instance, step } from "./reference/programs.ts";
import { type Activation, twoLayerUpdate } from "./reference/two-layer.ts";

const [M, N, P] = [5, 4, 12];
const SIZES = { M, N, P, Q: 5, S: 4 };
const ACTIVATIONS: Activation[] = ["linear", "tanh", "relu"];
/** Roundings along the longest path, counted as in gradient-descent.test.ts. */
const L = M + N + P + 10;

describe("feedback-alignment: seed 003 eq. 6 with fixed feedback", () => {
  it.each(
    ACTIVATIONS,
  )("the field is -<(B e .* phi'(a)) x'> D1, -<e h'> D2 with the drawn B, phi = %s", (phi) => {
    for (const [seed, alphas] of [
      [301, { alphaH: 0, alphaR: 0 }],
      [302, { alphaH: 0.4, alphaR: 0.25 }],
    ] as const) {
      const inst = instance("feedback-alignment", { sizes: SIZES, choices: { phi }, params: alphas, seed });
      const B = mat(N, 1, inst.run.fixed[fixedIndex(inst, "B")]!);
      const d1 = inst.run.fixed[fixedIndex(inst, "s1")]!;
      const d2 = inst.run.fixed[fixedIndex(inst, "s2")]!;
      const [W1, W2] = inst.run.states;
      const set = { x: inst.run.train[0]!, y: inst.run.train[1]!, P };
      const ref = twoLayerUpdate(mat(N, M, W1!), mat(1, N, W2!), set, phi, { B, d1, d2 });
      const [f1, f2] = field(inst);
      f1!.forEach((v, q) => {
        expect(Math.abs(v - ref.dW1.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magW1.a[q]!));
      });
      f2!.forEach((v, q) => {
        expect(Math.abs(v - ref.dW2.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magW2.a[q]!));
      });
      // The feedback is not W2ᵀ: the hidden-layer update differs from back-propagation's.
      const bp = twoLayerUpdate(mat(N, M, W1!), mat(1, N, W2!), set, phi, { d1, d2 });
      expect(Math.max(...f1!.map((v, q) => Math.abs(v - bp.dW1.a[q]!)))).toBeGreaterThan(1e-3);
    }
  });

  it.each(
    ACTIVATIONS,
  )("with B = W2' it is gradient-descent.rule bit for bit (field and step), phi = %s", (phi) => {
    const seed = 303;
    const fa = instance("feedback-alignment", { sizes: SIZES, choices: { phi }, seed });
    const gd = instance("gradient-descent", { sizes: SIZES, choices: { phi }, seed });
    const fixed = fa.run.fixed.map((f) => Float64Array.from(f));
    // W2 is [1, N] and B is [N, 1]: the same N numbers, row-major.
    fixed[fixedIndex(fa, "B")] = Float64Array.from(fa.run.states[1]!);
    expect(field(fa, { fixed }).map(bits)).toEqual(field(gd).map(bits));
    const batch = gd.run.train.map((t) => t.subarray(0, (t.length / P) * SIZES.S));
    expect(step(fa, { fixed, data: batch }).map(bits)).toEqual(step(gd, { data: batch }).map(bits));
  });

  it("draws B once per run as a fixed tensor: the states are W1 and W2 only, both renormalized", () => {
    const inst = instance("feedback-alignment", { sizes: SIZES, seed: 304 });
    expect(inst.compiled.states.map((s) => [s.name, s.renormalize])).toEqual([
      ["W1", true],
      ["W2", true],
    ]);
    expect(inst.compiled.fixed.find((f) => f.name === "B")).toEqual({
      name: "B",
      rows: N,
      cols: 1,
      origin: "drawn",
    });
  });
});
