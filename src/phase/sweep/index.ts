/** Sweeps: plan a grid x seeds into shards, run shards as processes, resume, merge. */

export * from "./code-record.ts";
export * from "./derive.ts";
export * from "./grid.ts";
export * from "./layout.ts";
export * from "./merge.ts";
export * from "./plan.ts";
export * from "./plan-file.ts";
export * from "./results.ts";
export * from "./run-shard.ts";
export * from "./run-sweep.ts";
export * from "./sbatch.ts";
export * from "./shard-lock.ts";
export * from "./status.ts";
export * from "./sweep-files.ts";
export * from "./task.ts";
export { resolveSweepTask, ruleSweepTasks, sweepTaskNames, sweepTasks } from "./tasks/index.ts";
