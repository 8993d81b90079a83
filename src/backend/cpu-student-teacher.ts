/**
 * The fused student-teacher update on the CPU in float64: the readable reference implementation
 * of StudentTeacherBatch (src/backend/backend.ts, where the step is specified). Each member is
 * advanced independently with the same code and the same order of operations, so a batch of B
 * equals B single runs bit for bit.
 *
 * Hot loops work on Float64Array views with preallocated scratch and no allocation per step.
 */
import { counterPermutation, deriveKey } from "../util/counter-rng.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { activate, activatePrime } from "./activation.ts";
import type { BatchErrors, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { type CheckedStudentTeacherInit, checkStudentTeacherInit, requireLength } from "./validate.ts";

/** Scratch space for one step, allocated once per batch. */
interface Scratch {
  xb: Float64Array; // [S, M] the minibatch inputs, gathered contiguously
  a: Float64Array; // [S, N] preactivations
  h: Float64Array; // [S, N] activations
  uT: Float64Array; // [N, S] hidden signals (f_i e_k) phi'(a_ki), transposed
  e: Float64Array; // [S] output errors
  g: Float64Array; // [M] one row of the hidden-layer gradient sum
  perm: Int32Array; // [nTrain] the epoch's sample order
}

/**
 * One SGD step of member b on the minibatch perm[start .. start + S - 1], in place, as specified
 * in backend.ts. Returns false when the member fails (a norm not finite, or 0 when
 * renormalizing); the weights are then left as updated, unscaled.
 *
 * The floating-point operations are those of rules/curl-descent.rule lowered to the IR
 * (src/ir/program.ts), in the same order, so the compiled rule and this kernel agree bit for
 * bit: with u_k = (f e_k) (.) phi'(a_k),
 *   W2 <- W2 + eta (-(sum_k e_k h_k^T) / S) (.) d2^T,   W1 <- W1 + eta (-(sum_k u_k x_k^T) / S) (.) d1^T,
 * each sum accumulated from 0 in increasing k.
 */
function step(
  p: CheckedStudentTeacherInit,
  w1: Float64Array,
  w2: Float64Array,
  b: number,
  sc: Scratch,
  perm: Int32Array,
  start: number,
): boolean {
  const { inputs: M, hidden: N, batchSize: S, activation, trainCount: P } = p;
  const X = p.trainInputs;
  const Y = p.trainTargets;
  const d1 = p.d1;
  const d2 = p.d2;
  const eta = (p.learningRate * S) / P;
  const w1o = b * N * M;
  const w2o = b * N;
  const fb = p.feedback === "fixed" ? p.feedbackWeights! : w2;
  const { xb, a, h, uT, e, g } = sc;

  for (let k = 0; k < S; k++) {
    const row = (b * P + perm[start + k]!) * M;
    for (let j = 0; j < M; j++) xb[k * M + j] = X[row + j]!;
  }
  // Forward: a_k = W1 x_k; four samples per pass over a row of W1, then one at a time.
  for (let i = 0; i < N; i++) {
    const wr = w1o + i * M;
    let k = 0;
    for (; k + 3 < S; k += 4) {
      const x0 = k * M;
      const x1 = x0 + M;
      const x2 = x1 + M;
      const x3 = x2 + M;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < M; j++) {
        const w = w1[wr + j]!;
        s0 += w * xb[x0 + j]!;
        s1 += w * xb[x1 + j]!;
        s2 += w * xb[x2 + j]!;
        s3 += w * xb[x3 + j]!;
      }
      a[k * N + i] = s0;
      a[(k + 1) * N + i] = s1;
      a[(k + 2) * N + i] = s2;
      a[(k + 3) * N + i] = s3;
    }
    for (; k < S; k++) {
      let s0 = 0;
      for (let j = 0; j < M; j++) s0 += w1[wr + j]! * xb[k * M + j]!;
      a[k * N + i] = s0;
    }
  }
  for (let q = 0; q < S * N; q++) h[q] = activate(activation, a[q]!);
  // Errors e_k = W2 h_k - y_k and hidden signals, from the weights before the step.
  for (let k = 0; k < S; k++) {
    let y = 0;
    for (let i = 0; i < N; i++) y += w2[w2o + i]! * h[k * N + i]!;
    const sample = perm[start + k]!;
    const ek = y - Y[b * P + sample]!;
    e[k] = ek;
    for (let i = 0; i < N; i++) {
      const q = k * N + i;
      uT[i * S + k] = fb[w2o + i]! * ek * activatePrime(activation, a[q]!, h[q]!);
    }
  }
  // Readout: W2 <- W2 + eta (-(sum_k e_k h_k) / S) d2.
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    let gi = 0;
    for (let k = 0; k < S; k++) gi += e[k]! * h[k * N + i]!;
    const w = w2[w2o + i]! + eta * (-(gi / S) * d2[w2o + i]!);
    w2[w2o + i] = w;
    s2 += w * w;
  }
  // Hidden: row i of sum_k u_k x_k^T (four samples per pass, added in increasing k), then the
  // update of row i and its sum of squares.
  let s1 = 0;
  for (let i = 0; i < N; i++) {
    const wr = w1o + i * M;
    const ur = i * S;
    g.fill(0);
    let k = 0;
    for (; k + 3 < S; k += 4) {
      const c0 = uT[ur + k]!;
      const c1 = uT[ur + k + 1]!;
      const c2 = uT[ur + k + 2]!;
      const c3 = uT[ur + k + 3]!;
      const x0 = k * M;
      const x1 = x0 + M;
      const x2 = x1 + M;
      const x3 = x2 + M;
      for (let j = 0; j < M; j++) {
        g[j] = g[j]! + c0 * xb[x0 + j]! + c1 * xb[x1 + j]! + c2 * xb[x2 + j]! + c3 * xb[x3 + j]!;
      }
    }
    for (; k < S; k++) {
      const c0 = uT[ur + k]!;
      for (let j = 0; j < M; j++) g[j] = g[j]! + c0 * xb[k * M + j]!;
    }
    for (let j = 0; j < M; j++) {
      const w = w1[wr + j]! + eta * (-(g[j]! / S) * d1[b * M + j]!);
      w1[wr + j] = w;
      s1 += w * w;
    }
  }
  const n1 = Math.sqrt(s1);
  const n2 = Math.sqrt(s2);
  if (!Number.isFinite(n1) || !Number.isFinite(n2)) return false;
  if (p.renormalize) {
    if (n1 === 0 || n2 === 0) return false;
    const c1 = p.norm1[b]! / n1;
    const c2 = p.norm2[b]! / n2;
    for (let q = w1o; q < w1o + N * M; q++) w1[q] = c1 * w1[q]!;
    for (let q = w2o; q < w2o + N; q++) w2[q] = c2 * w2[q]!;
  }
  return true;
}

/**
 * Mean squared error (1/count) sum_mu (W2 phi(W1 x_mu) - y_mu)^2 of member b on a data set of
 * `count` samples (inputs X[b][mu] of length M, targets Y[b][mu]).
 */
export function meanSquaredError(
  p: Pick<CheckedStudentTeacherInit, "inputs" | "hidden" | "activation">,
  w1: Float64Array,
  w2: Float64Array,
  b: number,
  X: Float64Array,
  Y: Float64Array,
  count: number,
): number {
  const { inputs: M, hidden: N, activation } = p;
  let total = 0;
  for (let mu = 0; mu < count; mu++) {
    const xr = (b * count + mu) * M;
    let y = 0;
    for (let i = 0; i < N; i++) {
      const wr = (b * N + i) * M;
      let s = 0;
      for (let j = 0; j < M; j++) s += w1[wr + j]! * X[xr + j]!;
      y += w2[b * N + i]! * activate(activation, s);
    }
    const e = y - Y[b * count + mu]!;
    total += e * e;
  }
  return total / count;
}

/** A batch of student-teacher simulations held in host memory (see StudentTeacherBatch). */
export class CpuStudentTeacherBatch implements StudentTeacherBatch {
  readonly size: number;
  private current = 0;
  private readonly p: CheckedStudentTeacherInit;
  private readonly w1: Float64Array;
  private readonly w2: Float64Array;
  private readonly failedAt: Int32Array;
  private readonly scratch: Scratch;
  private disposed = false;

  constructor(init: StudentTeacherInit) {
    const checked = checkStudentTeacherInit("CpuBackend.studentTeacher", init);
    // Copies, so that later changes to the caller's arrays cannot reach the simulation.
    this.p = {
      ...checked,
      trainInputs: Float64Array.from(init.trainInputs),
      trainTargets: Float64Array.from(init.trainTargets),
      testInputs: Float64Array.from(init.testInputs),
      testTargets: Float64Array.from(init.testTargets),
      d1: Float64Array.from(init.d1),
      d2: Float64Array.from(init.d2),
      shuffleSeeds: Uint32Array.from(init.shuffleSeeds),
      norm1: Float64Array.from(checked.norm1),
      norm2: Float64Array.from(checked.norm2),
    };
    if (init.feedbackWeights) this.p.feedbackWeights = Float64Array.from(init.feedbackWeights);
    this.size = init.size;
    this.w1 = Float64Array.from(init.w1);
    this.w2 = Float64Array.from(init.w2);
    this.failedAt = new Int32Array(init.size).fill(-1);
    const S = init.batchSize;
    const N = init.hidden;
    this.scratch = {
      xb: new Float64Array(S * init.inputs),
      a: new Float64Array(S * N),
      h: new Float64Array(S * N),
      uT: new Float64Array(N * S),
      e: new Float64Array(S),
      g: new Float64Array(init.inputs),
      perm: new Int32Array(init.trainCount),
    };
  }

  get epoch(): number {
    return this.current;
  }

  private live(): void {
    if (this.disposed) throw new Error("CpuStudentTeacherBatch: used after dispose()");
  }

  advance(epochs: number): void {
    this.live();
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InvalidArgumentError("CpuStudentTeacherBatch.advance", "epochs", "an integer >= 0", epochs);
    }
    const p = this.p;
    for (let b = 0; b < this.size; b++) {
      for (let t = this.current; t < this.current + epochs && this.failedAt[b] === -1; t++) {
        const perm = counterPermutation(deriveKey(p.shuffleSeeds[b]!, t), p.trainCount, this.scratch.perm);
        for (let s = 0; s < p.stepsPerEpoch; s++) {
          if (!step(p, this.w1, this.w2, b, this.scratch, perm, s * p.batchSize)) {
            this.failedAt[b] = t;
            break;
          }
        }
      }
    }
    this.current += epochs;
  }

  async errors(): Promise<BatchErrors> {
    this.live();
    const p = this.p;
    const train = new Float64Array(this.size);
    const test = new Float64Array(this.size);
    for (let b = 0; b < this.size; b++) {
      const failed = this.failedAt[b] !== -1;
      train[b] = failed
        ? Number.NaN
        : meanSquaredError(p, this.w1, this.w2, b, p.trainInputs, p.trainTargets, p.trainCount);
      test[b] = failed
        ? Number.NaN
        : meanSquaredError(p, this.w1, this.w2, b, p.testInputs, p.testTargets, p.testCount);
    }
    return { train, test };
  }

  async readWeights(): Promise<{ w1: Float64Array; w2: Float64Array }> {
    this.live();
    return { w1: Float64Array.from(this.w1), w2: Float64Array.from(this.w2) };
  }

  writeWeights(w1: Float64Array, w2: Float64Array): void {
    this.live();
    requireLength("CpuStudentTeacherBatch.writeWeights", "w1", w1, this.w1.length);
    requireLength("CpuStudentTeacherBatch.writeWeights", "w2", w2, this.w2.length);
    this.w1.set(w1);
    this.w2.set(w2);
  }

  async failures(): Promise<Int32Array> {
    this.live();
    return Int32Array.from(this.failedAt);
  }

  dispose(): void {
    this.disposed = true;
  }
}
