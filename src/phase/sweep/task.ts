/**
 * The kind of work a sweep runs is pluggable: a SweepTask maps one task's parameters and seed to
 * a JSON-able outcome, successful or failed with a reason and where it failed. Task kinds are
 * registered by name in `tasks/index.ts`.
 */

import type { Backend, NetworkInit } from "../../backend/backend.ts";
import type { ResilientRunResult } from "../../backend/fallback.ts";
import { InvalidArgumentError } from "../../util/errors.ts";

/** A JSON value (what a task may return). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A parameter value: a number, or a name such as an activation ("tanh") or a rule. */
export type ParamValue = number | string;

/** The parameters of one task. */
export type SweepParams = Readonly<Record<string, ParamValue>>;

/** A parameter a task reads from its params. */
export interface SweepParameter {
  readonly name: string;
  readonly description: string;
  /** Absent from every task's params → the plan is refused. */
  readonly required: boolean;
}

/**
 * The rule a sweep of a rule task kind runs ("network-rule"): how it was named when the sweep
 * was planned (a built-in name or a file path) and its full text, stored in the plan so that the
 * plan's hash covers the rule and every shard runs exactly the rule that was planned, wherever
 * it runs.
 */
export interface SweepRule {
  readonly ref: string;
  readonly text: string;
}

/** What one task produced. A failure is a result too: the sweep goes on. */
export type SweepTaskOutcome =
  | { readonly status: "ok"; readonly values: Record<string, JsonValue> }
  | {
      readonly status: "failed";
      readonly reason: string;
      readonly where: Record<string, JsonValue>;
      readonly values?: Record<string, JsonValue>;
    };

/**
 * What the runner gives a task besides its parameters: the backend to simulate on. A task that
 * runs on a backend hands its work to `backend.run`, which runs it on the chosen backend and, if a
 * GPU device is lost, runs it again on the CPU (src/backend/fallback.ts); the task records the
 * returned backend name with its values. Tasks that do no tensor work ignore the context.
 */
export interface SweepRunContext {
  readonly backend: {
    run<T>(work: (backend: Backend) => Promise<T>): Promise<ResilientRunResult<T>>;
  };
}

export interface SweepTask {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly SweepParameter[];
  /** Runs one task; must be deterministic in (params, seed). */
  run(
    params: SweepParams,
    seed: number,
    context?: SweepRunContext,
  ): SweepTaskOutcome | Promise<SweepTaskOutcome>;
  /**
   * Optional: runs up to `batchSize` tasks at once (e.g. one batched simulation on a backend),
   * returning one outcome per item, in order. Each must equal what `run` gives for that item.
   */
  runBatch?(
    items: readonly { params: SweepParams; seed: number }[],
    context?: SweepRunContext,
  ): readonly SweepTaskOutcome[] | Promise<readonly SweepTaskOutcome[]>;
  /**
   * Optional: refuses the parameters of one task before anything runs (called for every task
   * when the sweep is planned), e.g. a size that is not an integer.
   */
  check?(params: SweepParams): void;
  /** How many tasks `runBatch` takes at a time (default 1: tasks run one by one with `run`). */
  readonly batchSize?: number;
  /** Whether the task runs on the context's backend (otherwise only the CPU default is accepted). */
  readonly usesBackend?: boolean;
  /**
   * Optional, for a task that uses a backend: the first backend batch `runBatch` would start for
   * `items`, on which `--backend auto` calibrates (src/backend/auto.ts).
   */
  workload?(items: readonly { params: SweepParams; seed: number }[]): NetworkInit;
}

/** Reads a numeric parameter of task `task` (or `fallback` when absent); refuses text. */
export function numberParam(task: string, params: SweepParams, name: string, fallback?: number): number {
  const v = params[name] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new InvalidArgumentError(task, name, "a finite number", v ?? "nothing");
  }
  return v;
}

/** Reads a text parameter (one of `choices`) of task `task`, or `fallback` when absent. */
export function choiceParam<T extends string>(
  task: string,
  params: SweepParams,
  name: string,
  choices: readonly T[],
  fallback?: T,
): T {
  const v = params[name] ?? fallback;
  if (typeof v !== "string" || !(choices as readonly string[]).includes(v)) {
    throw new InvalidArgumentError(task, name, `one of ${choices.join(", ")}`, v ?? "nothing");
  }
  return v as T;
}
