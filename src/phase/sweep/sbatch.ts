/**
 * A Slurm job-array script for a planned sweep: array task i runs shard i
 * (`node --import tsx src/phase/sweep/shard-main.ts DIR $SLURM_ARRAY_TASK_ID`), each in its own
 * process on whatever node Slurm gives it. Resubmitting the same script after a failure or a
 * time-out resumes the sweep: finished tasks are skipped. Then `learndyn sweep merge DIR`.
 *
 * Paths may contain spaces and `%`: the #SBATCH paths are double-quoted (Slurm's own quoting) with
 * `%` written `%%` (Slurm expands `%` patterns in --output/--error); a path with a double quote,
 * a backslash (which turns Slurm's patterns off) or a line break is refused. Logs are named by job
 * and array task (logs/shard-%a.job-%A.out), so a resubmission does not overwrite earlier logs.
 * `setup` lines (e.g. `module load nodejs`) run before node is looked for.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { requireDtypeFor } from "../../backend/choose-backend.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { writeFileAtomic } from "../../util/io.ts";
import { nodeArgsFor, PACKAGE_ROOT } from "../../util/package-root.ts";
import { logsDir, sbatchPath } from "./layout.ts";
import { loadPlan } from "./plan-file.ts";
import { requireBackendForTask } from "./run-shard.ts";
import { SHARD_MAIN } from "./run-sweep.ts";
import { onSweepFile } from "./sweep-files.ts";
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
  /** The element type of that backend (a named backend only; default its own). */
  dtype?: string;
  /** Shell lines run before the shard starts, e.g. "module load nodejs" (environment setup). */
  setup?: readonly string[];
  /** Go on when the sweep's results come from other code (see code-record.ts). */
  acceptCodeChange?: boolean;
}

/**
 * A literal path for a #SBATCH filename (to be double-quoted): `%` escaped as `%%`. Slurm's
 * quoting has no escape for `"`, and a backslash disables its filename patterns, so both are
 * refused.
 */
export function slurmLiteralPath(fn: string, path: string): string {
  if (/["\\\n\r]/.test(path)) {
    throw new InvalidArgumentError(
      fn,
      "sweep directory",
      "a path without double quotes, backslashes or line breaks (Slurm's #SBATCH lines cannot carry them)",
      path,
    );
  }
  return path.replace(/%/g, "%%");
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const SAFE = /^[A-Za-z0-9_.:-]+$/;

/** The script text for the sweep in `dir`. */
export function sbatchScript(dir: string, options: SbatchOptions = {}): string {
  const absDir = resolve(dir);
  const plan = loadPlan(absDir);
  for (const key of ["partition", "account", "time", "memory", "backend", "dtype"] as const) {
    const v = options[key];
    if (v !== undefined && !SAFE.test(v)) {
      throw new InvalidArgumentError("sbatchScript", key, "letters, digits and _.:-", v);
    }
  }
  const task = resolveSweepTask("sbatchScript", plan.task, plan.rule);
  if (options.backend !== undefined) requireBackendForTask("sbatchScript", task, options.backend);
  if (options.dtype !== undefined) requireDtypeFor("sbatchScript", options.backend ?? "auto", options.dtype);
  const cpus = options.cpusPerTask ?? 1;
  if (!Number.isInteger(cpus) || cpus < 1)
    throw new InvalidArgumentError("sbatchScript", "cpusPerTask", "a positive integer", cpus);
  const max = options.maxConcurrent;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new InvalidArgumentError("sbatchScript", "maxConcurrent", "a positive integer", max);
  }
  const setup = options.setup ?? [];
  for (const line of setup) {
    if (/[\n\r]/.test(line))
      throw new InvalidArgumentError("sbatchScript", "setup", "one line per entry", line);
  }
  const node = quote(options.node ?? "node");
  const logs = slurmLiteralPath("sbatchScript", logsDir(absDir));
  const lines = [
    "#!/bin/bash",
    `# learndyn sweep ${plan.task}: ${plan.tasks.length} tasks in ${plan.shards} shards (plan ${plan.hash.slice(0, 12)}).`,
    "# Submit with sbatch; resubmit to resume (finished tasks are skipped); then run",
    `# learndyn sweep merge ${absDir}`,
    `#SBATCH --job-name=learndyn-${plan.task}-${plan.hash.slice(0, 8)}`,
    `#SBATCH --array=0-${plan.shards - 1}${max !== undefined ? `%${max}` : ""}`,
    `#SBATCH --output="${logs}/shard-%a.job-%A.out"`,
    `#SBATCH --error="${logs}/shard-%a.job-%A.err"`,
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --mem=${options.memory ?? "2G"}`,
    `#SBATCH --time=${options.time ?? "01:00:00"}`,
    ...(options.partition ? [`#SBATCH --partition=${options.partition}`] : []),
    ...(options.account ? [`#SBATCH --account=${options.account}`] : []),
    ...(setup.length ? ["# environment setup", ...setup] : []),
    "set -euo pipefail",
    `command -v ${node} >/dev/null || { echo "learndyn: no node on $(hostname):" ${node} "(use sweep sbatch --node PATH or --setup 'module load ...')" >&2; exit 2; }`,
    `cd ${quote(PACKAGE_ROOT)}`,
    `exec ${[node, ...nodeArgsFor(SHARD_MAIN).map(quote), quote(SHARD_MAIN)].join(" ")} ${quote(absDir)} "$SLURM_ARRAY_TASK_ID" ${quote(options.backend ?? "auto")}${options.dtype !== undefined ? ` --dtype ${quote(options.dtype)}` : ""}${options.acceptCodeChange ? " --accept-code-change" : ""}`,
    "",
  ];
  return lines.join("\n");
}

/** Writes DIR/sweep.sbatch, creates DIR/logs (Slurm does not), and returns the script's path. */
export function writeSbatch(dir: string, options: SbatchOptions = {}): string {
  const path = sbatchPath(resolve(dir));
  const text = sbatchScript(dir, options);
  onSweepFile("writeSbatch", "write", path, () => writeFileAtomic(path, text));
  onSweepFile("writeSbatch", "create", logsDir(resolve(dir)), () =>
    mkdirSync(logsDir(resolve(dir)), { recursive: true }),
  );
  return path;
}
