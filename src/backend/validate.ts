/**
 * Checks shared by every backend: tensor shapes and the student-teacher batch description.
 * A backend calls these before touching its own storage, so bad input fails the same way, with
 * the same message, everywhere.
 */
import { InvalidArgumentError, requireOneOf, requirePositiveInteger } from "../util/errors.ts";
import type { StudentTeacherInit } from "./backend.ts";

/** The number of elements of a shape; throws unless it is 1 to 3 positive integers. */
export function shapeSize(fn: string, argument: string, shape: readonly number[]): number {
  if (shape.length < 1 || shape.length > 3 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new InvalidArgumentError(fn, argument, "a shape of 1 to 3 positive integers", shape);
  }
  return shape.reduce((a, b) => a * b, 1);
}

/** Throws unless `data` has `length` entries. */
export function requireLength(
  fn: string,
  argument: string,
  data: ArrayLike<number> | undefined,
  length: number,
) {
  if (data === undefined || data.length !== length) {
    throw new InvalidArgumentError(
      fn,
      argument,
      `an array of length ${length}`,
      data === undefined ? "nothing" : `length ${data.length}`,
    );
  }
}

function requireSigns(fn: string, argument: string, d: Float64Array) {
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== 1 && d[i] !== -1) {
      throw new InvalidArgumentError(fn, argument, "entries +1 or -1", d[i], `at index ${i}`);
    }
  }
}

function requireFinite(fn: string, argument: string, d: Float64Array) {
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]))
      throw new InvalidArgumentError(fn, argument, "finite entries", d[i], `at index ${i}`);
  }
}

/** Frobenius norms of the B consecutive blocks of length `block` of `w`, summed in float64. */
export function blockNorms(w: Float64Array, size: number, block: number): Float64Array {
  const out = new Float64Array(size);
  for (let b = 0; b < size; b++) {
    let s = 0;
    for (let k = b * block; k < (b + 1) * block; k++) s += w[k]! * w[k]!;
    out[b] = Math.sqrt(s);
  }
  return out;
}

/** A validated batch description with its defaults filled in. */
export interface CheckedStudentTeacherInit extends StudentTeacherInit {
  renormalize: boolean;
  norm1: Float64Array;
  norm2: Float64Array;
  stepsPerEpoch: number;
}

/** Validates every field of a {@link StudentTeacherInit} (shapes, signs, counts, rates). */
export function checkStudentTeacherInit(fn: string, init: StudentTeacherInit): CheckedStudentTeacherInit {
  const B = requirePositiveInteger(fn, "size", init.size);
  const M = requirePositiveInteger(fn, "inputs", init.inputs);
  const N = requirePositiveInteger(fn, "hidden", init.hidden);
  const P = requirePositiveInteger(fn, "trainCount", init.trainCount);
  const Q = requirePositiveInteger(fn, "testCount", init.testCount);
  requireOneOf(fn, "activation", init.activation, ["linear", "tanh", "relu"]);
  requireOneOf(fn, "feedback", init.feedback, ["readout", "fixed"]);
  requireLength(fn, "trainInputs", init.trainInputs, B * P * M);
  requireLength(fn, "trainTargets", init.trainTargets, B * P);
  requireLength(fn, "testInputs", init.testInputs, B * Q * M);
  requireLength(fn, "testTargets", init.testTargets, B * Q);
  requireLength(fn, "w1", init.w1, B * N * M);
  requireLength(fn, "w2", init.w2, B * N);
  requireLength(fn, "d1", init.d1, B * M);
  requireLength(fn, "d2", init.d2, B * N);
  requireLength(fn, "shuffleSeeds", init.shuffleSeeds, B);
  requireSigns(fn, "d1", init.d1);
  requireSigns(fn, "d2", init.d2);
  for (const key of ["trainInputs", "trainTargets", "testInputs", "testTargets", "w1", "w2"] as const) {
    requireFinite(fn, key, init[key]);
  }
  if (init.feedback === "fixed") {
    requireLength(fn, "feedbackWeights", init.feedbackWeights, B * N);
    requireFinite(fn, "feedbackWeights", init.feedbackWeights!);
  }
  if (
    !(typeof init.learningRate === "number" && Number.isFinite(init.learningRate) && init.learningRate > 0)
  ) {
    throw new InvalidArgumentError(fn, "learningRate", "a finite number > 0", init.learningRate);
  }
  const batchSize = requirePositiveInteger(fn, "batchSize", init.batchSize);
  if (P % batchSize !== 0) {
    throw new InvalidArgumentError(fn, "batchSize", `a divisor of trainCount ${P}`, batchSize);
  }
  const norm1 = init.norm1 ?? blockNorms(init.w1, B, N * M);
  const norm2 = init.norm2 ?? blockNorms(init.w2, B, N);
  requireLength(fn, "norm1", norm1, B);
  requireLength(fn, "norm2", norm2, B);
  requireFinite(fn, "norm1", norm1);
  requireFinite(fn, "norm2", norm2);
  return { ...init, renormalize: init.renormalize ?? true, norm1, norm2, stepsPerEpoch: P / batchSize };
}

/** Members [from, to) of a batch description, as a batch of their own (same shared fields). */
export function sliceStudentTeacherInit(
  init: StudentTeacherInit,
  from: number,
  to: number,
): StudentTeacherInit {
  const { inputs: M, hidden: N, trainCount: P, testCount: Q } = init;
  const pick = <T extends Float64Array | Uint32Array>(a: T, n: number): T => a.slice(from * n, to * n) as T;
  return {
    ...init,
    size: to - from,
    trainInputs: pick(init.trainInputs, P * M),
    trainTargets: pick(init.trainTargets, P),
    testInputs: pick(init.testInputs, Q * M),
    testTargets: pick(init.testTargets, Q),
    w1: pick(init.w1, N * M),
    w2: pick(init.w2, N),
    d1: pick(init.d1, M),
    d2: pick(init.d2, N),
    feedbackWeights: init.feedbackWeights ? pick(init.feedbackWeights, N) : undefined,
    shuffleSeeds: pick(init.shuffleSeeds, 1),
    norm1: init.norm1 ? pick(init.norm1, 1) : undefined,
    norm2: init.norm2 ? pick(init.norm2, 1) : undefined,
  };
}
