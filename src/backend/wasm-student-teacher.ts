/**
 * The fused student-teacher update in WebAssembly SIMD (two float64 lanes): the kernel compiled
 * from assembly/student-teacher.ts (npm run build:wasm) into src/backend/wasm/student-teacher.wasm.
 * It computes the step specified in src/backend/backend.ts; the plain TypeScript kernel in
 * cpu-student-teacher.ts stays the readable reference, and the conformance suite ties the two
 * (they differ only by float64 rounding: the SIMD lanes sum in a different order).
 *
 * Each member gets its own WebAssembly instance (its own linear memory) holding its data,
 * weights and scratch; errors and weights are read through Float64Array views on that memory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { counterPermutation, deriveKey } from "../util/counter-rng.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { PACKAGE_ROOT } from "../util/package-root.ts";
import type { BatchErrors, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { meanSquaredError } from "./cpu-student-teacher.ts";
import { type CheckedStudentTeacherInit, checkStudentTeacherInit, requireLength } from "./validate.ts";
import { type WasmMemory, wasm } from "./wasm-api.ts";

let compiled: object | undefined;

/** The compiled kernel module (compiled once per process). */
function kernelModule(): object {
  compiled ??= new wasm.Module(readFileSync(join(PACKAGE_ROOT, "src/backend/wasm/student-teacher.wasm")));
  return compiled;
}

type StepsFn = (...args: number[]) => number;

/** One member: its instance, memory views and byte offsets. */
interface Member {
  steps: StepsFn;
  offsets: number[]; // X, Y, W1, W2, D1, D2, FB, PERM, XB, XD, A, H, DT, E (bytes)
  w1: Float64Array;
  w2: Float64Array;
  perm: Int32Array;
}

const ACTIVATION_CODE = { linear: 0, tanh: 1, relu: 2 } as const;

function createMember(p: CheckedStudentTeacherInit, b: number): Member {
  const { inputs: M, hidden: N, trainCount: P, batchSize: S } = p;
  const sizes = [P * M, P, N * M, N, M, N, N, Math.ceil(P / 2), S * M, S * M, S * N, S * N, N * S, S];
  const offsets: number[] = [];
  let at = 65536; // the first page belongs to the module's own data
  for (const n of sizes) {
    offsets.push(at);
    at += Math.ceil((n * 8) / 16) * 16;
  }
  const pages = Math.ceil(at / 65536);
  const memory = new wasm.Memory({ initial: pages });
  const instance = new wasm.Instance(kernelModule(), { env: { memory, abort: () => {} } });
  const exported = instance.exports as { steps: StepsFn; memory?: WasmMemory };
  const mem = exported.memory ?? memory;
  if (mem.buffer.byteLength < at) mem.grow(pages - mem.buffer.byteLength / 65536);
  const view = (k: number, n: number) => new Float64Array(mem.buffer, offsets[k]!, n);
  view(0, P * M).set(p.trainInputs.subarray(b * P * M, (b + 1) * P * M));
  view(1, P).set(p.trainTargets.subarray(b * P, (b + 1) * P));
  view(2, N * M).set(p.w1.subarray(b * N * M, (b + 1) * N * M));
  view(3, N).set(p.w2.subarray(b * N, (b + 1) * N));
  view(4, M).set(p.d1.subarray(b * M, (b + 1) * M));
  view(5, N).set(p.d2.subarray(b * N, (b + 1) * N));
  if (p.feedbackWeights) view(6, N).set(p.feedbackWeights.subarray(b * N, (b + 1) * N));
  return {
    steps: exported.steps,
    offsets,
    w1: view(2, N * M),
    w2: view(3, N),
    perm: new Int32Array(mem.buffer, offsets[7]!, P),
  };
}

/** A batch of student-teacher simulations advanced by the WebAssembly SIMD kernel. */
export class WasmStudentTeacherBatch implements StudentTeacherBatch {
  readonly size: number;
  private current = 0;
  private readonly p: CheckedStudentTeacherInit;
  private readonly members: Member[];
  private readonly failedAt: Int32Array;
  private readonly testInputs: Float64Array;
  private readonly testTargets: Float64Array;
  private readonly trainInputs: Float64Array;
  private readonly trainTargets: Float64Array;

  constructor(init: StudentTeacherInit) {
    this.p = checkStudentTeacherInit("WasmBackend.studentTeacher", init);
    this.size = init.size;
    this.members = Array.from({ length: init.size }, (_, b) => createMember(this.p, b));
    this.failedAt = new Int32Array(init.size).fill(-1);
    this.trainInputs = Float64Array.from(init.trainInputs);
    this.trainTargets = Float64Array.from(init.trainTargets);
    this.testInputs = Float64Array.from(init.testInputs);
    this.testTargets = Float64Array.from(init.testTargets);
  }

  get epoch(): number {
    return this.current;
  }

  advance(epochs: number): void {
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InvalidArgumentError("WasmStudentTeacherBatch.advance", "epochs", "an integer >= 0", epochs);
    }
    const p = this.p;
    const { inputs: M, hidden: N, batchSize: S, trainCount: P } = p;
    const eta = (p.learningRate * S) / P;
    const kind = ACTIVATION_CODE[p.activation];
    const fixed = p.feedback === "fixed" ? 1 : 0;
    const renormalize = p.renormalize ? 1 : 0;
    for (let b = 0; b < this.size; b++) {
      const m = this.members[b]!;
      const o = m.offsets;
      for (let t = this.current; t < this.current + epochs && this.failedAt[b] === -1; t++) {
        counterPermutation(deriveKey(p.shuffleSeeds[b]!, t), P, m.perm);
        // One call per step keeps the failure epoch exact and costs nothing next to the step.
        for (let s = 0; s < p.stepsPerEpoch; s++) {
          // The kernel reads minibatch s from perm[s*S ...] when given count 1 and the shifted perm.
          const ok = m.steps(
            o[0]!,
            o[1]!,
            o[2]!,
            o[3]!,
            o[4]!,
            o[5]!,
            o[6]!,
            o[7]! + s * S * 4,
            o[8]!,
            o[9]!,
            o[10]!,
            o[11]!,
            o[12]!,
            o[13]!,
            M,
            N,
            S,
            kind,
            fixed,
            eta,
            p.norm1[b]!,
            p.norm2[b]!,
            renormalize,
            1,
          );
          if (!ok) {
            this.failedAt[b] = t;
            break;
          }
        }
      }
    }
    this.current += epochs;
  }

  async errors(): Promise<BatchErrors> {
    const p = this.p;
    const { inputs: M, hidden: N, trainCount: P, testCount: Q } = p;
    const train = new Float64Array(this.size);
    const test = new Float64Array(this.size);
    for (let b = 0; b < this.size; b++) {
      if (this.failedAt[b] !== -1) {
        train[b] = Number.NaN;
        test[b] = Number.NaN;
        continue;
      }
      const m = this.members[b]!;
      train[b] = meanSquaredError(
        p,
        m.w1,
        m.w2,
        0,
        this.trainInputs.subarray(b * P * M),
        this.trainTargets.subarray(b * P),
        P,
      );
      test[b] = meanSquaredError(
        p,
        m.w1,
        m.w2,
        0,
        this.testInputs.subarray(b * Q * M),
        this.testTargets.subarray(b * Q),
        Q,
      );
    }
    void N;
    return { train, test };
  }

  async readWeights(): Promise<{ w1: Float64Array; w2: Float64Array }> {
    const { inputs: M, hidden: N } = this.p;
    const w1 = new Float64Array(this.size * N * M);
    const w2 = new Float64Array(this.size * N);
    this.members.forEach((m, b) => {
      w1.set(m.w1, b * N * M);
      w2.set(m.w2, b * N);
    });
    return { w1, w2 };
  }

  writeWeights(w1: Float64Array, w2: Float64Array): void {
    const { inputs: M, hidden: N } = this.p;
    requireLength("WasmStudentTeacherBatch.writeWeights", "w1", w1, this.size * N * M);
    requireLength("WasmStudentTeacherBatch.writeWeights", "w2", w2, this.size * N);
    this.members.forEach((m, b) => {
      m.w1.set(w1.subarray(b * N * M, (b + 1) * N * M));
      m.w2.set(w2.subarray(b * N, (b + 1) * N));
    });
  }

  async failures(): Promise<Int32Array> {
    return Int32Array.from(this.failedAt);
  }

  dispose(): void {
    this.members.length = 0;
  }
}
