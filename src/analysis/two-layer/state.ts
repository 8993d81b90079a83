/**
 * The state and parameters of curl descent in a two-layer linear network with scalar output
 * (seed 001, eqs. 5-6 and appendix B.1): W1 ∈ R^{N×M}, W2 ∈ R^{1×N}, target map s ∈ R^{1×M},
 * and the diagonal sign matrices D1 (M×M, input side of W1) and D2 (N×N, hidden side of W2).
 *
 * Vectorization order (used by every dense object in this folder): the state vector of length
 * NM + N is vec(W1) in row-major order, entry (i, j) at index i·M + j (the paper's "(ij)"
 * index), followed by W2, entry h at index NM + h.
 */
import { InvalidArgumentError } from "../../util/errors.ts";

export interface TwoLayerPoint {
  /** W1 as N rows of length M. */
  W1: number[][];
  /** W2 as a vector of length N. */
  W2: number[];
  /** The teacher map s, length M. */
  s: number[];
  /** Diagonal of D1, length M, entries ±1. */
  d1: number[];
  /** Diagonal of D2, length N, entries ±1. */
  d2: number[];
}

export interface TwoLayerSizes {
  /** Number of inputs. */
  M: number;
  /** Number of hidden units. */
  N: number;
}

/** Checks shapes and signs of a point; returns its sizes. Throws InvalidArgumentError naming `fn`. */
export function checkTwoLayerPoint(fn: string, p: TwoLayerPoint): TwoLayerSizes {
  const N = p.W1.length;
  if (N === 0) throw new InvalidArgumentError(fn, "W1", "a non-empty N×M matrix", p.W1);
  const M = p.W1[0]!.length;
  if (M === 0 || p.W1.some((row) => row.length !== M)) {
    throw new InvalidArgumentError(
      fn,
      "W1",
      `rows of equal length M ≥ 1`,
      p.W1.map((r) => r.length),
    );
  }
  const lengths: [string, number[], number][] = [
    ["W2", p.W2, N],
    ["s", p.s, M],
    ["d1", p.d1, M],
    ["d2", p.d2, N],
  ];
  for (const [name, v, n] of lengths) {
    if (v.length !== n)
      throw new InvalidArgumentError(fn, name, `a vector of length ${n}`, `length ${v.length}`);
  }
  for (const [name, v] of [
    ["d1", p.d1],
    ["d2", p.d2],
  ] as const) {
    const bad = v.findIndex((x) => x !== 1 && x !== -1);
    if (bad >= 0) throw new InvalidArgumentError(fn, `${name}[${bad}]`, "+1 or -1", v[bad]);
  }
  return { M, N };
}

/** The error E = s − W2 W1 (length M). */
export function outputError(p: TwoLayerPoint): number[] {
  const M = p.s.length;
  const E = p.s.slice();
  for (let k = 0; k < p.W2.length; k++) {
    const row = p.W1[k]!;
    const w = p.W2[k]!;
    for (let j = 0; j < M; j++) E[j]! -= w * row[j]!;
  }
  return E;
}

/** The state vector (vec(W1) row-major, then W2), length NM + N. */
export function stateVector(p: TwoLayerPoint): Float64Array {
  const { M, N } = checkTwoLayerPoint("stateVector", p);
  const x = new Float64Array(N * M + N);
  for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) x[i * M + j] = p.W1[i]![j]!;
  for (let h = 0; h < N; h++) x[N * M + h] = p.W2[h]!;
  return x;
}

/** The point with the weights of state vector `x` and the parameters (s, d1, d2) of `p`. */
export function withState(p: TwoLayerPoint, x: ArrayLike<number>): TwoLayerPoint {
  const N = p.W1.length;
  const M = p.s.length;
  const W1 = Array.from({ length: N }, (_, i) => Array.from({ length: M }, (_, j) => x[i * M + j]!));
  const W2 = Array.from({ length: N }, (_, h) => x[N * M + h]!);
  return { ...p, W1, W2 };
}
