/**
 * One result file per task, written atomically, stamped with the plan hash and the code version
 * that produced it. A task whose file holds a complete result is finished and is never run again;
 * a file stamped with another plan's hash is refused; a file that is not a complete result (not
 * JSON, or fields missing or of the wrong type) is not a finished task: status and merge count it
 * as missing, and the runner runs the task again and overwrites it.
 */
import { existsSync } from "node:fs";
import { type CodeVersion, codeVersion } from "../../util/code-version.ts";
import { resultPath } from "./layout.ts";
import { canonicalJson, PlanMismatchError, type SweepPlan, type SweepTaskEntry } from "./plan-file.ts";
import { isRecord, readJsonFile, writeSweepJson } from "./sweep-files.ts";
import type { SweepParams, SweepTaskOutcome } from "./task.ts";

export type TaskResult = SweepTaskOutcome & {
  readonly planHash: string;
  readonly id: number;
  readonly seed: number;
  readonly params: SweepParams;
  /** Wall time of the task, and the process that ran it (not part of merged output). */
  readonly elapsedMs: number;
  readonly pid: number;
  /** The code that produced the result (absent in results written before it was recorded). */
  readonly code?: CodeVersion;
};

/** What the result file of one task holds. */
export type ResultState =
  | { readonly state: "finished"; readonly result: TaskResult }
  | { readonly state: "missing" }
  | { readonly state: "invalid"; readonly reason: string };

/** Why `r` is not a complete result of `task` in `plan`, or null when it is one. */
function incompleteness(r: Record<string, unknown>, task: SweepTaskEntry): string | null {
  if (typeof r.seed !== "number" || r.seed !== task.seed)
    return `seed is ${r.seed}, the plan's is ${task.seed}`;
  if (!isRecord(r.params) || canonicalJson(r.params) !== canonicalJson(task.params))
    return "params differ from the plan's";
  if (r.status === "ok") return isRecord(r.values) ? null : "status ok without values";
  if (r.status === "failed") {
    if (typeof r.reason !== "string") return "status failed without a reason";
    if (!isRecord(r.where)) return "status failed without where";
    if (r.values !== undefined && !isRecord(r.values)) return "values is not an object";
    return null;
  }
  return `status is ${JSON.stringify(r.status)}, not "ok" or "failed"`;
}

/** The state of the result file of task `id` (see module comment). */
export function resultState(dir: string, plan: SweepPlan, id: number): ResultState {
  const path = resultPath(dir, id);
  if (!existsSync(path)) return { state: "missing" };
  const read = readJsonFile(path);
  if ("error" in read) return { state: read.error === "missing" ? "missing" : "invalid", reason: read.error };
  const r = read.value;
  if (!isRecord(r)) return { state: "invalid", reason: "not a JSON object" };
  if (r.planHash !== plan.hash) {
    throw new PlanMismatchError(
      `readResult: ${path} belongs to another plan (its hash ${String(r.planHash).slice(0, 12)}, plan.json's ${plan.hash.slice(0, 12)}); use a fresh directory for a new plan`,
    );
  }
  if (r.id !== id) return { state: "invalid", reason: `its id is ${JSON.stringify(r.id)}, not ${id}` };
  const why = incompleteness(r, plan.tasks[id]!);
  return why ? { state: "invalid", reason: why } : { state: "finished", result: r as unknown as TaskResult };
}

/** The stored result of task `id`, or null when it has not finished (missing or invalid file). */
export function readResult(dir: string, plan: SweepPlan, id: number): TaskResult | null {
  const s = resultState(dir, plan, id);
  return s.state === "finished" ? s.result : null;
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
    code: codeVersion(),
  } as TaskResult;
  writeSweepJson("writeResult", resultPath(dir, task.id), result);
  return result;
}
