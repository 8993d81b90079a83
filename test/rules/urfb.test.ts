/**
 * rules/urfb.rule against its source, seed 003 eqs. 6-7 (δ_1 = R δ_2 and ΔR = ε ΔWᵀ) and, for
 * linear networks with whitened inputs, eq. 11: (1) the field of B is ε times the transposed
 * field of W2, bit for bit; over Euler steps B - ε W2ᵀ stays at its initial value within
 * rounding; (2) with ε = 0 the feedback never moves and the rule is feedback-alignment.rule
 * without renormalization (field and step bit for bit, given the same B); (3) with φ linear and
 * <x xᵀ> = I exactly, the field is eq. 11 with T = <y xᵀ>.
 */
import { describe, expect, it } from "vitest";
import { abs, add, mat, mul, roundingBound, scale, sub, transpose, U } from "./reference/matrix.ts";
import {
  bits,
  evaluate,
  field,
  fixedIndex,
  instance,
  paramIndex,
  stateIndex,
  step,
} from "./reference/programs.ts";
import { whitenedInputs } from "./reference/two-layer.ts";

const [M, N, P] = [5, 4, 12];
const SIZES = { M, N, P, Q: 5, S: 4 };

describe("urfb: seed 003 eq. 7, the feedback moves with the readout", () => {
  it.each([0.37, 1])("the field of B is epsilon (dW2/dt)' bit for bit, epsilon = %s", (epsilon) => {
    for (const phi of ["linear", "tanh", "relu"]) {
      const inst = instance("urfb", { sizes: SIZES, choices: { phi }, params: { epsilon }, seed: 401 });
      const F = field(inst);
      const [fW2, fB] = [F[stateIndex(inst, "W2")]!, F[stateIndex(inst, "B")]!];
      expect(bits(fB)).toEqual(bits(fW2.map((v) => epsilon * v)));
    }
  });

  it("keeps B - epsilon W2' at its initial value over Euler steps, within rounding", () => {
    const epsilon = 0.37;
    const inst = instance("urfb", { sizes: SIZES, choices: { phi: "tanh" }, params: { epsilon }, seed: 402 });
    const [iW2, iB] = [stateIndex(inst, "W2"), stateIndex(inst, "B")];
    let states: Float64Array[] = inst.run.states.map((s) => Float64Array.from(s));
    const start = states[iB]!.map((b, i) => b - epsilon * states[iW2]![i]!);
    // The size max(|B| + ε|W2ᵀ|), the scale of every rounding below.
    const size = (S: Float64Array[]) =>
      Math.max(...S[iB]!.map((b, i) => Math.abs(b) + epsilon * Math.abs(S[iW2]![i]!)));
    // Per step: B + h(ε d) and W2 + h d round once in the sum and twice in the increment (6u of
    // the size, the increments being below it); each evaluation of B - ε W2ᵀ rounds twice (2u).
    const checks = 2 * U * size(states);
    let drift = 0;
    for (let k = 0; k < 3; k++) {
      const batch = inst.run.train.map((t) =>
        t.subarray((k * SIZES.S * t.length) / P, ((k + 1) * SIZES.S * t.length) / P),
      );
      const before = states[iB]!;
      states = step(inst, { states, data: batch });
      expect(Math.max(...states[iB]!.map((b, i) => Math.abs(b - before[i]!)))).toBeLessThan(size(states));
      drift += 6 * U * size(states);
      const error = Math.max(
        ...states[iB]!.map((b, i) => Math.abs(b - epsilon * states[iW2]![i]! - start[i]!)),
      );
      expect(error).toBeLessThanOrEqual(drift + checks + 2 * U * size(states));
    }
    // And B did move: the invariant is not that of a frozen B.
    expect(Math.max(...states[iB]!.map((b, i) => Math.abs(b - inst.run.states[iB]![i]!)))).toBeGreaterThan(
      1e-4,
    );
  });

  it("with epsilon = 0 keeps B fixed and is feedback-alignment without renormalization, bit for bit", () => {
    for (const phi of ["linear", "tanh", "relu"]) {
      const urfb = instance("urfb", { sizes: SIZES, choices: { phi }, params: { epsilon: 0 }, seed: 403 });
      const fa = instance("feedback-alignment", { sizes: SIZES, choices: { phi }, seed: 403 });
      const iB = stateIndex(urfb, "B");
      const fixed = fa.run.fixed.map((f) => Float64Array.from(f));
      fixed[fixedIndex(fa, "B")] = Float64Array.from(urfb.run.states[iB]!);
      const states = [urfb.run.states[stateIndex(urfb, "W1")]!, urfb.run.states[stateIndex(urfb, "W2")]!];
      const data = urfb.run.train;
      const Fu = field(urfb);
      expect(Fu[iB]!.every((v) => v === 0)).toBe(true);
      expect([Fu[stateIndex(urfb, "W1")]!, Fu[stateIndex(urfb, "W2")]!].map(bits)).toEqual(
        field(fa, { states, fixed, data }).map(bits),
      );
      const batch = data.map((t) => t.subarray(0, (t.length / P) * SIZES.S));
      const Su = step(urfb, { data: batch });
      expect(bits(Su[iB]!)).toEqual(bits(urfb.run.states[iB]!));
      expect([Su[stateIndex(urfb, "W1")]!, Su[stateIndex(urfb, "W2")]!].map(bits)).toEqual(
        step(fa, { states, fixed, data: batch }).map(bits),
      );
      expect(urfb.compiled.states.every((s) => !s.renormalize)).toBe(true);
      expect(fa.compiled.states.every((s) => s.renormalize)).toBe(true);
    }
  });
});

describe("urfb: seed 003 eq. 11 (linear, whitened inputs)", () => {
  it("the field is W2' = (T - W2 W1) W1', W1' = R2 (T - W2 W1), R2' = epsilon W1 (T - W2 W1)', T = <y x'>", () => {
    const [m, n] = [4, 3];
    const sizes = { M: m, N: n, P: 2 * m, Q: 2, S: m };
    for (const [seed, epsilon] of [
      [411, 1],
      [412, 0.3],
    ] as const) {
      const inst = instance("urfb", { sizes, choices: { phi: "linear" }, params: { epsilon }, seed });
      const x = whitenedInputs(m);
      const [y] = evaluate(inst, inst.compiled.targets, { data: [x] }, 2 * m);
      const W1 = mat(n, m, inst.run.states[stateIndex(inst, "W1")]!);
      const W2 = mat(1, n, inst.run.states[stateIndex(inst, "W2")]!);
      const R2 = mat(n, 1, inst.run.states[stateIndex(inst, "B")]!);
      // T = <y xᵀ> = Y Xᵀ / P: seed 003 writes T = Y Xᵗ for whitened data (Xᵗ X = I up to scale).
      let T = mat(1, m);
      for (let s = 0; s < 2 * m; s++)
        T = add(T, scale(y![s]!, transpose(mat(m, 1, x.subarray(s * m, (s + 1) * m)))));
      T = scale(1 / (2 * m), T);
      const E = sub(T, mul(W2, W1));
      const expected = [mul(R2, E), mul(E, transpose(W1)), scale(epsilon, mul(W1, transpose(E)))];
      const F = field(inst, { data: [x, y!] });
      // Magnitudes: |E| <= |T| + |W2||W1| with |T| <= (1/P) Σ |y| |x|, |y| <= |W2*||W1*||x|.
      const W1t = mat(n, m, inst.run.fixed[fixedIndex(inst, "W1t")]!);
      const W2t = mat(1, n, inst.run.fixed[fixedIndex(inst, "W2t")]!);
      const Eabs = add(mul(abs(W2t), abs(W1t)), mul(abs(W2), abs(W1)));
      const mags = [
        mul(abs(R2), Eabs),
        mul(Eabs, transpose(abs(W1))),
        scale(epsilon, mul(abs(W1), transpose(Eabs))),
      ];
      // Roundings: the target W2*(W1* x) (m + n), W2 h - y (n + 1), the products with R2 or x
      // (2), the sum over 2m samples and the division, the reference's T and E (2m + n + 3).
      const Lw = 2 * (m + n) + 4 * m + 12;
      const eps = inst.run.params[paramIndex(inst, "epsilon")]!;
      expect(eps).toBe(epsilon);
      ["W1", "W2", "B"].forEach((name, k) => {
        const f = F[stateIndex(inst, name)]!;
        f.forEach((v, q) => {
          expect(Math.abs(v - expected[k]!.a[q]!), `${name}[${q}]`).toBeLessThanOrEqual(
            roundingBound(Lw, mags[k]!.a[q]!),
          );
        });
      });
    }
  });
});
