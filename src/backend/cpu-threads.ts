/**
 * The CPU backend on several cores: the same float64 kernels as src/backend/cpu.ts, with the
 * members of a student-teacher batch split into contiguous blocks, one block per worker thread.
 * Because each member is computed by the same code in the same order, results are bit for bit
 * those of the single-threaded backend with the same kernel (cpu for "ts", cpu-wasm for "wasm").
 * The generic kernels run on the calling thread.
 *
 * `advance` and `writeWeights` post a message and return at once; the reads wait for every
 * worker to have processed everything posted before them (workers handle messages in order).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InvalidArgumentError, requireOneOf, requirePositiveInteger } from "../util/errors.ts";
import type { BatchErrors, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { CpuBackend } from "./cpu.ts";
import type { WorkerRequest } from "./cpu-threads-worker.ts";
import { checkStudentTeacherInit, requireLength, sliceStudentTeacherInit } from "./validate.ts";

const bootstrap = new URL("./worker-bootstrap.mjs", import.meta.url);
const entry = new URL("./cpu-threads-worker.ts", import.meta.url).href;

class ThreadedStudentTeacherBatch implements StudentTeacherBatch {
  readonly size: number;
  private current = 0;
  private readonly workers: Worker[] = [];
  private readonly blocks: Array<[number, number]> = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private readonly N: number;
  private readonly M: number;

  constructor(init: StudentTeacherInit, threads: number, kernel: "ts" | "wasm") {
    const checked = checkStudentTeacherInit("CpuThreadsBackend.studentTeacher", init);
    this.size = init.size;
    this.N = init.hidden;
    this.M = init.inputs;
    const W = Math.min(threads, init.size);
    for (let k = 0; k < W; k++) {
      const from = Math.floor((k * init.size) / W);
      const to = Math.floor(((k + 1) * init.size) / W);
      this.blocks.push([from, to]);
      const worker = new Worker(bootstrap, { workerData: { entry } });
      worker.on("message", (m: { id: number; value?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(`cpu-threads worker: ${m.error}`));
        else p.resolve(m.value);
      });
      worker.on("error", (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.post(worker, { type: "init", init: sliceStudentTeacherInit(checked, from, to), kernel });
      this.workers.push(worker);
    }
  }

  get epoch(): number {
    return this.current;
  }

  private post(worker: Worker, m: WorkerRequest): void {
    worker.postMessage(m);
  }

  private async ask<T>(type: "errors" | "readWeights" | "failures"): Promise<T[]> {
    return Promise.all(
      this.workers.map(
        (w) =>
          new Promise<T>((resolve, reject) => {
            const id = this.nextId++;
            this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            this.post(w, { type, id });
          }),
      ),
    );
  }

  advance(epochs: number): void {
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InvalidArgumentError("CpuThreadsBackend.advance", "epochs", "an integer >= 0", epochs);
    }
    for (const w of this.workers) this.post(w, { type: "advance", epochs });
    this.current += epochs;
  }

  async errors(): Promise<BatchErrors> {
    const parts = await this.ask<BatchErrors>("errors");
    const train = new Float64Array(this.size);
    const test = new Float64Array(this.size);
    parts.forEach((p, k) => {
      train.set(p.train, this.blocks[k]![0]);
      test.set(p.test, this.blocks[k]![0]);
    });
    return { train, test };
  }

  async readWeights(): Promise<{ w1: Float64Array; w2: Float64Array }> {
    const parts = await this.ask<{ w1: Float64Array; w2: Float64Array }>("readWeights");
    const w1 = new Float64Array(this.size * this.N * this.M);
    const w2 = new Float64Array(this.size * this.N);
    parts.forEach((p, k) => {
      w1.set(p.w1, this.blocks[k]![0] * this.N * this.M);
      w2.set(p.w2, this.blocks[k]![0] * this.N);
    });
    return { w1, w2 };
  }

  writeWeights(w1: Float64Array, w2: Float64Array): void {
    requireLength("CpuThreadsBackend.writeWeights", "w1", w1, this.size * this.N * this.M);
    requireLength("CpuThreadsBackend.writeWeights", "w2", w2, this.size * this.N);
    this.workers.forEach((w, k) => {
      const [from, to] = this.blocks[k]!;
      const NM = this.N * this.M;
      this.post(w, {
        type: "writeWeights",
        w1: w1.slice(from * NM, to * NM),
        w2: w2.slice(from * this.N, to * this.N),
      });
    });
  }

  async failures(): Promise<Int32Array> {
    const parts = await this.ask<Int32Array>("failures");
    const out = new Int32Array(this.size);
    parts.forEach((p, k) => {
      out.set(p, this.blocks[k]![0]);
    });
    return out;
  }

  dispose(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/**
 * The float64 CPU backend with student-teacher batches spread over `threads` worker threads,
 * each running the WebAssembly SIMD kernel ("wasm", default) or the TypeScript one ("ts").
 */
export class CpuThreadsBackend extends CpuBackend {
  override readonly name = "cpu-threads";
  readonly threads: number;

  constructor(
    threads = availableParallelism(),
    readonly kernel: "ts" | "wasm" = "wasm",
  ) {
    super();
    this.threads = requirePositiveInteger("CpuThreadsBackend", "threads", threads, 1024);
    requireOneOf("CpuThreadsBackend", "kernel", kernel, ["ts", "wasm"]);
  }

  override studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    return new ThreadedStudentTeacherBatch(init, this.threads, this.kernel);
  }
}

/** A threaded CPU backend using every available core (or `threads`) and the given kernel. */
export function cpuThreadsBackend(threads?: number, kernel: "ts" | "wasm" = "wasm"): CpuThreadsBackend {
  return new CpuThreadsBackend(threads, kernel);
}
