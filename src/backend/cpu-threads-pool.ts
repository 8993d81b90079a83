/**
 * The members of a batch split into contiguous blocks, one block per worker thread
 * (cpu-threads-worker.ts), and the messages between them: a posted message returns at once, a
 * question waits for every worker's answer, and workers handle messages in the order posted, so
 * an answer reflects everything posted before the question. An error in a worker fails the
 * questions asked after it, with the worker's message.
 */
import { Worker } from "node:worker_threads";
import { entryBeside, RUNNING_FROM_SOURCE } from "../util/package-root.ts";
import type { WorkerQuestion, WorkerRequest } from "./cpu-threads-worker.ts";

const entry = entryBeside(import.meta.url, "./cpu-threads-worker");
/** From source, a worker needs the TypeScript loader first (workers do not inherit the parent's). */
const startWorker = (): Worker =>
  RUNNING_FROM_SOURCE
    ? new Worker(new URL("./worker-bootstrap.mjs", import.meta.url), { workerData: { entry: entry.href } })
    : new Worker(entry);

export class MemberBlocks {
  /** [from, to) members of each worker. */
  readonly blocks: Array<[number, number]> = [];
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  /** min(threads, size) workers, worker k started with `start(from, to)` for its block. */
  constructor(size: number, threads: number, start: (from: number, to: number) => WorkerRequest) {
    const count = Math.min(threads, size);
    for (let k = 0; k < count; k++) {
      const from = Math.floor((k * size) / count);
      const to = Math.floor(((k + 1) * size) / count);
      this.blocks.push([from, to]);
      const worker = startWorker();
      worker.on("message", (m: { id: number; value?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) {
          if (m.error !== undefined) this.failure ??= new Error(`cpu-threads worker: ${m.error}`);
          return;
        }
        this.pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(`cpu-threads worker: ${m.error}`));
        else p.resolve(m.value);
      });
      worker.on("error", (e) => {
        this.failure ??= e;
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      worker.postMessage(start(from, to));
      this.workers.push(worker);
    }
  }

  /** Posts `message(from, to)` to each worker. */
  post(message: (from: number, to: number) => WorkerRequest): void {
    this.workers.forEach((w, k) => {
      const [from, to] = this.blocks[k]!;
      w.postMessage(message(from, to));
    });
  }

  /** Every worker's answer to `type`, in block order. */
  async ask<T>(type: WorkerQuestion): Promise<T[]> {
    if (this.failure) throw this.failure;
    return Promise.all(
      this.workers.map(
        (w) =>
          new Promise<T>((resolve, reject) => {
            const id = this.nextId++;
            this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            w.postMessage({ type, id } satisfies WorkerRequest);
          }),
      ),
    );
  }

  /** Per-member answers of every worker concatenated: out[from_k*n ...] = part_k. */
  gather<A extends Float64Array | Int32Array>(parts: readonly A[], out: A, entriesPerMember: number): A {
    parts.forEach((p, k) => {
      out.set(p, this.blocks[k]![0] * entriesPerMember);
    });
    return out;
  }

  terminate(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
