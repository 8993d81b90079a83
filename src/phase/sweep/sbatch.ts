/**
 * A Slurm job-array script for a planned sweep: array task i runs shard i
 * (`node --import tsx src/phase/sweep/shard-main.ts DIR $SLURM_ARRAY_TASK_ID`), each in its own
 * process on whatever node Slurm gives it. Resubmitting the same script after a failure or a
 * time-out resumes the sweep: finished tasks are skipped. Then `learndyn sweep merge DIR`.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "../../util/errors.ts";
import { writeFileAtomic } from "../../util/io.ts";
import { logsDir, sbatchPath } from "./layout.ts";
import { loadPlan } from "./plan-file.ts";
import { requireBackendForTask } from "./run-shard.ts";
import { nodeArgsFor, PACKAGE_ROOT } from "../../util/package-root.ts";
import { SHARD_MAIN } from "./run-sweep.ts";
import { resolveSweepTask } from "./tasks/index.ts";

export interface SbatchOptions {
  /** Slurm partition (--partition). */
  partition?: string;
  /** Slurm account (--account). */
  account?: string;
  /** Wall-time limit per array task, e.g. "02:00:00" (--time). Default "01:00:00". */
  time?: string;
  /** CPUs per array task (default 1). */
  cpusPerTask?: number;
  /** Memory per array task, e.g. "2G" (--mem). Default "2G". */
  memory?: string;
  /** At most this many array tasks at once (the %N of --array). */
  maxConcurrent?: number;
  /** The node executable on the cluster (default "node"). */
  node?: string;
  /** Backend name the shards simulate on (default "auto": each array task chooses on its node). */
  backend?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const SAFE = /^[A-Za-z0-9_.:-]+$/;

/** The script text for the sweep in `dir`. */
export function sbatchScript(dir: string, options: SbatchOptions = {}): string {
  const absDir = resolve(dir);
  const plan = loadPlan(absDir);
  for (const key of ["partition", "account", "time", "memory", "backend"] as const) {
    const v = options[key];
    if (v !== undefined && !SAFE.test(v)) {
      throw new InvalidArgumentError("sbatchScript", key, "letters, digits and _.:-", v);
    }
  }
  const task = resolveSweepTask("sbatchScript", plan.task, plan.rule);
  if (options.backend !== undefined) requireBackendForTask("sbatchScript", task, options.backend);
  const cpus = options.cpusPerTask ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1)
    throw new InvalidArgumentError("sbatchScript", "cpusPerTask", "a positive integer", cpus);
  const max = options.maxConcurrent;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new InvalidArgumentError("sbatchScript", "maxConcurrent", "a positive integer", max);
  }
  const lines = [
    "#!/bin/bash",
    `# learndyn sweep ${plan.task}: ${plan.tasks.length} tasks in ${plan.shards} shards (plan ${plan.hash.slice(0, 12)}).`,
    "# Submit with sbatch; resubmit to resume (finished tasks are skipped); then run",
    `# learndyn sweep merge ${absDir}`,
    `#SBATCH --job-name=learndyn-${plan.task}-${plan.hash.slice(0, 8)}`,
    `#SBATCH --array=0-${plan.shards - 1}${max !== undefined ? `%${max}` : ""}`,
    `#SBATCH --output=${logsDir(absDir)}/shard-%a.out`,
    `#SBATCH --error=${logsDir(absDir)}/shard-%a.err`,
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --mem=${options.memory ?? "2G"}`,
    `#SBATCH --time=${options.time ?? "01:00:00"}`,
    ...(options.partition ? [`#SBATCH --partition=${options.partition}`] : []),
    ...(options.account ? [`#SBATCH --account=${options.account}`] : []),
    "set -euo pipefail",
    `cd ${quote(PACKAGE_ROOT)}`,
    `exec ${[options.node ?? "node", ...nodeArgsFor(SHARD_MAIN), SHARD_MAIN].map(quote).join(" ")} ${quote(absDir)} "$SLURM_ARRAY_TASK_ID" ${quote(options.backend ?? "auto")}`,
    "",
  ];
  return lines.join("\n");
}

/** Writes DIR/sweep.sbatch, creates DIR/logs (Slurm does not), and returns the script's path. */
export function writeSbatch(dir: string, options: SbatchOptions = {}): string {
  const path = sbatchPath(resolve(dir));
  writeFileAtomic(path, sbatchScript(dir, options));
  mkdirSync(logsDir(resolve(dir)), { recursive: true });
  return path;
}
