/**
 * One result file per task, written atomically, stamped with the plan hash. A task whose file
 * exists is finished and is never run again; a file stamped with another plan's hash is refused.
 */
import { existsSync, readFileSync } from "node:fs";
import { writeJson } from "../../util/io.ts";
import { resultPath } from "./layout.ts";
import { PlanMismatchError, type SweepPlan, type SweepTaskEntry } from "./plan-file.ts";
import type { JsonValue, SweepParams, SweepTaskOutcome } from "./task.ts";

export type TaskResult = SweepTaskOutcome & {
  readonly planHash: string;
  readonly id: number;
  readonly seed: number;
  readonly params: SweepParams;
  /** Wall time of the task, and the process that ran it (not part of merged output). */
  readonly elapsedMs: number;
  readonly pid: number;
};

/** The stored result of task `id`, or null when it has not finished. */
export function readResult(dir: string, plan: SweepPlan, id: number): TaskResult | null {
  const path = resultPath(dir, id);
  if (!existsSync(path)) return null;
  let result: TaskResult;
  try {
    result = JSON.parse(readFileSync(path, "utf8")) as TaskResult;
  } catch (e) {
    throw new PlanMismatchError(
      `readResult: ${path} is not valid JSON (${(e as Error).message}); remove it to rerun`,
    );
  }
  if (result.planHash !== plan.hash || result.id !== id) {
    throw new PlanMismatchError(
      `readResult: ${path} belongs to another plan (hash ${String(result.planHash).slice(0, 12)}, plan ${plan.hash.slice(0, 12)}); use a fresh directory for a new plan`,
    );
  }
  return result;
}

/** Writes the result of one task atomically. */
export function writeResult(
  dir: string,
  plan: SweepPlan,
  task: SweepTaskEntry,
  outcome: SweepTaskOutcome,
  elapsedMs: number,
): TaskResult {
  const result = {
    planHash: plan.hash,
    id: task.id,
    seed: task.seed,
    params: task.params,
    ...outcome,
    elapsedMs,
    pid: process.pid,
  } as TaskResult;
  writeJson(resultPath(dir, task.id), result as unknown as JsonValue);
  return result;
}
