/**
 * Runs the unfinished tasks of one shard in this process, writing each result atomically as it
 * finishes (task kinds with `runBatch` run `batchSize` tasks at a time, and their results are
 * written when the batch finishes). A task that throws or fails is recorded as failed (with the
 * reason and where) and the shard goes on; finished tasks are skipped, so a killed shard resumes
 * where it stopped.
 */
import { performance } from "node:perf_hooks";
import { InvalidArgumentError } from "../../util/errors.ts";
import { loadPlan, type SweepTaskEntry, shardTasks } from "./plan-file.ts";
import { readResult, type TaskResult, writeResult } from "./results.ts";
import type { SweepTask, SweepTaskOutcome } from "./task.ts";
import { sweepTasks } from "./tasks/index.ts";

export interface ShardSummary {
  readonly shard: number;
  readonly ran: number;
  readonly skipped: number;
  readonly failed: number;
}

/** Runs shard `shard` of the sweep in `dir`; `onTask` hears of each task run. */
export async function runShard(
  dir: string,
  shard: number,
  onTask?: (result: TaskResult) => void,
): Promise<ShardSummary> {
  const plan = loadPlan(dir);
  const task = sweepTasks[plan.task];
  if (!task) {
    throw new InvalidArgumentError(
      "runShard",
      "plan.task",
      `a registered task kind (${Object.keys(sweepTasks).join(", ")})`,
      plan.task,
    );
  }
  const ids = shardTasks(dir, plan, shard);
  const todo = ids.filter((id) => !readResult(dir, plan, id));
  const skipped = ids.length - todo.length;
  const batchSize = task.runBatch ? Math.max(1, Math.floor(task.batchSize ?? 1)) : 1;
  let ran = 0;
  let failed = 0;
  for (let first = 0; first < todo.length; first += batchSize) {
    const entries = todo.slice(first, first + batchSize).map((id) => plan.tasks[id]!);
    const start = performance.now();
    const outcomes = await runEntries(task, entries, batchSize > 1);
    // A batch's wall time is shared equally by its tasks.
    const elapsed = (performance.now() - start) / entries.length;
    entries.forEach((entry, i) => {
      const result = writeResult(dir, plan, entry, outcomes[i]!, elapsed);
      ran++;
      if (result.status === "failed") failed++;
      onTask?.(result);
    });
  }
  return { shard, ran, skipped, failed };
}

/** Outcomes of `entries`, one by one with `run` or together with `runBatch`; throws become failures. */
async function runEntries(
  task: SweepTask,
  entries: readonly SweepTaskEntry[],
  batched: boolean,
): Promise<SweepTaskOutcome[]> {
  const failure = (e: unknown, id: number, stage: string): SweepTaskOutcome => ({
    status: "failed",
    reason: `${(e as Error).name}: ${(e as Error).message}`,
    where: { task: id, stage },
  });
  if (batched && task.runBatch) {
    try {
      const outcomes = await task.runBatch(entries.map((e) => ({ params: e.params, seed: e.seed })));
      if (outcomes.length === entries.length) return [...outcomes];
      const e = new Error(`runBatch returned ${outcomes.length} outcomes for ${entries.length} tasks`);
      return entries.map((entry) => failure(e, entry.id, "runBatch"));
    } catch (e) {
      return entries.map((entry) => failure(e, entry.id, "runBatch"));
    }
  }
  const outcomes: SweepTaskOutcome[] = [];
  for (const entry of entries) {
    try {
      outcomes.push(await task.run(entry.params, entry.seed));
    } catch (e) {
      outcomes.push(failure(e, entry.id, "run"));
    }
  }
  return outcomes;
}
