/**
 * rules/curl-descent-3.rule: seed 001's curl descent (eq. 5, a sign matrix D on the presynaptic
 * side of each layer's update) extended to three layers. (1) At D1 = D2 = D3 = I it is
 * back-propagation: minus half the gradient of its declared error, by central differences of the
 * compiled error program with a proven bound; (2) with sign flips, its field equals
 * back-propagation written by hand with each update's column j multiplied by d_j.
 */
import { describe, expect, it } from "vitest";
import {
  centralDifference,
  TANH_DERIVATIVE_BOUNDS,
  thirdDerivativeOfMeanSquare,
} from "./reference/finite-difference.ts";
import {
  abs,
  add,
  hadamard,
  type Mat,
  map,
  mat,
  maxAbs,
  mul,
  roundingBound,
  roundToGrid,
  sample,
  sampleMean,
  scale,
  scaleColumns,
  sub,
  transpose,
} from "./reference/matrix.ts";
import { field, fixedIndex, instance, trainError } from "./reference/programs.ts";
import { type Activation, PHI } from "./reference/two-layer.ts";

const [M, N1, N2, P] = [4, 3, 3, 12];
const SIZES = { M, N1, N2, P, Q: 4, S: 4 };
/**
 * Roundings along the longest path: a1 (M), φ (2), a2 (N1), φ (2), e (N2 + 1), δ2 and δ1 (N2 +
 * N1 + 4 with φ'), the product with x (1), the sum over samples and the division (P + 1):
 * M + 2 N1 + 2 N2 + P + 11, bounded by M + 2(N1 + N2) + P + 16.
 */
const L = M + 2 * (N1 + N2) + P + 16;

interface Backprop {
  dW: [Mat, Mat, Mat];
  mag: [Mat, Mat, Mat];
  error: number;
  magError: number;
  /** Per sample: e, h1 (for the derivative bounds). */
  e: number[];
  h1: Mat[];
}

/** Back-propagation through three layers by hand, each update times diag(d_l) on the right. */
function backprop(
  W: [Mat, Mat, Mat],
  x: Float64Array,
  y: Float64Array,
  phi: Activation,
  d: Float64Array[],
): Backprop {
  const { f, df } = PHI[phi];
  const per = Array.from({ length: P }, (_, s) => {
    const xs = sample(x, M, 1, s);
    const ys = sample(y, 1, 1, s);
    const a1 = mul(W[0], xs);
    const h1 = map(a1, f);
    const a2 = mul(W[1], h1);
    const h2 = map(a2, f);
    const e = sub(mul(W[2], h2), ys);
    const d2 = hadamard(mul(transpose(W[2]), e), map(a2, df));
    const d1 = hadamard(mul(transpose(W[1]), d2), map(a1, df));
    // Magnitudes: |φ(a)| <= |a|, |φ'(a)| + its propagated error <= 1 + |a| (module comment of two-layer.ts).
    const m1 = mul(abs(W[0]), abs(xs));
    const m2 = mul(abs(W[1]), m1);
    const me = add(mul(abs(W[2]), m2), abs(ys));
    const md2 = hadamard(
      mul(transpose(abs(W[2])), me),
      map(m2, (v) => 1 + v),
    );
    const md1 = hadamard(
      mul(transpose(abs(W[1])), md2),
      map(m1, (v) => 1 + v),
    );
    return { xs, h1, h2, e, d1, d2, m1, m2, me, md1, md2 };
  });
  const mean = (g: (s: number) => Mat) => sampleMean(P, g);
  const dW: [Mat, Mat, Mat] = [
    scale(
      -1,
      scaleColumns(
        mean((s) => mul(per[s]!.d1, transpose(per[s]!.xs))),
        d[0]!,
      ),
    ),
    scale(
      -1,
      scaleColumns(
        mean((s) => mul(per[s]!.d2, transpose(per[s]!.h1))),
        d[1]!,
      ),
    ),
    scale(
      -1,
      scaleColumns(
        mean((s) => mul(per[s]!.e, transpose(per[s]!.h2))),
        d[2]!,
      ),
    ),
  ];
  const mag: [Mat, Mat, Mat] = [
    mean((s) => mul(per[s]!.md1, transpose(abs(per[s]!.xs)))),
    mean((s) => mul(per[s]!.md2, transpose(per[s]!.m1))),
    mean((s) => mul(per[s]!.me, transpose(per[s]!.m2))),
  ];
  return {
    dW,
    mag,
    error: mean((s) => mat(1, 1, [per[s]!.e.a[0]! ** 2])).a[0]!,
    magError: mean((s) => mat(1, 1, [per[s]!.me.a[0]! ** 2])).a[0]!,
    e: per.map((p) => p.e.a[0]!),
    h1: per.map((p) => p.h1),
  };
}

function weights(states: readonly Float64Array[]): [Mat, Mat, Mat] {
  return [mat(N1, M, states[0]!), mat(N2, N1, states[1]!), mat(1, N2, states[2]!)];
}

describe("curl-descent-3", () => {
  it.each([
    "linear",
    "tanh",
    "relu",
  ] as Activation[])("its field is back-propagation with D_l on the right of each layer's update, by hand, phi = %s", (phi) => {
    for (const seed of [601, 602]) {
      const alphas = { alpha1: 0.5, alpha2: 1 / 3, alpha3: 2 / 3 };
      const inst = instance("curl-descent-3", { sizes: SIZES, choices: { phi }, params: alphas, seed });
      const d = ["s1", "s2", "s3"].map((n) => inst.run.fixed[fixedIndex(inst, n)]!);
      expect(d.map((s) => s.filter((v) => v === -1).length)).toEqual([2, 1, 2]);
      const ref = backprop(weights(inst.run.states), inst.run.train[0]!, inst.run.train[1]!, phi, d);
      const F = field(inst);
      F.forEach((f, k) => {
        f.forEach((v, q) => {
          expect(Math.abs(v - ref.dW[k]!.a[q]!), `W${k + 1}[${q}]`).toBeLessThanOrEqual(
            roundingBound(L, ref.mag[k]!.a[q]!),
          );
        });
      });
      expect(Math.abs(trainError(inst) - ref.error)).toBeLessThanOrEqual(roundingBound(L, ref.magError));
    }
  });

  it.each([
    "linear",
    "tanh",
  ] as Activation[])("at D = I it is minus half the gradient of the declared error (central differences), phi = %s", (phi) => {
    // h = 2^-14 balances truncation (tanh) and rounding; states on a grid of 2^-30 make w ± h exact.
    const h = 2 ** -14;
    const [c1, c2, c3] = phi === "tanh" ? TANH_DERIVATIVE_BOUNDS : [1, 0, 0];
    for (const seed of [611, 612]) {
      const inst = instance("curl-descent-3", { sizes: SIZES, choices: { phi }, seed });
      const states = inst.run.states.map((s) => roundToGrid(s, 30));
      const W = weights(states);
      const [x, y] = [inst.run.train[0]!, inst.run.train[1]!];
      const ones = [M, N1, N2].map((n) => new Float64Array(n).fill(1));
      const ref = backprop(W, x, y, phi, ones);
      const wide = backprop(W.map((w) => map(w, (v) => Math.abs(v) + h)) as [Mat, Mat, Mat], x, y, phi, ones);
      const F = field(inst, { states });
      let worst = 0;
      for (let k = 0; k < 3; k++) {
        states[k]!.forEach((w, q) => {
          const [i, j] = [Math.floor(q / W[k]!.cols), q % W[k]!.cols];
          // Bounds on |e'|, |e''|, |e'''| in this coordinate over [w - h, w + h]; E = mean e² is
          // quadratic in an entry of W3 (e is linear in it).
          const derivatives = (s: number) => {
            if (k === 2) return { e1: 0, e2: 0, e3: 0 };
            if (k === 1) {
              // Only a2_i moves, by h1_j per unit: e^(n) = W3_i φ^(n)(a2_i) h1_j^n.
              const b = Math.abs(W[2].a[i]!);
              const v = Math.abs(ref.h1[s]!.a[j]!);
              return { e1: c1 * b * v, e2: c2 * b * v * v, e3: c3 * b * v ** 3 };
            }
            // W1_ij moves u = h1_i (|u^(n)| <= c_n |x_j|^n), and e = g(u) = Σ_k W3_k φ(a2_k(u))
            // with a2_k' = W2_ki: |g^(n)| <= c_n Σ_k |W3_k||W2_ki|^n (Faà di Bruno below).
            const xj = Math.abs(x[s * M + j]!);
            const [U1, U2, U3] = [c1 * xj, c2 * xj ** 2, c3 * xj ** 3];
            const G = (n: number, c: number) =>
              c * W[2].a.reduce((acc, w3, r) => acc + Math.abs(w3) * Math.abs(W[1].a[r * N1 + i]!) ** n, 0);
            const [G1, G2, G3] = [G(1, c1), G(2, c2), G(3, c3)];
            return { e1: G1 * U1, e2: G2 * U1 ** 2 + G1 * U2, e3: G3 * U1 ** 3 + 3 * G2 * U1 * U2 + G1 * U3 };
          };
          const third = thirdDerivativeOfMeanSquare(
            ref.e.map((e, s) => ({ e, ...derivatives(s) })),
            h,
          );
          const E = (v: number) => {
            const moved = states.map((s) => Float64Array.from(s));
            moved[k]![q] = v;
            return trainError(inst, { states: moved });
          };
          const d = centralDifference(E, w, h, third, { L, magnitude: wide.magError });
          const tolerance = d.bound / 2 + roundingBound(L, ref.mag[k]!.a[q]!) / 2;
          expect(Math.abs(F[k]![q]! + d.value / 2), `seed ${seed}, W${k + 1}[${q}]`).toBeLessThanOrEqual(
            tolerance,
          );
          worst = Math.max(worst, tolerance);
        });
      }
      // Not vacuous: every tolerance is below a millionth of the field's size.
      expect(worst).toBeLessThan(1e-6 * Math.max(...F.map(maxAbs)));
    }
  });
});
