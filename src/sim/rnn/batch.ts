/**
 * A batch of trials together with how they are scored: the loss kind of seed 000, eq. 13 and
 * the steps t ∈ {1..T} at which a target is given.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { LossKind } from "./loss.ts";
import { type Example, exampleSteps, type RnnConfig } from "./network.ts";

export interface Batch {
  examples: Example[];
  loss: LossKind;
  /** Supervised steps, 1-based (t = T is the last readout). */
  lossSteps: number[];
}

/** Checks that every trial fits the config and has the same length T; returns T. */
export function checkBatch(config: RnnConfig, batch: Batch, fn: string): number {
  if (batch.examples.length === 0)
    throw new InvalidArgumentError(fn, "batch.examples", "a non-empty list", []);
  const T = exampleSteps(config, batch.examples[0]!, fn);
  for (const e of batch.examples) {
    if (exampleSteps(config, e, fn) !== T) {
      throw new InvalidArgumentError(
        fn,
        "batch.examples",
        `trials of equal length T = ${T}`,
        e.x.length / config.nIn,
      );
    }
  }
  if (batch.lossSteps.length === 0 || batch.lossSteps.some((t) => !Number.isInteger(t) || t < 1 || t > T)) {
    throw new InvalidArgumentError(
      fn,
      "batch.lossSteps",
      `a non-empty list of steps in 1..${T}`,
      batch.lossSteps,
    );
  }
  return T;
}

/** The factor 1/(B·S) of eq. 13 (B trials, S supervised steps). */
export function lossScale(batch: Batch): number {
  return 1 / (batch.examples.length * batch.lossSteps.length);
}
