/**
 * The plan file of a sweep and its content hash: reading, writing and checking plan.json and the
 * shard files. Every shard and result file carries the plan hash, so files from another plan are
 * recognised and refused. (Kept free of the expression parser so shard processes start fast.)
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import { writeJson } from "../../util/io.ts";
import type { Derivation } from "./derive.ts";
import type { GridAxis } from "./grid.ts";
import { planPath, shardPath } from "./layout.ts";
import type { SweepParams, SweepRule } from "./task.ts";

export const PLAN_FORMAT = "learndyn-sweep-plan/1";

export interface SweepTaskEntry {
  readonly id: number;
  readonly shard: number;
  readonly seed: number;
  readonly params: SweepParams;
}

export interface SweepPlan {
  readonly format: string;
  readonly task: string;
  /** The rule of a rule task kind (absent for the other kinds). */
  readonly rule?: SweepRule;
  readonly grid: readonly GridAxis[];
  readonly constants: SweepParams;
  readonly derived: readonly Derivation[];
  readonly seeds: readonly number[];
  readonly shards: number;
  readonly tasks: readonly SweepTaskEntry[];
  /** SHA-256 of the canonical JSON of every other field. */
  readonly hash: string;
}

/** Raised when a sweep directory holds files of another plan. */
export class PlanMismatchError extends LearndynError {
  override name = "PlanMismatchError";
}

/** SHA-256 (hex) of the canonical JSON (keys sorted) of `value`. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Writes plan.json and the shard files into `dir`. Writing the same plan again is a no-op; a
 * directory holding another plan is refused.
 */
export function writePlan(dir: string, plan: SweepPlan): void {
  if (existsSync(planPath(dir))) {
    const existing = loadPlan(dir);
    if (existing.hash !== plan.hash) {
      throw new PlanMismatchError(
        `writePlan: directory ${dir} holds another sweep plan (hash ${existing.hash.slice(0, 12)}, this plan ${plan.hash.slice(0, 12)}); choose another directory or remove it`,
      );
    }
    return;
  }
  for (let s = 0; s < plan.shards; s++) {
    writeJson(shardPath(dir, s), {
      planHash: plan.hash,
      shard: s,
      tasks: plan.tasks.filter((t) => t.shard === s).map((t) => t.id),
    });
  }
  // plan.json last: a directory with plan.json is complete.
  writeJson(planPath(dir), plan);
}

/** Reads plan.json and checks that its hash matches its content. */
export function loadPlan(dir: string): SweepPlan {
  const path = planPath(dir);
  if (!existsSync(path)) {
    throw new InvalidArgumentError("loadPlan", "dir", "a sweep directory (with plan.json)", dir);
  }
  const plan = JSON.parse(readFileSync(path, "utf8")) as SweepPlan;
  if (plan.format !== PLAN_FORMAT) {
    throw new InvalidArgumentError("loadPlan", "plan.json", `format ${PLAN_FORMAT}`, plan.format);
  }
  const { hash, ...body } = plan;
  const actual = contentHash(body);
  if (actual !== hash) {
    throw new PlanMismatchError(
      `loadPlan: ${path} does not match its hash (stored ${String(hash).slice(0, 12)}, content ${actual.slice(0, 12)}); the plan was edited or corrupted`,
    );
  }
  return plan;
}

/** The task ids of one shard, checking the shard file belongs to the plan. */
export function shardTasks(dir: string, plan: SweepPlan, shard: number): number[] {
  if (!Number.isInteger(shard) || shard < 0 || shard >= plan.shards) {
    throw new InvalidArgumentError("shardTasks", "shard", `an integer in [0, ${plan.shards - 1}]`, shard);
  }
  const file = JSON.parse(readFileSync(shardPath(dir, shard), "utf8")) as {
    planHash: string;
    tasks: number[];
  };
  if (file.planHash !== plan.hash) {
    throw new PlanMismatchError(
      `shardTasks: ${shardPath(dir, shard)} belongs to another plan (hash ${String(file.planHash).slice(0, 12)}, plan ${plan.hash.slice(0, 12)})`,
    );
  }
  return file.tasks;
}
