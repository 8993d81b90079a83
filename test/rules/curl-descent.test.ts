/**
 * rules/curl-descent.rule against its source, seed 001 eq. 5 (ΔW1 = -W2ᵀ e xᵀ D1,
 * ΔW2 = -e hᵀ D2, with φ as in section 5) and eq. 6 (its continuous limit for linear networks
 * and whitened inputs): (1) the field equals eq. 5 written by hand; (2) it is gradient descent
 * with the columns of each update multiplied by the signs of D1, D2, and with D1 = D2 = I it is
 * gradient-descent.rule bit for bit (same draws, same programs); (3) with φ linear and inputs
 * whitened exactly (<x xᵀ> = I), it is eq. 6, as computed by src/analysis/two-layer.
 */
import { describe, expect, it } from "vitest";
import { curlDescentField } from "../../src/analysis/two-layer/field.ts";
import { abs, mat, mul, roundingBound } from "./reference/matrix.ts";
import { bits, evaluate, field, fixedIndex, instance, step, trainError } from "./reference/programs.ts";
import { type Activation, twoLayerUpdate, whitenedInputs } from "./reference/two-layer.ts";

const [M, N, P] = [5, 4, 12];
const SIZES = { M, N, P, Q: 5, S: 4 };
const ACTIVATIONS: Activation[] = ["linear", "tanh", "relu"];
/** Roundings along the longest path, counted as in gradient-descent.test.ts. */
const L = M + N + P + 10;
/** Flip fractions: round(0.4 * 5) = 2 of the M input columns, round(0.5 * 4) = 2 hidden units. */
const ALPHAS = { alphaH: 0.4, alphaR: 0.5 };

describe("curl-descent: seed 001 eq. 5", () => {
  it.each(
    ACTIVATIONS,
  )("the field equals -<(W2' e .* phi'(a)) x'> D1 and -<e h'> D2 computed by hand, phi = %s", (phi) => {
    for (const seed of [201, 202, 203]) {
      const inst = instance("curl-descent", { sizes: SIZES, choices: { phi }, params: ALPHAS, seed });
      const d1 = inst.run.fixed[fixedIndex(inst, "s1")]!;
      const d2 = inst.run.fixed[fixedIndex(inst, "s2")]!;
      expect([d1.filter((d) => d === -1).length, d2.filter((d) => d === -1).length]).toEqual([2, 2]);
      const [W1, W2] = inst.run.states;
      const ref = twoLayerUpdate(
        mat(N, M, W1!),
        mat(1, N, W2!),
        { x: inst.run.train[0]!, y: inst.run.train[1]!, P },
        phi,
        { d1, d2 },
      );
      const [f1, f2] = field(inst);
      f1!.forEach((v, q) => {
        expect(Math.abs(v - ref.dW1.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magW1.a[q]!));
      });
      f2!.forEach((v, q) => {
        expect(Math.abs(v - ref.dW2.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magW2.a[q]!));
      });
    }
  });

  it.each(
    ACTIVATIONS,
  )("is gradient descent with column j of each update times d_j; with D1 = D2 = I it is gradient-descent.rule bit for bit, phi = %s", (phi) => {
    const seed = 204;
    const curl = instance("curl-descent", { sizes: SIZES, choices: { phi }, params: ALPHAS, seed });
    const grad = instance("gradient-descent", { sizes: SIZES, choices: { phi }, seed });
    // The same seed draws the same teacher, data and initial weights (one stream per role).
    expect(curl.run.states.map(bits)).toEqual(grad.run.states.map(bits));
    expect(curl.run.train.map(bits)).toEqual(grad.run.train.map(bits));
    const d = [curl.run.fixed[fixedIndex(curl, "s1")]!, curl.run.fixed[fixedIndex(curl, "s2")]!];
    const [fc, fg] = [field(curl), field(grad)];
    // The same sums in the same order, then a product with +-1, which is exact.
    fc.forEach((f, k) => {
      expect(bits(f)).toEqual(bits(fg[k]!.map((v, q) => v * d[k]![q % d[k]!.length]!)));
    });

    const flat = instance("curl-descent", {
      sizes: SIZES,
      choices: { phi },
      params: { alphaH: 0, alphaR: 0 },
      seed,
    });
    expect(field(flat).map(bits)).toEqual(fg.map(bits));
    const batch = grad.run.train.map((t) => t.subarray(0, (t.length / P) * SIZES.S));
    expect(step(flat, { data: batch }).map(bits)).toEqual(step(grad, { data: batch }).map(bits));
    expect(bits([trainError(flat)])).toEqual(bits([trainError(grad)]));
  });
});

describe("curl-descent: seed 001 eq. 6 (linear, whitened inputs)", () => {
  it("with <x x'> = I exactly, the field is W2'(s - W2 W1) D1, (s - W2 W1) W1' D2, s = W2* W1*", () => {
    // M = 4 and the 2M inputs ±2 e_i, whose second moment is I in exact arithmetic.
    const [m, n] = [4, 3];
    const sizes = { M: m, N: n, P: 2 * m, Q: 2, S: m };
    for (const seed of [211, 212]) {
      const inst = instance("curl-descent", { sizes, choices: { phi: "linear" }, params: ALPHAS, seed });
      const x = whitenedInputs(m);
      const [y] = evaluate(inst, inst.compiled.targets, { data: [x] }, 2 * m);
      const [W1, W2] = inst.run.states;
      const [W1t, W2t] = [inst.run.fixed[fixedIndex(inst, "W1t")]!, inst.run.fixed[fixedIndex(inst, "W2t")]!];
      const s = mul(mat(1, n, W2t), mat(n, m, W1t));
      const d1 = Array.from(inst.run.fixed[fixedIndex(inst, "s1")]!);
      const d2 = Array.from(inst.run.fixed[fixedIndex(inst, "s2")]!);
      const rows = (A: Float64Array, r: number, c: number) =>
        Array.from({ length: r }, (_, i) => Array.from(A.subarray(i * c, (i + 1) * c)));
      const expected = curlDescentField({
        W1: rows(W1!, n, m),
        W2: Array.from(W2!),
        s: Array.from(s.a),
        d1,
        d2,
      });
      const [f1, f2] = field(inst, { data: [x, y!] });
      // Magnitude of E = s - W2 W1 per input direction, with s as the teacher computes it
      // (|W2*||W1*|); the target path W2*(W1* x) adds M + N roundings to the count.
      const Eabs = mul(abs(mat(1, n, W2t)), abs(mat(n, m, W1t))).a.map(
        (v, j) => v + mul(abs(mat(1, n, W2!)), abs(mat(n, m, W1!))).a[j]!,
      );
      const Lw = 2 * (m + n) + 2 * m + 10;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          const mag = Math.abs(W2![i]!) * Eabs[j]!;
          expect(Math.abs(f1![i * m + j]! - expected[i * m + j]!)).toBeLessThanOrEqual(
            roundingBound(Lw, mag),
          );
        }
        let mag = 0;
        for (let j = 0; j < m; j++) mag += Eabs[j]! * Math.abs(W1![i * m + j]!);
        expect(Math.abs(f2![i]! - expected[n * m + i]!)).toBeLessThanOrEqual(roundingBound(Lw, mag));
      }
    }
  });
});
