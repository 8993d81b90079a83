/** A tiny network and batch shared by the gradient tests (not a test file itself). */
import type { Batch } from "../../../src/sim/rnn/batch.ts";
import type { LossKind } from "../../../src/sim/rnn/loss.ts";
import { initRnnParams, type RnnConfig, rnnConfig } from "../../../src/sim/rnn/network.ts";
import { flattenParams } from "../../../src/sim/rnn/params.ts";
import { Rng } from "../../../src/util/random.ts";

export interface Tiny {
  config: RnnConfig;
  theta: Float64Array;
  batch: Batch;
}

/** N = 5 units (2 adaptive when `adaptive`), N_in = 2, N_out = 2, T = 6, B = 2. */
export function tiny(seed: number, loss: LossKind, opts: { alpha?: number; adaptive?: boolean } = {}): Tiny {
  const config = rnnConfig({
    n: 5,
    nIn: 2,
    nOut: 2,
    alpha: opts.alpha ?? 0.3,
    beta: 0.8,
    nAdaptive: opts.adaptive ? 2 : 0,
  });
  const theta = flattenParams(initRnnParams(config, seed, 1.2));
  const rng = new Rng(seed + 1000);
  const T = 6;
  const examples = [0, 1].map(() => {
    const x = rng.normals(T * 2);
    const y = new Float64Array(T * 2);
    if (loss === "mse") y.set(rng.normals(T * 2));
    else for (let t = 0; t < T; t++) y[t * 2 + rng.int(2)] = 1;
    return { x, y };
  });
  return { config, theta, batch: { examples, loss, lossSteps: loss === "mse" ? [2, 3, 4, 5, 6] : [6] } };
}
