/**
 * The flat parameter vector θ = (vec W_in, vec W_rec, vec W_out) and its named blocks, so that
 * gradients, Hessian-vector products and spectra can be taken over all weights or restricted
 * to one block (seed 000, A.1: "the loss' Hessian for recurrent weights").
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { RnnConfig, RnnParams } from "./network.ts";

export type BlockName = "input" | "recurrent" | "output";
export const blockNames: readonly BlockName[] = ["input", "recurrent", "output"];

export interface Block {
  name: BlockName;
  offset: number;
  length: number;
}

/** The blocks of θ in order: input (N·N_in), recurrent (N·N), output (N_out·N). */
export function parameterBlocks(config: RnnConfig): Block[] {
  const { n, nIn, nOut } = config;
  return [
    { name: "input", offset: 0, length: n * nIn },
    { name: "recurrent", offset: n * nIn, length: n * n },
    { name: "output", offset: n * nIn + n * n, length: nOut * n },
  ];
}

/** The block called `name`, or a clear error listing the blocks that exist. */
export function parameterBlock(config: RnnConfig, name: string): Block {
  const block = parameterBlocks(config).find((b) => b.name === name);
  if (!block) {
    throw new InvalidArgumentError("parameterBlock", "block", `one of ${blockNames.join(", ")}`, name);
  }
  return block;
}

/** Total number of parameters. */
export function parameterCount(config: RnnConfig): number {
  const { n, nIn, nOut } = config;
  return n * nIn + n * n + nOut * n;
}

export function flattenParams(params: RnnParams): Float64Array {
  const theta = new Float64Array(params.wIn.length + params.wRec.length + params.wOut.length);
  theta.set(params.wIn, 0);
  theta.set(params.wRec, params.wIn.length);
  theta.set(params.wOut, params.wIn.length + params.wRec.length);
  return theta;
}

/** Views (no copy) of θ as the three weight matrices. */
export function unflattenParams(config: RnnConfig, theta: Float64Array): RnnParams {
  if (theta.length !== parameterCount(config)) {
    throw new InvalidArgumentError("unflattenParams", "theta", `${parameterCount(config)} values`, {
      length: theta.length,
    });
  }
  const [bi, br, bo] = parameterBlocks(config);
  return {
    wIn: theta.subarray(bi!.offset, bi!.offset + bi!.length),
    wRec: theta.subarray(br!.offset, br!.offset + br!.length),
    wOut: theta.subarray(bo!.offset, bo!.offset + bo!.length),
  };
}
