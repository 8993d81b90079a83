/**
 * Runs the unfinished tasks of one shard in this process, writing each result atomically as soon
 * as it is known. Task kinds with `runBatch` run their tasks in batches that grow 1, 2, 4, ... up
 * to `batchSize`, so results are saved from the first task on and a run stopped at any time (a
 * Slurm time limit shorter than a full batch) has saved at least about half of the work it did; a
 * batch that throws is run again task by task. A task that throws or fails is recorded as failed
 * (with the reason and where) and the shard goes on; finished tasks are skipped, so a killed shard
 * resumes where it stopped.
 *
 * The shard is locked while it runs (shard-lock.ts): a second runner is refused with who holds it.
 * The code version is checked against the sweep's (code-record.ts) before anything runs.
 *
 * Tasks that simulate run on `options.backend` (default: the CPU) through a ResilientRunner: when
 * a GPU device is lost, the batch that was running and every later one run again on the CPU, and
 * each result records the backend that produced it.
 */
import { performance } from "node:perf_hooks";
import type { Backend } from "../../backend/backend.ts";
import { cpuBackend } from "../../backend/cpu.ts";
import { ResilientRunner } from "../../backend/fallback.ts";
import { backendNames } from "../../backend/registry.ts";
import type { DeviceLostError } from "../../backend/webgpu/errors.ts";
import { InvalidArgumentError, requireOneOf } from "../../util/errors.ts";
import { checkSweepCode } from "./code-record.ts";
import { loadPlan, type SweepTaskEntry, shardTasks } from "./plan-file.ts";
import { readResult, type TaskResult, writeResult } from "./results.ts";
import { acquireShardLock, DEFAULT_STALE_MS, HEARTBEAT_MS } from "./shard-lock.ts";
import type { SweepRunContext, SweepTask, SweepTaskOutcome } from "./task.ts";
import { resolveSweepTask } from "./tasks/index.ts";

export interface ShardSummary {
  readonly shard: number;
  readonly ran: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface RunShardOptions {
  /** Hears of each task run. */
  onTask?: (result: TaskResult) => void;
  /** The backend simulations run on (default: a new CPU backend). */
  backend?: Backend;
  /** Hears of a lost device, after which the shard goes on on the CPU. */
  onFallback?: (loss: DeviceLostError) => void;
  /** Go on when the sweep's results come from other code (recorded beside it). Default false. */
  acceptCodeChange?: boolean;
  /** Heartbeat age after which a lock held on another host is stale (default DEFAULT_STALE_MS). */
  staleMs?: number;
}

/** Batch sizes 1, 2, 4, ... capped at `max`, covering `count` tasks. */
export function rampedBatches(count: number, max: number): number[] {
  const sizes: number[] = [];
  for (let done = 0, next = 1; done < count; next = Math.min(2 * next, max)) {
    const size = Math.min(next, max, count - done);
    sizes.push(size);
    done += size;
  }
  return sizes;
}

/**
 * Refuses backend `name` unless it is registered (or "auto", src/phase/sweep/sweep-backend.ts)
 * and, for a task kind that does no tensor work, "cpu" or "auto": checked where a sweep is run or
 * scripted, before any shard starts.
 */
export function requireBackendForTask(fn: string, task: SweepTask, name: string): void {
  requireOneOf(fn, "backend", name, ["auto", ...backendNames()]);
  if (name !== "cpu" && name !== "auto" && !task.usesBackend) {
    throw new InvalidArgumentError(
      fn,
      "backend",
      `cpu (task "${task.name}" does not run on a tensor backend)`,
      name,
    );
  }
}

/** Runs shard `shard` of the sweep in `dir` (see the module comment). */
export async function runShard(
  dir: string,
  shard: number,
  options: RunShardOptions = {},
): Promise<ShardSummary> {
  const plan = loadPlan(dir);
  const task = resolveSweepTask("runShard", plan.task, plan.rule);
  const backend = options.backend ?? cpuBackend();
  requireBackendForTask("runShard", task, backend.name);
  const context: SweepRunContext = {
    backend: new ResilientRunner(backend, () => cpuBackend(), options.onFallback),
  };
  const ids = shardTasks(dir, plan, shard);
  const lock = acquireShardLock(dir, shard, options.staleMs ?? DEFAULT_STALE_MS);
  const timer = setInterval(() => lock.heartbeat(), HEARTBEAT_MS);
  timer.unref();
  let ran = 0;
  let failed = 0;
  let skipped = 0;
  try {
    checkSweepCode(dir, options.acceptCodeChange ?? false);
    const todo = ids.filter((id) => !readResult(dir, plan, id));
    skipped = ids.length - todo.length;
    const maxBatch = task.runBatch ? Math.max(1, Math.floor(task.batchSize ?? 1)) : 1;
    let first = 0;
    for (const size of rampedBatches(todo.length, maxBatch)) {
      const entries = todo.slice(first, first + size).map((id) => plan.tasks[id]!);
      first += size;
      const start = performance.now();
      const outcomes = await runEntries(task, entries, maxBatch > 1, context);
      // A batch's wall time is shared equally by its tasks.
      const elapsed = (performance.now() - start) / entries.length;
      entries.forEach((entry, i) => {
        const result = writeResult(dir, plan, entry, outcomes[i]!, elapsed);
        ran++;
        if (result.status === "failed") failed++;
        options.onTask?.(result);
      });
      lock.heartbeat();
      // Lets the event loop run between batches (synchronous tasks never yield otherwise), so a
      // signal handler (SIGTERM) runs as soon as the results of the batch are saved.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    clearInterval(timer);
    lock.release();
  }
  return { shard, ran, skipped, failed };
}

/**
 * Outcomes of `entries`, together with `runBatch` or one by one with `run`; a `runBatch` that
 * throws is followed by `run` per entry, and a `run` that throws is that entry's failure.
 */
async function runEntries(
  task: SweepTask,
  entries: readonly SweepTaskEntry[],
  batched: boolean,
  context: SweepRunContext,
): Promise<SweepTaskOutcome[]> {
  const failure = (e: unknown, id: number, stage: string): SweepTaskOutcome => ({
    status: "failed",
    reason: `${(e as Error).name}: ${(e as Error).message}`,
    where: { task: id, stage },
  });
  if (batched && task.runBatch) {
    try {
      const outcomes = await task.runBatch(
        entries.map((e) => ({ params: e.params, seed: e.seed })),
        context,
      );
      if (outcomes.length === entries.length) return [...outcomes];
      const e = new Error(`runBatch returned ${outcomes.length} outcomes for ${entries.length} tasks`);
      return entries.map((entry) => failure(e, entry.id, "runBatch"));
    } catch {
      // One bad item (e.g. a refused parameter) throws for the whole batch: run the items one
      // by one so that each gets its own outcome and the others' results are not lost.
    }
  }
  const outcomes: SweepTaskOutcome[] = [];
  for (const entry of entries) {
    try {
      outcomes.push(await task.run(entry.params, entry.seed, context));
    } catch (e) {
      outcomes.push(failure(e, entry.id, "run"));
    }
  }
  return outcomes;
}
