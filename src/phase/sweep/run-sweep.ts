/**
 * Runs a planned sweep on this machine: each shard with unfinished tasks runs as its own child
 * process (`node --import tsx shard-main.ts DIR SHARD`), at most `workers` at a time, with a
 * progress bar (rate and ETA) over the tasks. A shard process that dies is reported with its
 * exit code and the end of its stderr; its finished tasks stay finished, and running the sweep
 * again resumes it. Each shard process is tied to this runner: it dies when the runner dies
 * (shard-guard.ts), and a shard locked by another live runner is left to it (exit code 3,
 * reported with who holds it). `backend` (a registered backend name, default cpu) is handed to every shard
 * process; a shard that loses its GPU device goes on on the CPU, and each result records the
 * backend that produced it.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "../../util/errors.ts";
import { entryBeside, nodeArgsFor, PACKAGE_ROOT } from "../../util/package-root.ts";
import { type ProgressOptions, progressBar } from "../../util/progress.ts";
import { loadPlan } from "./plan-file.ts";
import { requireBackendForTask } from "./run-shard.ts";
import { sweepStatus } from "./status.ts";
import { resolveSweepTask } from "./tasks/index.ts";

/** The shard entry point (source or compiled, like this module). */
export const SHARD_MAIN = fileURLToPath(entryBeside(import.meta.url, "./shard-main"));
/** The package root, where shard processes start. */
export { PACKAGE_ROOT };

export interface RunSweepOptions {
  /** Child processes at a time (default: the number of CPUs). */
  workers?: number;
  /** Only these shards (default: every shard with unfinished tasks). */
  shards?: readonly number[];
  progress?: ProgressOptions;
  /** Backend name for the shard processes (default "cpu"). */
  backend?: string;
  /** The element type that backend computes in (default its own; see registry.ts). */
  dtype?: string;
  /** Go on when the sweep's results come from other code (see code-record.ts). */
  acceptCodeChange?: boolean;
}

/** Exit code of a shard process whose shard another live process runs. */
export const SHARD_LOCKED_EXIT = 3;

export interface ShardProcess {
  readonly shard: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Tasks it ran (the results it reported). */
  readonly tasks: number;
  /** The last 2000 characters of its stderr. */
  readonly stderr: string;
}

export interface RunSweepSummary {
  readonly tasks: number;
  /** Finished before this run started (not redone). */
  readonly finishedBefore: number;
  /** Finished by this run. */
  readonly ran: number;
  readonly failedTasks: number;
  readonly missing: number;
  readonly processes: ShardProcess[];
}

/** Runs the sweep in `dir` (see module comment). */
export async function runSweep(dir: string, options: RunSweepOptions = {}): Promise<RunSweepSummary> {
  const absDir = resolve(dir);
  const plan = loadPlan(absDir);
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InvalidArgumentError("runSweep", "workers", "a positive integer", workers);
  }
  for (const s of options.shards ?? []) {
    if (!Number.isInteger(s) || s < 0 || s >= plan.shards) {
      throw new InvalidArgumentError("runSweep", "shards", `integers in [0, ${plan.shards - 1}]`, s);
    }
  }
  requireBackendForTask(
    "runSweep",
    resolveSweepTask("runSweep", plan.task, plan.rule),
    options.backend ?? "cpu",
  );
  const before = sweepStatus(absDir, plan);
  const wanted = new Set(options.shards ?? plan.tasks.map((t) => t.shard));
  const queue = Object.keys(before.unfinished)
    .map(Number)
    .filter((s) => wanted.has(s));
  const total = queue.reduce((n, s) => n + before.unfinished[s]!.length, 0);
  const bar = progressBar(`sweep ${plan.task}`, total, options.progress);
  const processes: ShardProcess[] = [];

  const runOne = (shard: number) =>
    new Promise<void>((done) => {
      const args = [
        ...[...nodeArgsFor(SHARD_MAIN), SHARD_MAIN, absDir, String(shard), options.backend ?? "cpu"],
        ...["--parent", String(process.pid)],
        ...(options.dtype !== undefined ? ["--dtype", options.dtype] : []),
        ...(options.acceptCodeChange ? ["--accept-code-change"] : []),
      ];
      const child = spawn(process.execPath, args, {
        cwd: PACKAGE_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      let tasks = 0;
      child.stderr.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (line.startsWith('{"event":"task"')) {
          tasks++;
          bar.tick();
        }
      });
      child.on("close", (exitCode, signal) => {
        processes.push({ shard, exitCode, signal, tasks, stderr });
        done();
      });
    });

  const lanes = Array.from({ length: Math.min(workers, queue.length) }, async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) await runOne(s);
  });
  await Promise.all(lanes);
  bar.done();
  const after = sweepStatus(absDir, plan);
  processes.sort((a, b) => a.shard - b.shard);
  return {
    tasks: plan.tasks.length,
    finishedBefore: before.finished,
    ran: after.finished - before.finished,
    failedTasks: after.failed,
    missing: after.missing,
    processes,
  };
}
