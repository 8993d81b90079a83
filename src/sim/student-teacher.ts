/**
 * The student-teacher problem of seed 001, section 5 (and appendices C, D): a teacher two-layer
 * network y = W2* phi(W1* x) labels random inputs; a student of the same architecture learns
 * from them with gradient descent, curl descent or feedback alignment. A StudentTeacherSpec
 * describes one simulation as a run of the built-in rule files rules/gradient-descent.rule,
 * curl-descent.rule and feedback-alignment.rule (studentTeacherRun):
 *
 *   inputs, hidden, trainCount, testCount, batchSize -> sizes M, N, P, Q, S
 *   activation, weightDistribution                   -> choices phi, law
 *   learningRate, initScale, teacherScale            -> parameters lr, initScale, teacherScale
 *   alphaH, alphaR (not for gradient descent)        -> parameters alphaH, alphaR
 *   renormalize = false                              -> the rule without its renormalize line
 *
 * so every number is drawn and every step taken by the rule files (src/ir), and the built-in
 * rules run on the fused student-teacher kernel where it applies (src/backend/fast-path.ts).
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
import type { Activation, StudentTeacherInit } from "../backend/backend.ts";
import { compileModel, drawRuns, type NetworkModel } from "../ir/model.ts";
import { builtinNetworkRule } from "../rules/network/builtin-network-rules.ts";
import { concatenate } from "../util/concatenate.ts";
import {
  InvalidArgumentError,
  requireInRange,
  requireOneOf,
  requirePositiveInteger,
} from "../util/errors.ts";
import type { RuleRun } from "./rule-run.ts";

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

/** The models of the specs seen so far, by everything that shapes the compiled program. */
const models = new Map<string, NetworkModel>();

/**
 * The rule file of `spec` compiled at its sizes and choices (rules/<spec.rule>.rule; without
 * its `renormalize` line when spec.renormalize is false), shared by specs that agree on them.
 */
function twoLayerModel(spec: StudentTeacherSpec): NetworkModel {
  const sizes = { M: spec.inputs, N: spec.hidden, P: spec.trainCount, Q: spec.testCount, S: spec.batchSize };
  const choices = { phi: spec.activation, law: spec.weightDistribution };
  const key = JSON.stringify([spec.rule, spec.renormalize, sizes, choices]);
  let model = models.get(key);
  if (!model) {
    const file = builtinNetworkRule(spec.rule);
    model = compileModel(spec.renormalize ? file : { ...file, renormalize: [] }, { sizes, choices });
    models.set(key, model);
  }
  return model;
}

/** The run of the rule files that `spec` describes (checked first; see the module comment). */
export function studentTeacherRun(spec: StudentTeacherSpec): RuleRun {
  checkSpec("studentTeacherRun", spec);
  const shared = { lr: spec.learningRate, initScale: spec.initScale, teacherScale: spec.teacherScale };
  const params =
    spec.rule === "gradient-descent" ? shared : { ...shared, alphaH: spec.alphaH, alphaR: spec.alphaR };
  return { model: twoLayerModel(spec), params, seed: spec.seed };
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
  /** The fixed feedback B of feedback alignment; zeros for the other rules (which have none). */
  feedbackWeights: Float64Array;
  shuffleSeed: number;
}

/**
 * Draws teacher, data, student initial weights, signs and feedback of one simulation: the run
 * of its rule file (src/ir/draw.ts). Separate streams make the teacher, data and initial student
 * independent of the rule and the alphas, so a gradient-descent and a curl-descent run with the
 * same seed are paired: they differ only in D1, D2 (or B).
 */
export function drawMember(spec: StudentTeacherSpec): StudentTeacherMember {
  checkSpec("drawMember", spec);
  const run = studentTeacherRun(spec);
  const [drawn] = drawRuns(run.model, [run]);
  const d = drawn!;
  const fixed = (name: string): Float64Array | null => {
    const k = run.model.compiled.fixed.findIndex((f) => f.name === name);
    return k >= 0 ? d.fixed[k]! : null;
  };
  const { inputs: M, hidden: N } = spec;
  return {
    // Every two-layer rule file declares the teacher W1t, W2t.
    teacherW1: fixed("W1t")!,
    teacherW2: fixed("W2t")!,
    trainInputs: d.train[0]!,
    trainTargets: d.train[1]!,
    testInputs: d.test[0]!,
    testTargets: d.test[1]!,
    w1: d.states[0]!,
    w2: d.states[1]!,
    d1: fixed("s1") ?? new Float64Array(M).fill(1),
    d2: fixed("s2") ?? new Float64Array(N).fill(1),
    feedbackWeights: fixed("B") ?? new Float64Array(N),
    shuffleSeed: d.shuffleSeed,
  };
}

/**
 * Packs simulations that share M, N, activation, feedback kind, sizes, batch and learning rate
 * into one backend batch (member b = members[b]).
 */
export function packBatch(spec: StudentTeacherSpec, members: StudentTeacherMember[]): StudentTeacherInit {
  const cat = (pick: (m: StudentTeacherMember) => Float64Array) => concatenate(members.map(pick));
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
