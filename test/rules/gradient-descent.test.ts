/**
 * rules/gradient-descent.rule against its source, seed 001 eqs. 3-5 with D1 = D2 = I:
 * back-propagation in the two-layer student-teacher network, -∇ of half the mean squared error.
 * (1) Its compiled field equals the hand-written update sample by sample; (2) it is minus half
 * the gradient of its own declared error (error = mean(e^2) = 2L), by central differences of the
 * compiled error program with a proven bound; at random points of three seeds per activation.
 */
import { describe, expect, it } from "vitest";
import {
  centralDifference,
  TANH_DERIVATIVE_BOUNDS,
  thirdDerivativeOfMeanSquare,
} from "./reference/finite-difference.ts";
import { at, map, mat, maxAbs, roundingBound, roundToGrid } from "./reference/matrix.ts";
import { field, instance, trainError } from "./reference/programs.ts";
import { type Activation, twoLayerUpdate } from "./reference/two-layer.ts";

const [M, N, P] = [5, 4, 12];
const SIZES = { M, N, P, Q: 5, S: 4 };
const SEEDS = [101, 102, 103];
const ACTIVATIONS: Activation[] = ["linear", "tanh", "relu"];
/**
 * Roundings along the longest path of the field and of the error: M for a = W1 x (products and
 * the sum), 2 for φ (Math.tanh within an ulp), N + 1 for e = W2 h - y, 3 for φ' = 1 - t², 3 for
 * the products with e and x, P - 1 for the sum over samples, 2 for the division by P (the
 * reference multiplies by the rounded 1/P): M + N + P + 10.
 */
const L = M + N + P + 10;

describe("gradient-descent: the field is back-propagation (seed 001, eqs. 3-4)", () => {
  it.each(ACTIVATIONS)("equals -<(W2' e .* phi'(a)) x'> and -<e h'> computed by hand, phi = %s", (phi) => {
    for (const seed of SEEDS) {
      const inst = instance("gradient-descent", { sizes: SIZES, choices: { phi }, seed });
      const [W1, W2] = inst.run.states;
      const ref = twoLayerUpdate(
        mat(N, M, W1!),
        mat(1, N, W2!),
        { x: inst.run.train[0]!, y: inst.run.train[1]!, P },
        phi,
      );
      if (phi === "relu") {
        // relu' is discontinuous at 0: no pre-activation may be within rounding of it.
        for (const a of ref.a) expect(Math.min(...Array.from(a.a, Math.abs))).toBeGreaterThan(1e-12);
      }
      const [f1, f2] = field(inst);
      f1!.forEach((v, q) => {
        expect(Math.abs(v - ref.dW1.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magW1.a[q]!));
      });
      f2!.forEach((v, q) => {
        expect(Math.abs(v - ref.dW2.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magW2.a[q]!));
      });
      expect(Math.abs(trainError(inst) - ref.error)).toBeLessThanOrEqual(roundingBound(L, ref.magError));
      // The comparison is not vacuous: the field is far larger than the bound.
      expect(maxAbs(f1!)).toBeGreaterThan(1e6 * roundingBound(L, maxAbs(ref.magW1.a)));
    }
  });

  it.each(
    ACTIVATIONS,
  )("is minus half the gradient of the declared error, by central differences, phi = %s", (phi) => {
    // h = 2^-14 balances the truncation h²|E'''|/6 (tanh) against the rounding γ_L|E|/h; states
    // on a grid of 2^-30 make w ± h exact.
    const h = 2 ** -14;
    for (const seed of SEEDS) {
      const inst = instance("gradient-descent", { sizes: SIZES, choices: { phi }, seed });
      const states = inst.run.states.map((s) => roundToGrid(s, 30));
      const [W1, W2] = [mat(N, M, states[0]!), mat(1, N, states[1]!)];
      const set = { x: inst.run.train[0]!, y: inst.run.train[1]!, P };
      const ref = twoLayerUpdate(W1, W2, set, phi);
      // The magnitude of the error anywhere on [w - h, w + h]: the model at |W| + h.
      const wide = twoLayerUpdate(
        map(W1, (v) => Math.abs(v) + h),
        map(W2, (v) => Math.abs(v) + h),
        set,
        phi,
      );
      const F = field(inst, { states });
      const E = (k: number, q: number) => (w: number) => {
        const moved = states.map((s) => Float64Array.from(s));
        moved[k]![q] = w;
        return trainError(inst, { states: moved });
      };
      let kinks = 0;
      let worst = 0;
      for (let q = 0; q < N * M + N; q++) {
        const k = q < N * M ? 0 : 1;
        const r = q < N * M ? q : q - N * M;
        let third = 0; // E is quadratic in each entry of W2 (e is linear in it)
        if (k === 0) {
          const [i, j] = [Math.floor(r / M), r % M];
          const xs = Array.from({ length: P }, (_, s) => set.x[s * M + j]!);
          if (phi === "relu" && ref.a.some((a, s) => Math.abs(at(a, i, 0)) <= h * Math.abs(xs[s]!) + 1e-12)) {
            kinks++; // a kink of relu inside [w - h, w + h]: E is not smooth there
            continue;
          }
          if (phi === "tanh") {
            // Only a_i moves: e' = W2_i tanh'(a_i) x_j, e'' = W2_i tanh''(a_i) x_j², e''' = W2_i tanh'''(a_i) x_j³.
            const w2 = Math.abs(at(W2, 0, i));
            const [c1, c2, c3] = TANH_DERIVATIVE_BOUNDS;
            third = thirdDerivativeOfMeanSquare(
              xs.map((x, s) => ({
                e: ref.e[s]!,
                e1: c1 * w2 * Math.abs(x),
                e2: c2 * w2 * x * x,
                e3: c3 * w2 * Math.abs(x) ** 3,
              })),
              h,
            );
          }
        }
        const d = centralDifference(E(k, r), states[k]![r]!, h, third, { L, magnitude: wide.magError });
        const mag = (k === 0 ? ref.magW1 : ref.magW2).a[r]!;
        const tolerance = d.bound / 2 + roundingBound(L, mag) / 2;
        expect(Math.abs(F[k]![r]! + d.value / 2), `seed ${seed}, state ${k}, entry ${r}`).toBeLessThanOrEqual(
          tolerance,
        );
        worst = Math.max(worst, tolerance);
      }
      expect(kinks).toBeLessThan((N * M) / 4);
      // Not vacuous: every tolerance is below a millionth of the field's size.
      expect(worst).toBeLessThan(1e-6 * Math.max(maxAbs(F[0]!), maxAbs(F[1]!)));
    }
  });
});
