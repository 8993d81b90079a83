/**
 * Where one member's values live in the device buffers of a compiled rule's batch (float32
 * words, member-major: member b's block starts at b * stride):
 *
 *   states  the states in the order of CompiledRule.states, each row-major;
 *   consts  the fixed tensors (drawn, then hoisted), each row-major; then the parameters; then
 *           one target norm per state (read only for renormalized states);
 *   train   each data tensor over the training set, [P, rows, cols] (inputs, then targets);
 *   test    the same over the test set, [Q, rows, cols].
 *
 * The generated kernels use these offsets as constants; the host packs and unpacks with them.
 */
import type { CompiledRule, TensorInfo } from "../../../ir/program.ts";

/** Offsets of a list of tensors laid end to end, and the total. */
export interface Segments {
  readonly offsets: readonly number[];
  readonly stride: number;
}

export interface MemberLayout {
  readonly states: Segments;
  /** Fixed tensors only; the parameters start at `paramsOffset`, the norms at `normsOffset`. */
  readonly fixed: Segments;
  readonly paramsOffset: number;
  readonly normsOffset: number;
  /** Words of consts per member. */
  readonly constsStride: number;
  readonly train: Segments;
  readonly test: Segments;
}

function segments(sizes: readonly number[]): Segments {
  const offsets: number[] = [];
  let at = 0;
  for (const n of sizes) {
    offsets.push(at);
    at += n;
  }
  return { offsets, stride: at };
}

const entries = (t: TensorInfo) => t.rows * t.cols;

/** The layout of `rule`'s members. */
export function memberLayout(rule: CompiledRule): MemberLayout {
  const fixed = segments(rule.fixed.map(entries));
  const paramsOffset = fixed.stride;
  const normsOffset = paramsOffset + rule.params.length;
  const train = rule.samples ? rule.samples.train : 0;
  const test = rule.samples ? rule.samples.test : 0;
  return {
    states: segments(rule.states.map(entries)),
    fixed,
    paramsOffset,
    normsOffset,
    constsStride: normsOffset + rule.states.length,
    train: segments(rule.data.map((d) => entries(d) * train)),
    test: segments(rule.data.map((d) => entries(d) * test)),
  };
}
