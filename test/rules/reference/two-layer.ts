/**
 * Seed 001's two-layer student-teacher updates written by hand, sample by sample (eq. 5, with an
 * activation φ as in section 5): a = W1 x, h = φ(a), e = W2 h - y,
 *
 *   ΔW1 = -< (B e ⊙ φ'(a)) xᵀ > D1,   ΔW2 = -< e hᵀ > D2,
 *
 * with B = W2ᵀ for back-propagation (seed 001) or a feedback vector R (seed 003, eq. 6), and
 * their magnitude model for rounding bounds: |a| <= (|W1||x|), |φ(a)| <= |a| (linear, tanh and
 * ReLU), |φ'| <= 1 + (|W1||x|) (|φ'| <= 1, and 1-Lipschitz error propagation for tanh'), and
 * every sum and product on absolute values.
 */
import {
  abs,
  add,
  hadamard,
  type Mat,
  map,
  mat,
  mul,
  sample,
  sampleMean,
  scale,
  scaleColumns,
  sub,
  transpose,
} from "./matrix.ts";

export type Activation = "linear" | "tanh" | "relu";

/** φ and φ', written independently of src/ir/elementwise.ts (tanh' as 1 / cosh²). */
export const PHI: Record<Activation, { f: (x: number) => number; df: (x: number) => number }> = {
  linear: { f: (x) => x, df: () => 1 },
  tanh: { f: Math.tanh, df: (x) => 1 / Math.cosh(x) ** 2 },
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
};

export interface TwoLayerSet {
  /** Inputs [P, M, 1] and targets [P, 1, 1], as RunData stores them. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly P: number;
}

export interface TwoLayerUpdate {
  readonly dW1: Mat;
  readonly dW2: Mat;
  /** The magnitude model of dW1, dW2 and of the mean squared error. */
  readonly magW1: Mat;
  readonly magW2: Mat;
  readonly error: number;
  readonly magError: number;
  /** Pre-activations and errors e = W2 h - y of every sample. */
  readonly a: Mat[];
  readonly e: number[];
}

/**
 * The update of seed 001 eq. 5 over the set: `d1`, `d2` the diagonals of D1, D2 (all ones for
 * gradient descent), `B` the feedback (W2ᵀ when absent).
 */
export function twoLayerUpdate(
  W1: Mat,
  W2: Mat,
  set: TwoLayerSet,
  phi: Activation,
  options: { d1?: ArrayLike<number>; d2?: ArrayLike<number>; B?: Mat } = {},
): TwoLayerUpdate {
  const { f, df } = PHI[phi];
  const M = W1.cols;
  const B = options.B ?? transpose(W2);
  const ones = (n: number) => new Float64Array(n).fill(1);
  const d1 = options.d1 ?? ones(M);
  const d2 = options.d2 ?? ones(W1.rows);
  const per = Array.from({ length: set.P }, (_, s) => {
    const x = sample(set.x, M, 1, s);
    const y = sample(set.y, 1, 1, s);
    const a = mul(W1, x);
    const h = map(a, f);
    const e = sub(mul(W2, h), y);
    const magA = mul(abs(W1), abs(x));
    const magE = add(mul(abs(W2), magA), abs(y));
    return { x, a, h, e, magA, magE, delta: hadamard(scale(e.a[0]!, B), map(a, df)) };
  });
  const P = set.P;
  return {
    dW1: scale(
      -1,
      scaleColumns(
        sampleMean(P, (s) => mul(per[s]!.delta, transpose(per[s]!.x))),
        d1,
      ),
    ),
    dW2: scale(
      -1,
      scaleColumns(
        sampleMean(P, (s) => mul(per[s]!.e, transpose(per[s]!.h))),
        d2,
      ),
    ),
    magW1: sampleMean(P, (s) => {
      const p = per[s]!;
      const dfMag = map(p.magA, (v) => 1 + v);
      return mul(hadamard(scale(p.magE.a[0]!, abs(B)), dfMag), transpose(abs(p.x)));
    }),
    magW2: sampleMean(P, (s) => mul(per[s]!.magE, transpose(per[s]!.magA))),
    error: sampleMean(P, (s) => mat(1, 1, [per[s]!.e.a[0]! ** 2])).a[0]!,
    magError: sampleMean(P, (s) => mat(1, 1, [per[s]!.magE.a[0]! ** 2])).a[0]!,
    a: per.map((p) => p.a),
    e: per.map((p) => p.e.a[0]!),
  };
}

/**
 * 2m inputs ±√m e_i, i = 1..m, as a [2m, m, 1] array: their second moment <x xᵀ> is exactly I
 * (each e_i e_iᵀ appears twice with weight m / 2m). m must be a perfect square, so that √m is
 * exact.
 */
export function whitenedInputs(m: number): Float64Array {
  const a = Math.sqrt(m);
  if (!Number.isInteger(a)) throw new Error(`whitenedInputs: ${m} is not a perfect square`);
  const x = new Float64Array(2 * m * m);
  for (let i = 0; i < m; i++) {
    x[2 * i * m + i] = a;
    x[(2 * i + 1) * m + i] = -a;
  }
  return x;
}
