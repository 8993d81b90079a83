/**
 * The files of a sweep directory:
 *   plan.json                the plan, with the content hash of everything else in it
 *   shards/shard-0003.json   the tasks of shard 3 (with the plan hash)
 *   results/task-000012.json the result of task 12 (with the plan hash), written atomically
 *   locks/shard-0003.lock    who runs shard 3 now (pid, host, start; its mtime is the heartbeat)
 *   code.json                the code versions whose results the sweep accepts
 *   merged.json, merged.csv  written by merge
 *   sweep.sbatch, logs/      written by sbatch (Slurm job array)
 */
import { join } from "node:path";

export const planPath = (dir: string) => join(dir, "plan.json");
export const shardsDir = (dir: string) => join(dir, "shards");
export const shardPath = (dir: string, shard: number) =>
  join(shardsDir(dir), `shard-${String(shard).padStart(4, "0")}.json`);
export const resultsDir = (dir: string) => join(dir, "results");
export const resultPath = (dir: string, id: number) =>
  join(resultsDir(dir), `task-${String(id).padStart(6, "0")}.json`);
export const lockPath = (dir: string, shard: number) =>
  join(dir, "locks", `shard-${String(shard).padStart(4, "0")}.lock`);
export const codePath = (dir: string) => join(dir, "code.json");
export const mergedJsonPath = (dir: string) => join(dir, "merged.json");
export const mergedCsvPath = (dir: string) => join(dir, "merged.csv");
export const sbatchPath = (dir: string) => join(dir, "sweep.sbatch");
export const logsDir = (dir: string) => join(dir, "logs");
