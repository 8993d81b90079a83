/**
 * A deliberately naive, one-member-at-a-time transcription of the fused student-teacher update
 * specified in src/backend/backend.ts (StudentTeacherBatch). It shares no code with any backend,
 * so a backend that matches it implements the specification, not itself.
 */
import type { StudentTeacherInit } from "../../src/backend/backend.ts";
import { counterPermutation, deriveKey } from "../../src/util/counter-rng.ts";

export interface ReferenceMember {
  w1: number[][]; // N x M
  w2: number[]; // N
  failedAt: number; // -1 while running
}

function phi(activation: string, a: number): number {
  if (activation === "tanh") return Math.tanh(a);
  if (activation === "relu") return a > 0 ? a : 0;
  return a;
}

function phiPrime(activation: string, a: number): number {
  if (activation === "tanh") return 1 - Math.tanh(a) ** 2;
  if (activation === "relu") return a > 0 ? 1 : 0;
  return 1;
}

/** Member b's initial state. */
export function referenceMember(init: StudentTeacherInit, b: number): ReferenceMember {
  const { inputs: M, hidden: N } = init;
  const w1: number[][] = [];
  for (let i = 0; i < N; i++)
    w1.push(Array.from(init.w1.subarray(b * N * M + i * M, b * N * M + (i + 1) * M)));
  return { w1, w2: Array.from(init.w2.subarray(b * N, (b + 1) * N)), failedAt: -1 };
}

function frobenius(rows: number[][]): number {
  let s = 0;
  for (const r of rows) for (const v of r) s += v * v;
  return Math.sqrt(s);
}

/** Output of member b's current network on sample mu of a data set. */
function forward(init: StudentTeacherInit, m: ReferenceMember, x: Float64Array, offset: number) {
  const a = m.w1.map((row) => row.reduce((s, w, j) => s + w * x[offset + j]!, 0));
  const h = a.map((v) => phi(init.activation, v));
  const yhat = h.reduce((s, v, i) => s + m.w2[i]! * v, 0);
  return { a, h, yhat };
}

/** Mean squared error of member b on the training or the test set. */
export function referenceError(
  init: StudentTeacherInit,
  m: ReferenceMember,
  b: number,
  set: "train" | "test",
) {
  if (m.failedAt >= 0) return Number.NaN;
  const count = set === "train" ? init.trainCount : init.testCount;
  const x = set === "train" ? init.trainInputs : init.testInputs;
  const y = set === "train" ? init.trainTargets : init.testTargets;
  let s = 0;
  for (let mu = 0; mu < count; mu++) {
    const { yhat } = forward(init, m, x, (b * count + mu) * init.inputs);
    s += (yhat - y[b * count + mu]!) ** 2;
  }
  return s / count;
}

/** Runs member b (state m, starting at `epoch`) for `epochs` epochs, in place. */
export function referenceAdvance(
  init: StudentTeacherInit,
  m: ReferenceMember,
  b: number,
  epoch: number,
  epochs: number,
  norm1 = frobenius(referenceMember(init, b).w1),
  norm2 = frobenius([referenceMember(init, b).w2]),
): void {
  const { inputs: M, hidden: N, trainCount: P, batchSize } = init;
  const eta = (init.learningRate * batchSize) / P;
  const d1 = init.d1.subarray(b * M, (b + 1) * M);
  const d2 = init.d2.subarray(b * N, (b + 1) * N);
  for (let t = epoch; t < epoch + epochs; t++) {
    if (m.failedAt >= 0) return;
    const perm = counterPermutation(deriveKey(init.shuffleSeeds[b]!, t), P);
    for (let s = 0; s < P / batchSize; s++) {
      const g1 = m.w1.map((row) => row.map(() => 0));
      const g2 = m.w2.map(() => 0);
      const f =
        init.feedback === "fixed" ? Array.from(init.feedbackWeights!.subarray(b * N, (b + 1) * N)) : m.w2;
      for (let k = 0; k < batchSize; k++) {
        const mu = perm[s * batchSize + k]!;
        const off = (b * P + mu) * M;
        const { a, h, yhat } = forward(init, m, init.trainInputs, off);
        const e = yhat - init.trainTargets[b * P + mu]!;
        for (let i = 0; i < N; i++) {
          g2[i]! += (e * h[i]!) / batchSize;
          const delta = f[i]! * phiPrime(init.activation, a[i]!) * e;
          for (let j = 0; j < M; j++) g1[i]![j]! += (delta * init.trainInputs[off + j]!) / batchSize;
        }
      }
      for (let i = 0; i < N; i++) {
        m.w2[i] = m.w2[i]! - eta * g2[i]! * d2[i]!;
        const row = m.w1[i]!;
        const grow = g1[i]!;
        for (let j = 0; j < M; j++) row[j] = row[j]! - eta * grow[j]! * d1[j]!;
      }
      const n1 = frobenius(m.w1);
      const n2 = frobenius([m.w2]);
      const renormalize = init.renormalize !== false;
      const bad = (n: number) => !Number.isFinite(n) || (renormalize && n === 0);
      if (bad(n1) || bad(n2)) {
        m.failedAt = t;
        return;
      }
      if (renormalize) {
        const s1 = norm1 / n1;
        const s2 = norm2 / n2;
        m.w1 = m.w1.map((row) => row.map((v) => v * s1));
        m.w2 = m.w2.map((v) => v * s2);
      }
    }
  }
}
