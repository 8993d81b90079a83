/**
 * The backend a sweep's shards simulate on, from a `--backend` name: a registered backend as it
 * is, or `auto` (src/backend/choose-backend.ts) calibrated on the first batch of the shard's
 * tasks (the plan's first tasks when no shard is given), as the task's `workload` gives it. A
 * task kind that runs on no tensor backend gets the cpu backend.
 */
import type { BackendChoice } from "../../backend/auto.ts";
import type { Backend } from "../../backend/backend.ts";
import { type ChooseBackendOptions, chooseBackend } from "../../backend/choose-backend.ts";
import { loadPlan, shardTasks } from "./plan-file.ts";
import { requireBackendForTask } from "./run-shard.ts";
import { resolveSweepTask } from "./tasks/index.ts";

export async function chooseSweepBackend(
  fn: string,
  dir: string,
  name: string,
  shard?: number,
  options: ChooseBackendOptions = {},
): Promise<{ backend: Backend; choice: BackendChoice | null }> {
  const plan = loadPlan(dir);
  const task = resolveSweepTask(fn, plan.task, plan.rule);
  requireBackendForTask(fn, task, name);
  const workload = () => {
    if (!task.usesBackend || !task.workload) return null;
    const ids = shard === undefined ? plan.tasks.map((t) => t.id) : shardTasks(dir, plan, shard);
    const first = ids.slice(0, Math.max(1, Math.floor(task.batchSize ?? 1))).map((id) => plan.tasks[id]!);
    return first.length === 0 ? null : task.workload(first.map((e) => ({ params: e.params, seed: e.seed })));
  };
  return chooseBackend(fn, name, workload, options);
}
