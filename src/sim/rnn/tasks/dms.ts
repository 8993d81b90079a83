/**
 * Delayed match-to-sample (seed 000, A.3): N = 100 units, half with adaptive thresholds
 * (eq. 11), N_in = 2 (channel 0 is on while a cue of value 1 is shown, channel 1 while a cue of
 * value 0 is shown), two cues of 2 steps separated by a 16-step delay, and a cross-entropy loss
 * on two readouts (match, non-match) at the last step only; full batch of the 4 cue pairs.
 * Input steps: cue 1 at t = 0, 1; delay; cue 2 at t = T-2, T-1; readout y_T. T = 20.
 */
import { InvalidArgumentError, requirePositiveInteger } from "../../../util/errors.ts";
import type { Batch } from "../batch.ts";
import { rnnConfig } from "../network.ts";
import type { RnnTask, TaskOptions } from "./task.ts";

/** Threshold-adaptation time constant in steps (not given in the seed; about the trial length). */
export const dmsAdaptationSteps = 20;

export function dmsBatch(T: number): Batch {
  if (T < 5)
    throw new InvalidArgumentError("dmsBatch", "steps", "at least 5 (two 2-step cues and a delay)", T);
  const examples = [];
  for (const c1 of [0, 1]) {
    for (const c2 of [0, 1]) {
      const x = new Float64Array(T * 2);
      for (const t of [0, 1]) x[t * 2 + (c1 === 1 ? 0 : 1)] = 1;
      for (const t of [T - 2, T - 1]) x[t * 2 + (c2 === 1 ? 0 : 1)] = 1;
      const y = new Float64Array(T * 2);
      y[(T - 1) * 2 + (c1 === c2 ? 0 : 1)] = 1;
      examples.push({ x, y });
    }
  }
  return { examples, loss: "cross-entropy", lossSteps: [T] };
}

export function delayedMatchToSample(options: TaskOptions = {}): RnnTask {
  const n = requirePositiveInteger("delayedMatchToSample", "n", options.n ?? 100, 100_000);
  const T = requirePositiveInteger("delayedMatchToSample", "steps", options.steps ?? 20, 100_000);
  const config = rnnConfig({
    n,
    nIn: 2,
    nOut: 2,
    alpha: 0,
    beta: Math.exp(-1 / dmsAdaptationSteps),
    nAdaptive: Math.floor(n / 2),
  });
  const batch = dmsBatch(T);
  return {
    name: "dms",
    config,
    trainBatch: () => batch,
    evalBatch: batch,
    metric: "accuracy",
    sizes: { n, steps: T, delay: T - 4, batch: 4 },
    notes: [
      `leak α = 0 as in seed 000, A.3; threshold decay β = e^(-1/${dmsAdaptationSteps}) (τ_b not given in the seed)`,
      "readout: two units (match, non-match) with softmax cross-entropy at the last step",
    ],
  };
}
