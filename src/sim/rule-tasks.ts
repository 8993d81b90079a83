/**
 * Many runs of one network rule, each at its own sizes, parameters, choices and seed, reduced to
 * the scalars a sweep stores per (grid point, seed): final and peak errors, q, the Lyapunov
 * exponent, the failure epoch and the sizes, with the engine that ran it. Items that share sizes
 * and choices (one model of a ModelCache) run as one batch; items with different epochs or
 * Lyapunov settings run as separate simulations.
 */
import type { Backend } from "../backend/backend.ts";
import type { NetworkEngine } from "../backend/fast-path.ts";
import { groupIndices } from "../util/group-indices.ts";
import type { ModelCache, RuleRun } from "./rule-run.ts";
import { type RunSimulation, simulateRuns } from "./simulate.ts";

/** One item: NAME = VALUE for the rule's sizes, parameters and choices, epochs, and a seed. */
export interface RuleTaskItem {
  readonly values: Readonly<Record<string, number | string>>;
  readonly epochs: number;
  /** Whether to measure the Lyapunov exponent (default true). */
  readonly lyapunov?: boolean;
  readonly seed: number;
}

/** The scalars of one item (null where the rule does not report it: see notes). */
export interface RuleTaskResult {
  sizes: Record<string, number>;
  finalTrainError: number | null;
  finalTestError: number | null;
  peakTrainError: number | null;
  peakTestError: number | null;
  q: number;
  lyapunov: number | null;
  failedAtEpoch: number | null;
  engine: NetworkEngine;
  notes: string[];
}

/** A run to simulate for a given number of epochs, with or without the Lyapunov exponent. */
export interface TimedRun {
  readonly run: RuleRun;
  readonly epochs: number;
  /** Whether to measure the Lyapunov exponent (default true). */
  readonly lyapunov?: boolean;
}

/**
 * Simulates every run (one simulateRuns per distinct epochs and Lyapunov setting, batched by
 * model within it) and returns the measurements in order.
 */
export async function simulateTimedRuns(
  backend: Backend,
  items: readonly TimedRun[],
): Promise<RunSimulation[]> {
  const out: RunSimulation[] = new Array(items.length);
  for (const indices of groupIndices(items, (it) => `${it.epochs}|${it.lyapunov ?? true}`).values()) {
    const first = items[indices[0]!]!;
    const results = await simulateRuns(
      backend,
      indices.map((k) => items[k]!.run),
      { epochs: first.epochs, lyapunov: first.lyapunov ?? true },
    );
    indices.forEach((k, i) => {
      out[k] = results[i]!;
    });
  }
  return out;
}

/**
 * Runs every item on `backend` and returns one result per item, in order. Every item's values
 * are checked (classifyBindings, resolveSizes, ...) before anything runs, so a bad item refuses
 * the whole call by name.
 */
export async function ruleTasks(
  models: ModelCache,
  items: readonly RuleTaskItem[],
  backend: Backend,
): Promise<RuleTaskResult[]> {
  const timed = items.map((it, k) => ({
    ...it,
    run: models.run(it.values, it.seed, `ruleTasks (item ${k})`),
  }));
  return (await simulateTimedRuns(backend, timed)).map((r) => ({
    sizes: r.sizes,
    finalTrainError: r.trainError?.at(-1) ?? null,
    finalTestError: r.testError?.at(-1) ?? null,
    peakTrainError: r.peakTrainError,
    peakTestError: r.peakTestError,
    q: r.q,
    lyapunov: r.lyapunov,
    failedAtEpoch: r.failedAtEpoch,
    engine: r.engine,
    notes: r.notes,
  }));
}
