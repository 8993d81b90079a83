/**
 * The tasks of seed 000, appendix A.3, behind one interface: a network architecture, the batch
 * for SGD step k, and a fixed batch on which loss, accuracy and the Hessian are evaluated.
 */
import { InvalidArgumentError, requireOneOf } from "../../../util/errors.ts";
import type { Batch } from "../batch.ts";
import type { RnnConfig } from "../network.ts";
import { delayedMatchToSample } from "./dms.ts";
import { patternGeneration } from "./pattern.ts";
import { sequentialFashion } from "./seqfashion.ts";

export type TaskName = "pattern" | "dms" | "seqfashion";
export const taskNames: readonly TaskName[] = ["pattern", "dms", "seqfashion"];

export interface TaskOptions {
  /** Seed of the task's data (pattern input, minibatch draws). */
  seed?: number;
  /** Number of recurrent units N (default: the seed's). */
  n?: number;
  /** Number of time steps T (default: the seed's). */
  steps?: number;
  /** seqfashion: minibatch size (the seed's grid is 64, 256, 1024). */
  batchSize?: number;
  /** seqfashion: number of training images used. */
  trainSize?: number;
  /** seqfashion: number of images in the evaluation batch. */
  evalSize?: number;
  /** seqfashion: folder with the idx files. */
  dataDir?: string;
}

export interface RnnTask {
  name: TaskName;
  config: RnnConfig;
  /** Batch used by SGD step k (the same batch for full-batch tasks). */
  trainBatch(step: number): Batch;
  /** Fixed batch for loss, accuracy and Hessian. */
  evalBatch: Batch;
  /** "mse" (regression: lower is better) or "accuracy" (fraction of correct final outputs). */
  metric: "mse" | "accuracy";
  /** The sizes actually used. */
  sizes: Record<string, number>;
  /** Facts a reader of the output must know (deviations from the seed). */
  notes: string[];
}

/** Options that only the seqfashion task reads. */
const seqfashionOnly = ["batchSize", "trainSize", "evalSize", "dataDir"] as const;

/**
 * Builds the task called `name`; unknown names are refused with the list of tasks, and the
 * seqfashion options (batchSize, trainSize, evalSize, dataDir) are refused for the other tasks,
 * which would ignore them.
 */
export function makeTask(name: string, options: TaskOptions = {}): RnnTask {
  const task = requireOneOf("makeTask", "task", name, taskNames);
  const ignored = task === "seqfashion" ? undefined : seqfashionOnly.find((k) => options[k] !== undefined);
  if (ignored !== undefined) {
    throw new InvalidArgumentError(
      "makeTask",
      ignored,
      `absent for task "${task}" (only seqfashion reads it)`,
      options[ignored],
    );
  }
  if (task === "pattern") return patternGeneration(options);
  if (task === "dms") return delayedMatchToSample(options);
  return sequentialFashion(options);
}
