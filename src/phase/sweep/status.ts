/**
 * What a sweep directory holds: finished, failed and missing tasks, overall and per shard, result
 * files that are not complete results, and the command that runs what is left: the `sbatch
 * --array=...` line for a sweep with a Slurm script (so the rest runs on the cluster, not on a
 * login node), `learndyn sweep run DIR` otherwise.
 */
import { existsSync, readFileSync } from "node:fs";
import { sbatchPath } from "./layout.ts";
import { loadPlan, type SweepPlan } from "./plan-file.ts";
import { resultState } from "./results.ts";

export interface SweepStatus {
  readonly planHash: string;
  readonly tasks: number;
  readonly finished: number;
  readonly failed: number;
  readonly missing: number;
  /** Unfinished task ids per shard (shards with none are left out). */
  readonly unfinished: Record<number, number[]>;
  /** Result files that are not complete results (counted as missing), with why. */
  readonly invalid: Record<number, string>;
}

/** Reads every result file (refusing ones from another plan). */
export function sweepStatus(dir: string, plan: SweepPlan = loadPlan(dir)): SweepStatus {
  let finished = 0;
  let failed = 0;
  const unfinished: Record<number, number[]> = {};
  const invalid: Record<number, string> = {};
  for (const task of plan.tasks) {
    const r = resultState(dir, plan, task.id);
    if (r.state === "finished") {
      finished++;
      if (r.result.status === "failed") failed++;
      continue;
    }
    if (r.state === "invalid") invalid[task.id] = r.reason;
    const ids = unfinished[task.shard] ?? [];
    ids.push(task.id);
    unfinished[task.shard] = ids;
  }
  return {
    planHash: plan.hash,
    tasks: plan.tasks.length,
    finished,
    failed,
    missing: plan.tasks.length - finished,
    unfinished,
    invalid,
  };
}

/** Sorted integers as Slurm array ranges: [0, 2, 3, 4, 7] → "0,2-4,7". */
export function arrayRanges(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** Shell quoting for one word (left bare when it needs none). */
const shellWord = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The command that runs the unfinished shards of `status`, or null when none are left: with a
 * Slurm script in `dir`, `sbatch --array=<unfinished shards>[%N] DIR/sweep.sbatch` (the
 * command-line --array overrides the script's; %N, the script's concurrency bound, is kept);
 * otherwise `learndyn sweep run DIR`.
 */
export function resumeCommand(dir: string, status: SweepStatus): string | null {
  const shards = Object.keys(status.unfinished).map(Number);
  if (shards.length === 0) return null;
  const script = sbatchPath(dir);
  if (!existsSync(script)) return `learndyn sweep run ${shellWord(dir)}`;
  const bound = /^#SBATCH --array=\S*?(%\d+)\s*$/m.exec(readFileSync(script, "utf8"))?.[1] ?? "";
  return `sbatch --array=${arrayRanges(shards)}${bound} ${shellWord(script)}`;
}
