/**
 * The plan file of a sweep and its content hash: reading, writing and checking plan.json and the
 * shard files. Every shard and result file carries the plan hash, so files from another plan are
 * recognised and refused. (Kept free of the expression parser so shard processes start fast.)
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import type { Derivation } from "./derive.ts";
import type { GridAxis } from "./grid.ts";
import { planPath, shardPath } from "./layout.ts";
import { isRecord, readJsonFile, SweepFileError, writeSweepJson } from "./sweep-files.ts";
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

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The content of the shard file of shard `s`: the plan hash and the shard's task ids. */
function shardFile(plan: SweepPlan, s: number) {
  return { planHash: plan.hash, shard: s, tasks: plan.tasks.filter((t) => t.shard === s).map((t) => t.id) };
}

/**
 * Writes plan.json and the shard files into `dir`. Writing the same plan again rewrites only
 * shard files that are missing or damaged (they are derived from the plan); a directory holding
 * another plan is refused.
 */
export function writePlan(dir: string, plan: SweepPlan): void {
  if (existsSync(planPath(dir))) {
    const existing = loadPlan(dir);
    if (existing.hash !== plan.hash) {
      throw new PlanMismatchError(
        `writePlan: directory ${dir} holds another sweep plan (hash ${existing.hash.slice(0, 12)}, this plan ${plan.hash.slice(0, 12)}); choose another directory or remove it`,
      );
    }
    for (let s = 0; s < plan.shards; s++) shardTasks(dir, plan, s);
    return;
  }
  for (let s = 0; s < plan.shards; s++) writeSweepJson("writePlan", shardPath(dir, s), shardFile(plan, s));
  // plan.json last: a directory with plan.json is complete.
  writeSweepJson("writePlan", planPath(dir), plan);
}

/** Reads plan.json and checks that it is a plan and that its hash matches its content. */
export function loadPlan(dir: string): SweepPlan {
  const path = planPath(dir);
  if (!existsSync(path)) {
    throw new InvalidArgumentError("loadPlan", "dir", "a sweep directory (with plan.json)", dir);
  }
  const read = readJsonFile(path);
  if ("error" in read) {
    throw new SweepFileError(
      `loadPlan: ${path} is ${read.error}, not a sweep plan; plan the sweep again into a fresh directory (results already in ${dir} are kept)`,
    );
  }
  const plan = read.value as SweepPlan;
  if (!isRecord(plan) || plan.format !== PLAN_FORMAT) {
    throw new InvalidArgumentError(
      "loadPlan",
      "plan.json",
      `a sweep plan of format ${PLAN_FORMAT}`,
      isRecord(plan) ? `format ${describe(plan.format)}` : plan,
    );
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

/**
 * The task ids of one shard, derived from the plan. The shard file is checked: one of another plan
 * is refused; a missing, empty or unreadable one is written again from the plan.
 */
export function shardTasks(dir: string, plan: SweepPlan, shard: number): number[] {
  if (!Number.isInteger(shard) || shard < 0 || shard >= plan.shards) {
    throw new InvalidArgumentError("shardTasks", "shard", `an integer in [0, ${plan.shards - 1}]`, shard);
  }
  const path = shardPath(dir, shard);
  const expected = shardFile(plan, shard);
  const read = readJsonFile(path);
  const file = "value" in read && isRecord(read.value) ? read.value : undefined;
  if (file && "planHash" in file && file.planHash !== plan.hash) {
    throw new PlanMismatchError(
      `shardTasks: ${path} belongs to another plan (its hash ${String(file.planHash).slice(0, 12)}, plan.json's ${plan.hash.slice(0, 12)}); use a fresh directory for a new plan`,
    );
  }
  if (!file || canonicalJson(file) !== canonicalJson(expected)) {
    writeSweepJson("shardTasks", path, expected);
  }
  return expected.tasks;
}
