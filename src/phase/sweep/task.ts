/**
 * The kind of work a sweep runs is pluggable: a SweepTask maps one task's parameters and seed to
 * a JSON-able outcome, successful or failed with a reason and where it failed. Task kinds are
 * registered by name in `tasks/index.ts`.
 */

/** A JSON value (what a task may return). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A parameter a task reads from its params. */
export interface SweepParameter {
  readonly name: string;
  readonly description: string;
  /** Absent from every task's params → the plan is refused. */
  readonly required: boolean;
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

export interface SweepTask {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly SweepParameter[];
  /** Runs one task; must be deterministic in (params, seed). */
  run(params: Readonly<Record<string, number>>, seed: number): SweepTaskOutcome | Promise<SweepTaskOutcome>;
}
