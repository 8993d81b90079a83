/**
 * Pattern generation (seed 000, A.3): N = 30 plain units (eq. 10), one fixed Gaussian input
 * channel, and a fixed target of T = 50 steps, the sum of four sinusoids with periods 10, 40, 70
 * and 100 steps, learned with the mean squared error at every step; full batch.
 * The seed gives neither amplitudes nor phases: here y*_t = ½ Σ_P sin(2π t / P).
 */
import { requirePositiveInteger } from "../../../util/errors.ts";
import { Rng } from "../../../util/random.ts";
import type { Batch } from "../batch.ts";
import { rnnConfig } from "../network.ts";
import type { RnnTask, TaskOptions } from "./task.ts";

export const patternPeriods = [10, 40, 70, 100];

export function patternTarget(t: number): number {
  let s = 0;
  for (const P of patternPeriods) s += 0.5 * Math.sin((2 * Math.PI * t) / P);
  return s;
}

export function patternGeneration(options: TaskOptions = {}): RnnTask {
  const n = requirePositiveInteger("patternGeneration", "n", options.n ?? 30, 100_000);
  const T = requirePositiveInteger("patternGeneration", "steps", options.steps ?? 50, 100_000);
  const seed = options.seed ?? 0;
  const config = rnnConfig({ n, nIn: 1, nOut: 1, alpha: 0 });
  const x = new Rng(seed * 7 + 1).normals(T);
  const y = new Float64Array(T);
  for (let t = 1; t <= T; t++) y[t - 1] = patternTarget(t);
  const batch: Batch = {
    examples: [{ x, y }],
    loss: "mse",
    lossSteps: Array.from({ length: T }, (_, i) => i + 1),
  };
  return {
    name: "pattern",
    config,
    trainBatch: () => batch,
    evalBatch: batch,
    metric: "mse",
    sizes: { n, steps: T, batch: 1 },
    notes: [
      "leak α = 0 as in seed 000, A.3; target ½ Σ sin(2πt/P), P = 10, 40, 70, 100 (amplitudes not given in the seed)",
    ],
  };
}
