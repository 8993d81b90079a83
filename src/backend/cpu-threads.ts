/**
 * The CPU backend on several cores: the same float64 kernels as src/backend/cpu.ts, with the
 * members of a student-teacher batch or of a compiled network rule's batch split into
 * contiguous blocks, one block per worker thread (cpu-threads-pool.ts). Because each member is
 * computed by the same code in the same order, results are bit for bit those of the
 * single-threaded backend with the same kernel (cpu for "ts", cpu-wasm for "wasm", cpu-native
 * for "native"), and a batch of B equals B single runs. The generic kernels run on the calling
 * thread.
 *
 * With `dtype: "float32"` compiled network rules run on the float32 native or WebAssembly kernels
 * in every worker (bit for bit a cpu-native or cpu-wasm float32 batch); the fused student-teacher
 * kernels and the TypeScript kernels exist in float64 only and are refused.
 *
 * `advance` and the writes post a message and return at once; the reads wait for every worker
 * to have processed everything posted before them (workers handle messages in order).
 */
import { availableParallelism } from "node:os";
import type { CompiledRule } from "../ir/program.ts";
import { InvalidArgumentError, requireOneOf, requirePositiveInteger } from "../util/errors.ts";
import type {
  BatchErrors,
  NetworkBatch,
  NetworkInit,
  StudentTeacherBatch,
  StudentTeacherInit,
} from "./backend.ts";
import { checkNetworkInit } from "./check-network-init.ts";
import { CpuBackend } from "./cpu.ts";
import { MemberBlocks } from "./cpu-threads-pool.ts";
import { requireFusedDtype } from "./cpu-wasm.ts";
import { NativeUnavailableError, nativeToolchain } from "./native/native-compiler.ts";
import { compiledRuleAddon } from "./native/native-network.ts";
import { checkStudentTeacherInit, requireLength, sliceStudentTeacherInit } from "./validate.ts";
import type { Dtype } from "./wasm-codegen/element.ts";

function requireEpochs(fn: string, epochs: number): void {
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new InvalidArgumentError(fn, "epochs", "an integer >= 0", epochs);
}

async function gatherErrors(pool: MemberBlocks, size: number): Promise<BatchErrors> {
  const parts = await pool.ask<BatchErrors>("errors");
  return {
    train: pool.gather(
      parts.map((p) => p.train),
      new Float64Array(size),
      1,
    ),
    test: pool.gather(
      parts.map((p) => p.test),
      new Float64Array(size),
      1,
    ),
  };
}

class ThreadedStudentTeacherBatch implements StudentTeacherBatch {
  readonly size: number;
  private current = 0;
  private readonly pool: MemberBlocks;
  private readonly N: number;
  private readonly M: number;

  constructor(init: StudentTeacherInit, threads: number, kernel: ThreadKernel) {
    const checked = checkStudentTeacherInit("CpuThreadsBackend.studentTeacher", init);
    this.size = init.size;
    this.N = init.hidden;
    this.M = init.inputs;
    this.pool = new MemberBlocks(init.size, threads, (from, to) => ({
      type: "init",
      init: sliceStudentTeacherInit(checked, from, to),
      kernel,
    }));
  }

  get epoch(): number {
    return this.current;
  }

  advance(epochs: number): void {
    requireEpochs("CpuThreadsBackend.advance", epochs);
    this.pool.post(() => ({ type: "advance", epochs }));
    this.current += epochs;
  }

  errors(): Promise<BatchErrors> {
    return gatherErrors(this.pool, this.size);
  }

  async readWeights(): Promise<{ w1: Float64Array; w2: Float64Array }> {
    const parts = await this.pool.ask<{ w1: Float64Array; w2: Float64Array }>("readWeights");
    return {
      w1: this.pool.gather(
        parts.map((p) => p.w1),
        new Float64Array(this.size * this.N * this.M),
        this.N * this.M,
      ),
      w2: this.pool.gather(
        parts.map((p) => p.w2),
        new Float64Array(this.size * this.N),
        this.N,
      ),
    };
  }

  writeWeights(w1: Float64Array, w2: Float64Array): void {
    requireLength("CpuThreadsBackend.writeWeights", "w1", w1, this.size * this.N * this.M);
    requireLength("CpuThreadsBackend.writeWeights", "w2", w2, this.size * this.N);
    const NM = this.N * this.M;
    this.pool.post((from, to) => ({
      type: "writeWeights",
      w1: w1.slice(from * NM, to * NM),
      w2: w2.slice(from * this.N, to * this.N),
    }));
  }

  async failures(): Promise<Int32Array> {
    return this.pool.gather(await this.pool.ask<Int32Array>("failures"), new Int32Array(this.size), 1);
  }

  dispose(): void {
    this.pool.terminate();
  }
}

class ThreadedNetworkBatch implements NetworkBatch {
  readonly size: number;
  readonly rule: CompiledRule;
  private current = 0;
  private readonly pool: MemberBlocks;

  constructor(init: NetworkInit, threads: number, kernel: ThreadKernel, dtype: Dtype) {
    const checked = checkNetworkInit("CpuThreadsBackend.network", init);
    // Compiled (or found in the cache) here, once, before the workers load it.
    if (kernel === "native") compiledRuleAddon(init.rule, { dtype });
    this.rule = init.rule;
    this.size = init.runs.length;
    // Each worker gets its members' runs and target norms (so the norms are those of the whole batch).
    this.pool = new MemberBlocks(this.size, threads, (from, to) => ({
      type: "network",
      init: {
        rule: init.rule,
        runs: init.runs.slice(from, to),
        norms: checked.norms.map((n) => n.slice(from, to)),
      },
      kernel,
      dtype,
    }));
  }

  get epoch(): number {
    return this.current;
  }

  advance(epochs: number): void {
    requireEpochs("CpuThreadsBackend.advance", epochs);
    this.pool.post(() => ({ type: "advance", epochs }));
    this.current += epochs;
  }

  errors(): Promise<BatchErrors> {
    return gatherErrors(this.pool, this.size);
  }

  async readStates(): Promise<Float64Array[]> {
    const parts = await this.pool.ask<Float64Array[]>("readStates");
    return this.rule.states.map((s, k) =>
      this.pool.gather(
        parts.map((p) => p[k]!),
        new Float64Array(this.size * s.rows * s.cols),
        s.rows * s.cols,
      ),
    );
  }

  writeStates(states: readonly Float64Array[]): void {
    this.rule.states.forEach((s, k) => {
      requireLength(
        "CpuThreadsBackend.writeStates",
        `states[${k}] (${s.name})`,
        states[k]!,
        this.size * s.rows * s.cols,
      );
    });
    this.pool.post((from, to) => ({
      type: "writeStates",
      states: this.rule.states.map((s, k) => states[k]!.slice(from * s.rows * s.cols, to * s.rows * s.cols)),
    }));
  }

  async failures(): Promise<Int32Array> {
    return this.pool.gather(await this.pool.ask<Int32Array>("failures"), new Int32Array(this.size), 1);
  }

  dispose(): void {
    this.pool.terminate();
  }
}

/**
 * The kernels of every worker for compiled rules: native code (cpu-native's), WebAssembly SIMD
 * (cpu-wasm's) or TypeScript (the cpu backend's). The fused student-teacher kernel is the
 * WebAssembly one for "native" and "wasm".
 */
export type ThreadKernel = "ts" | "wasm" | "native";

/** The fastest kernel available here: native where a C compiler is, else WebAssembly. */
export function fastestThreadKernel(): ThreadKernel {
  try {
    nativeToolchain();
    return "native";
  } catch (e) {
    if (e instanceof NativeUnavailableError) return "wasm";
    throw e;
  }
}

export interface CpuThreadsOptions {
  /** Worker threads (default: every available core). */
  readonly threads?: number;
  /** The kernels of every worker (default: fastestThreadKernel()). */
  readonly kernel?: ThreadKernel;
  /** Element type of compiled network rules (default float64; float32 needs the wasm or native kernel). */
  readonly dtype?: Dtype;
}

/**
 * The CPU backend with student-teacher batches and compiled network rules spread over `threads`
 * worker threads, each running native kernels ("native", where a C compiler is), the WebAssembly
 * SIMD kernels ("wasm") or the TypeScript ones ("ts": the fused student-teacher kernel, the IR
 * interpreter), in float64 or, for compiled rules on the native or wasm kernel, float32.
 */
export class CpuThreadsBackend extends CpuBackend {
  override readonly name = "cpu-threads";
  override readonly dtype: Dtype;
  readonly threads: number;
  readonly kernel: ThreadKernel;

  constructor(options: CpuThreadsOptions = {}) {
    super();
    const fn = "CpuThreadsBackend";
    this.threads = requirePositiveInteger(fn, "threads", options.threads ?? availableParallelism(), 1024);
    this.kernel = options.kernel ?? fastestThreadKernel();
    requireOneOf(fn, "kernel", this.kernel, ["ts", "wasm", "native"]);
    if (this.kernel === "native") nativeToolchain();
    this.dtype = options.dtype ?? "float64";
    requireOneOf(fn, "dtype", this.dtype, ["float64", "float32"]);
    if (this.dtype === "float32" && this.kernel === "ts") {
      throw new InvalidArgumentError(
        fn,
        "dtype",
        "float64 with the ts kernel (float32 runs on wasm or native)",
        "float32",
      );
    }
  }

  override studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    requireFusedDtype("CpuThreadsBackend.studentTeacher", this.dtype);
    return new ThreadedStudentTeacherBatch(init, this.threads, this.kernel);
  }

  override network(init: NetworkInit): NetworkBatch {
    return new ThreadedNetworkBatch(init, this.threads, this.kernel, this.dtype);
  }
}

/**
 * A threaded CPU backend using every available core (or `threads`), the given kernel (default:
 * the fastest available, fastestThreadKernel) and dtype.
 */
export function cpuThreadsBackend(
  threads?: number,
  kernel?: ThreadKernel,
  dtype: Dtype = "float64",
): CpuThreadsBackend {
  return new CpuThreadsBackend({
    ...(threads === undefined ? {} : { threads }),
    ...(kernel === undefined ? {} : { kernel }),
    dtype,
  });
}
