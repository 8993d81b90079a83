/**
 * Planning a sweep: the grid (after derived parameters) times the seeds gives the tasks, dealt
 * round-robin into shards; the plan is hashed (see plan-file.ts).
 */
import { BoundExceededError, InvalidArgumentError, requirePositiveInteger } from "../../util/errors.ts";
import { applyDerivations, type Derivation, symbolsOf } from "./derive.ts";
import { type GridAxis, gridPoints } from "./grid.ts";
import { contentHash, PLAN_FORMAT, type SweepPlan, type SweepTaskEntry } from "./plan-file.ts";
import type { SweepParams, SweepRule } from "./task.ts";
import { resolveSweepTask } from "./tasks/index.ts";

export interface SweepSpec {
  /** A task kind (sweepTaskNames). */
  task: string;
  /** The rule of a rule task kind ("network-rule"); stored in the plan and hashed with it. */
  rule?: SweepRule;
  grid: readonly GridAxis[];
  /** Fixed parameters given to every task (and to derivations). */
  constants?: SweepParams;
  derived?: readonly Derivation[];
  /** Number of seeds per grid point (seeds seed0, ..., seed0 + seeds - 1). */
  seeds: number;
  seed0?: number;
  shards: number;
}

const FN = "planSweep";

/** Largest number of tasks in one plan (its JSON stays within a few hundred MB). */
export const MAX_TASKS = 1_000_000;

/** Builds the plan (pure: writes nothing). */
export function planSweep(spec: SweepSpec): SweepPlan {
  const task = resolveSweepTask(FN, spec.task, spec.rule);
  const seedCount = requirePositiveInteger(FN, "seeds", spec.seeds);
  const shards = requirePositiveInteger(FN, "shards", spec.shards);
  const seed0 = spec.seed0 ?? 0;
  if (!Number.isSafeInteger(seed0)) throw new InvalidArgumentError(FN, "seed0", "an integer", seed0);
  const constants = { ...(spec.constants ?? {}) };
  const derived = [...(spec.derived ?? [])];
  for (const [k, v] of Object.entries(constants)) {
    if (typeof v === "number" ? !Number.isFinite(v) : typeof v !== "string") {
      throw new InvalidArgumentError(FN, `constant ${k}`, "a finite number or a name", v);
    }
  }
  // Every name must be defined once, and read by the task or by a derivation (catches typos).
  const names = [...Object.keys(constants), ...spec.grid.map((a) => a.name), ...derived.map((d) => d.name)];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate)
    throw new InvalidArgumentError(FN, duplicate, "defined once (constant, grid axis or derived)", duplicate);
  const declared = new Set(task.parameters.map((p) => p.name));
  const readByDerivations = new Set(derived.flatMap((d) => symbolsOf(d.expression, d.name)));
  for (const n of names) {
    if (!declared.has(n) && !readByDerivations.has(n)) {
      throw new InvalidArgumentError(
        FN,
        n,
        `a parameter of task "${task.name}" (${[...declared].join(", ")}) or read by a derivation`,
        n,
      );
    }
  }
  for (const p of task.parameters) {
    if (p.required && !names.includes(p.name)) {
      throw new InvalidArgumentError(
        FN,
        p.name,
        `given (required by task "${task.name}": ${p.description})`,
        "nothing",
      );
    }
  }
  // Counted before anything is built, so a typo such as count 1e9 is refused instead of
  // exhausting memory (each task is one entry of the plan file).
  const taskCount = spec.grid.reduce((n, axis) => n * axis.values.length, 1) * seedCount;
  if (taskCount > MAX_TASKS) {
    throw new BoundExceededError(FN, "tasks (grid points × seeds)", MAX_TASKS, taskCount);
  }
  const seeds = Array.from({ length: seedCount }, (_, i) => seed0 + i);
  const tasks: SweepTaskEntry[] = [];
  for (const point of gridPoints(spec.grid)) {
    const params = applyDerivations({ ...constants, ...point }, derived);
    try {
      task.check?.(params);
    } catch (e) {
      throw new InvalidArgumentError(
        FN,
        "grid point",
        `parameters task "${task.name}" accepts`,
        params,
        (e as Error).message,
      );
    }
    for (const seed of seeds) {
      const id = tasks.length;
      tasks.push({ id, shard: id % shards, seed, params });
    }
  }
  const body = {
    format: PLAN_FORMAT,
    task: task.name,
    ...(spec.rule ? { rule: { ref: spec.rule.ref, text: spec.rule.text } } : {}),
    grid: spec.grid,
    constants,
    derived,
    seeds,
    shards,
    tasks,
  };
  return { ...body, hash: contentHash(body) };
}
