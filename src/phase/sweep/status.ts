/** What a sweep directory holds: finished, failed and missing tasks, overall and per shard. */
import { loadPlan, type SweepPlan } from "./plan-file.ts";
import { readResult } from "./results.ts";

export interface SweepStatus {
  readonly planHash: string;
  readonly tasks: number;
  readonly finished: number;
  readonly failed: number;
  readonly missing: number;
  /** Unfinished task ids per shard (shards with none are left out). */
  readonly unfinished: Record<number, number[]>;
}

/** Reads every result file (refusing ones from another plan). */
export function sweepStatus(dir: string, plan: SweepPlan = loadPlan(dir)): SweepStatus {
  let finished = 0;
  let failed = 0;
  const unfinished: Record<number, number[]> = {};
  for (const task of plan.tasks) {
    const r = readResult(dir, plan, task.id);
    if (r) {
      finished++;
      if (r.status === "failed") failed++;
    } else {
      const ids = unfinished[task.shard] ?? [];
      ids.push(task.id);
      unfinished[task.shard] = ids;
    }
  }
  return {
    planHash: plan.hash,
    tasks: plan.tasks.length,
    finished,
    failed,
    missing: plan.tasks.length - finished,
    unfinished,
  };
}
