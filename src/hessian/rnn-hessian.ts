/**
 * The loss Hessian of a rate RNN as a linear operator, over all weights or one block (seed 000,
 * A.1 uses the recurrent block). Each application is one exact forward-over-reverse
 * Hessian-vector product (src/sim/rnn/bptt.ts).
 */
import type { Batch } from "../sim/rnn/batch.ts";
import { hessianVectorProduct } from "../sim/rnn/bptt.ts";
import type { RnnConfig } from "../sim/rnn/network.ts";
import { blockNames, parameterBlock } from "../sim/rnn/params.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { type LinearOperator, restrictOperator } from "./operator.ts";
import { powerIteration } from "./power-iteration.ts";

/** H(θ) of L on `batch`, restricted to `block` ("input", "recurrent", "output") when given. */
export function rnnHessianOperator(
  config: RnnConfig,
  theta: Float64Array,
  batch: Batch,
  block?: string,
): LinearOperator {
  const full: LinearOperator = {
    dim: theta.length,
    apply: (v) => hessianVectorProduct(config, theta, batch, v),
  };
  if (block === undefined || block === "all") return full;
  if (!(blockNames as readonly string[]).includes(block)) {
    throw new InvalidArgumentError(
      "rnnHessianOperator",
      "block",
      `one of ${blockNames.join(", ")}, all`,
      block,
    );
  }
  const b = parameterBlock(config, block);
  return restrictOperator(full, b.offset, b.length);
}

/**
 * λ1 of the Hessian block at θ by power iteration (tolerance 1e-6), warm-started from the
 * previous call's eigenvector: the function trainRnn records over training.
 */
export function leadingCurvature(
  config: RnnConfig,
  batch: Batch,
  block = "recurrent",
  maxIterations = 1000,
): (theta: Float64Array) => { eigenvalue: number; converged: boolean; iterations: number } {
  let warm: Float64Array | undefined;
  return (theta) => {
    const r = powerIteration(rnnHessianOperator(config, theta, batch, block), { start: warm, maxIterations });
    warm = r.eigenvector;
    return { eigenvalue: r.eigenvalue, converged: r.converged, iterations: r.iterations };
  };
}
