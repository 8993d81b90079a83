/**
 * Runs the unfinished tasks of one shard in this process, writing each result atomically as it
 * finishes. A task that throws or fails is recorded as failed (with the reason and where) and
 * the shard goes on; finished tasks are skipped, so a killed shard resumes where it stopped.
 */
import { performance } from "node:perf_hooks";
import { InvalidArgumentError } from "../../util/errors.ts";
import { loadPlan, shardTasks } from "./plan-file.ts";
import { readResult, type TaskResult, writeResult } from "./results.ts";
import type { SweepTaskOutcome } from "./task.ts";
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
  let ran = 0;
  let skipped = 0;
  let failed = 0;
  for (const id of ids) {
    if (readResult(dir, plan, id)) {
      skipped++;
      continue;
    }
    const entry = plan.tasks[id]!;
    const start = performance.now();
    let outcome: SweepTaskOutcome;
    try {
      outcome = await task.run(entry.params, entry.seed);
    } catch (e) {
      outcome = {
        status: "failed",
        reason: `${(e as Error).name}: ${(e as Error).message}`,
        where: { task: id, stage: "run" },
      };
    }
    const result = writeResult(dir, plan, entry, outcome, performance.now() - start);
    ran++;
    if (result.status === "failed") failed++;
    onTask?.(result);
  }
  return { shard, ran, skipped, failed };
}
