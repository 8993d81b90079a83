/**
 * Loss and task metric of a network on a batch: the loss of eq. 13 and, for classification, the
 * fraction of trials whose largest readout at the last supervised step is the target class; for
 * regression the metric is the mean squared error per supervised step (lower is better).
 */
import { type Batch, checkBatch, lossScale } from "./batch.ts";
import { stepLoss } from "./loss.ts";
import { forward, type RnnConfig } from "./network.ts";
import { unflattenParams } from "./params.ts";

export interface Evaluation {
  loss: number;
  /** Fraction correct (classification) or mean squared error (regression). */
  metric: number;
}

export function evaluate(config: RnnConfig, theta: Float64Array, batch: Batch): Evaluation {
  checkBatch(config, batch, "evaluate");
  const params = unflattenParams(config, theta);
  const { nOut } = config;
  const scale = lossScale(batch);
  const last = Math.max(...batch.lossSteps);
  let loss = 0;
  let correct = 0;
  let sq = 0;
  for (const ex of batch.examples) {
    const tr = forward(config, params, ex);
    for (const t of batch.lossSteps) {
      const o = (t - 1) * nOut;
      loss += scale * stepLoss(batch.loss, tr.y, o, ex.y, o, nOut);
      if (batch.loss === "mse") for (let k = 0; k < nOut; k++) sq += (tr.y[o + k]! - ex.y[o + k]!) ** 2;
    }
    if (batch.loss === "cross-entropy") {
      const o = (last - 1) * nOut;
      let best = 0;
      let target = 0;
      for (let k = 1; k < nOut; k++) {
        if (tr.y[o + k]! > tr.y[o + best]!) best = k;
        if (ex.y[o + k]! > ex.y[o + target]!) target = k;
      }
      if (best === target) correct++;
    }
  }
  const metric =
    batch.loss === "mse"
      ? sq / (batch.examples.length * batch.lossSteps.length * nOut)
      : correct / batch.examples.length;
  return { loss, metric };
}
