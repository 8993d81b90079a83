/**
 * The student-teacher problem of seed 001, section 5 (and appendices C, D): a teacher two-layer
 * network y = W2* phi(W1* x) labels random inputs; a student of the same architecture learns
 * from them with gradient descent, curl descent or feedback alignment. This file turns a
 * description of each simulation into the host-side float64 data a backend runs
 * (StudentTeacherInit); it draws every random number.
 *
 * Conventions (seed 001 section 5):
 * - inputs x_i iid N(0, 1/2), i.e. standard deviation 1/sqrt(2). The paper writes
 *   "N(0, 1/sqrt 2)"; with the (mean, variance) convention that would be variance 0.707, but the
 *   task text and the NumPy convention normal(loc, scale) both give scale = 1/sqrt(2), variance
 *   1/2, which is what is used here.
 * - teacher weights iid with zero mean and variance 1/fan-in (1/M for W1*, 1/N for W2*), normal
 *   or uniform on [-sqrt(3/fan-in), sqrt(3/fan-in)], times `teacherScale`;
 * - student weights from the same distribution times `initScale` (seed 001 Fig. 5d);
 * - D1 (M x M) flips round(alpha_h M) input columns of the hidden-layer update and D2 (N x N)
 *   flips round(alpha_r N) hidden columns of the readout update (seed 001 eqs. 5 and 10), at
 *   positions drawn at random.
 */
import { activate } from "../backend/activation.ts";
import type { Activation, StudentTeacherInit } from "../backend/backend.ts";
import {
  InvalidArgumentError,
  requireInRange,
  requireOneOf,
  requirePositiveInteger,
} from "../util/errors.ts";
import { Rng } from "../util/random.ts";

export const rules = ["gradient-descent", "curl-descent", "feedback-alignment"] as const;
/** The two-layer learning rules: curl descent is seed 001 eq. 5; feedback alignment uses a fixed random B. */
export type TwoLayerRule = (typeof rules)[number];
export const activations: readonly Activation[] = ["linear", "tanh", "relu"];

/** One simulation of the student-teacher problem. */
export interface StudentTeacherSpec {
  /** M, input dimension. */
  inputs: number;
  /** N, hidden dimension. */
  hidden: number;
  activation: Activation;
  rule: TwoLayerRule;
  /** Fraction of flipped input columns (D1), in [0, 1]; 0 unless the rule is curl descent. */
  alphaH: number;
  /** Fraction of flipped hidden columns (D2), in [0, 1]; 0 unless the rule is curl descent. */
  alphaR: number;
  /** Training samples (250 in seed 001 section 5). */
  trainCount: number;
  /** Test samples (100). */
  testCount: number;
  /** Minibatch size, dividing trainCount (trainCount for full batch). */
  batchSize: number;
  /** Learning rate per epoch-sum (0.1). */
  learningRate: number;
  /** Distribution of the teacher and initial student weights. */
  weightDistribution: "normal" | "uniform";
  /** Scale of the student's initial weights relative to the teacher's distribution (1). */
  initScale: number;
  /** Scale of the teacher weights (1). */
  teacherScale: number;
  /** Whether each layer is rescaled to its initial Frobenius norm after every step (true). */
  renormalize: boolean;
  /** Seed of everything random in this simulation. */
  seed: number;
}

/** The defaults of seed 001 section 5 for a given (M, N). */
export function paperSpec(
  inputs: number,
  hidden: number,
  overrides: Partial<StudentTeacherSpec> = {},
): StudentTeacherSpec {
  return {
    inputs,
    hidden,
    activation: "linear",
    rule: "curl-descent",
    alphaH: 0,
    alphaR: 0,
    trainCount: 250,
    testCount: 100,
    batchSize: 250,
    learningRate: 0.1,
    weightDistribution: "normal",
    initScale: 1,
    teacherScale: 1,
    renormalize: true,
    seed: 0,
    ...overrides,
  };
}

/** Validates a spec; errors name the field, what was expected and what came. */
export function checkSpec(fn: string, spec: StudentTeacherSpec): StudentTeacherSpec {
  requirePositiveInteger(fn, "inputs (M)", spec.inputs, 100_000);
  requirePositiveInteger(fn, "hidden (N)", spec.hidden, 100_000);
  requireOneOf(fn, "activation", spec.activation, activations);
  requireOneOf(fn, "rule", spec.rule, rules);
  requireInRange(fn, "alphaH", spec.alphaH, 0, 1);
  requireInRange(fn, "alphaR", spec.alphaR, 0, 1);
  if (spec.rule === "gradient-descent" && (spec.alphaH !== 0 || spec.alphaR !== 0)) {
    throw new InvalidArgumentError(
      fn,
      "alphaH, alphaR",
      "0 for gradient descent",
      [spec.alphaH, spec.alphaR],
      "use curl-descent to flip signs",
    );
  }
  requirePositiveInteger(fn, "trainCount", spec.trainCount);
  requirePositiveInteger(fn, "testCount", spec.testCount);
  requirePositiveInteger(fn, "batchSize", spec.batchSize);
  if (spec.trainCount % spec.batchSize !== 0) {
    throw new InvalidArgumentError(
      fn,
      "batchSize",
      `a divisor of trainCount ${spec.trainCount}`,
      spec.batchSize,
    );
  }
  if (!(Number.isFinite(spec.learningRate) && spec.learningRate > 0)) {
    throw new InvalidArgumentError(fn, "learningRate", "a finite number > 0", spec.learningRate);
  }
  requireOneOf(fn, "weightDistribution", spec.weightDistribution, ["normal", "uniform"]);
  requireInRange(fn, "initScale", spec.initScale, 0, 1e300);
  requireInRange(fn, "teacherScale", spec.teacherScale, 0, 1e300);
  if (typeof spec.renormalize !== "boolean") {
    throw new InvalidArgumentError(fn, "renormalize", "true or false", spec.renormalize);
  }
  if (!Number.isInteger(spec.seed) || spec.seed < 0 || spec.seed >= 2 ** 32) {
    throw new InvalidArgumentError(fn, "seed", "an integer in [0, 2^32)", spec.seed);
  }
  return spec;
}

/** `count` weights with zero mean and variance scale^2 / fanIn. */
function weights(rng: Rng, count: number, fanIn: number, distribution: "normal" | "uniform", scale: number) {
  const out = new Float64Array(count);
  const sd = scale / Math.sqrt(fanIn);
  for (let i = 0; i < count; i++) {
    out[i] = distribution === "normal" ? sd * rng.normal() : sd * Math.sqrt(3) * (2 * rng.uniform() - 1);
  }
  return out;
}

/** Signs +1 with round(alpha n) entries -1 at random positions. */
function flips(rng: Rng, n: number, alpha: number): Float64Array {
  const d = new Float64Array(n).fill(1);
  const order = rng.permutation(n);
  for (let k = 0; k < Math.round(alpha * n); k++) d[order[k]!] = -1;
  return d;
}

/** The member data of one spec, drawn from independent streams of its seed. */
export interface StudentTeacherMember {
  teacherW1: Float64Array;
  teacherW2: Float64Array;
  trainInputs: Float64Array;
  trainTargets: Float64Array;
  testInputs: Float64Array;
  testTargets: Float64Array;
  w1: Float64Array;
  w2: Float64Array;
  d1: Float64Array;
  d2: Float64Array;
  feedbackWeights: Float64Array;
  shuffleSeed: number;
}

/**
 * Draws teacher, data, student initial weights, signs and feedback of one simulation. Separate
 * streams (Rng.fork) make the teacher, data and initial student independent of the rule and the
 * alphas, so a gradient-descent and a curl-descent run with the same seed are paired: they differ
 * only in D1, D2 (or B).
 */
export function drawMember(spec: StudentTeacherSpec): StudentTeacherMember {
  checkSpec("drawMember", spec);
  const { inputs: M, hidden: N, trainCount: P, testCount: Q, activation } = spec;
  const root = new Rng(spec.seed);
  const teacherRng = root.fork(1);
  const teacherW1 = weights(teacherRng, N * M, M, spec.weightDistribution, spec.teacherScale);
  const teacherW2 = weights(teacherRng, N, N, spec.weightDistribution, spec.teacherScale);
  const dataRng = root.fork(2);
  const trainInputs = dataRng.normals(P * M, 0, Math.SQRT1_2);
  const testInputs = dataRng.normals(Q * M, 0, Math.SQRT1_2);
  const label = (x: Float64Array, count: number) => {
    const y = new Float64Array(count);
    for (let mu = 0; mu < count; mu++) {
      let s = 0;
      for (let i = 0; i < N; i++) {
        let a = 0;
        for (let j = 0; j < M; j++) a += teacherW1[i * M + j]! * x[mu * M + j]!;
        s += teacherW2[i]! * activate(activation, a);
      }
      y[mu] = s;
    }
    return y;
  };
  const studentRng = root.fork(3);
  const w1 = weights(studentRng, N * M, M, spec.weightDistribution, spec.initScale);
  const w2 = weights(studentRng, N, N, spec.weightDistribution, spec.initScale);
  const signRng = root.fork(4);
  const d1 = flips(signRng, M, spec.alphaH);
  const d2 = flips(signRng, N, spec.alphaR);
  const feedbackWeights = weights(root.fork(5), N, N, "normal", 1);
  return {
    teacherW1,
    teacherW2,
    trainInputs,
    trainTargets: label(trainInputs, P),
    testInputs,
    testTargets: label(testInputs, Q),
    w1,
    w2,
    d1,
    d2,
    feedbackWeights,
    shuffleSeed: root.fork(6).nextUint32(),
  };
}

/**
 * Packs simulations that share M, N, activation, feedback kind, sizes, batch and learning rate
 * into one backend batch (member b = members[b]).
 */
export function packBatch(spec: StudentTeacherSpec, members: StudentTeacherMember[]): StudentTeacherInit {
  const cat = (pick: (m: StudentTeacherMember) => Float64Array) => {
    const parts = members.map(pick);
    const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  return {
    size: members.length,
    inputs: spec.inputs,
    hidden: spec.hidden,
    activation: spec.activation,
    trainInputs: cat((m) => m.trainInputs),
    trainTargets: cat((m) => m.trainTargets),
    testInputs: cat((m) => m.testInputs),
    testTargets: cat((m) => m.testTargets),
    trainCount: spec.trainCount,
    testCount: spec.testCount,
    w1: cat((m) => m.w1),
    w2: cat((m) => m.w2),
    d1: cat((m) => m.d1),
    d2: cat((m) => m.d2),
    feedback: spec.rule === "feedback-alignment" ? "fixed" : "readout",
    feedbackWeights: cat((m) => m.feedbackWeights),
    learningRate: spec.learningRate,
    batchSize: spec.batchSize,
    shuffleSeeds: Uint32Array.from(members, (m) => m.shuffleSeed),
    renormalize: spec.renormalize,
  };
}
