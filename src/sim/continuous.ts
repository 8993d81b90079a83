/**
 * The continuous-time limit of a flow rule, integrated with src/ode. Time is measured in epochs:
 * an epoch of the discrete rule moves each state by lr F summed over its P / S minibatch steps
 * (each of size lr S / P), so in the limit of small steps
 *
 *   dW/dt = lr F(W),
 *
 * with F the rule's update `d/dt W = F` averaged over the whole training set
 * (CompiledRule.field) and lr the rule's learning rate (for a rule without data, one step of size
 * lr per epoch gives the same limit). Rescaling a state to its norm after every step becomes, in
 * the limit, the projection of its velocity onto the tangent space of its sphere:
 * dW/dt <- dW/dt - (<dW/dt, W> / ||W||^2) W, which keeps ||W||_F constant. Minibatch noise
 * vanishes in this limit, so the mode has no minibatch size.
 *
 * `simulateContinuous` keeps the StudentTeacherSpec interface (seed 001's two-layer rules, eq. 6
 * with data and the activation).
 */

import { evaluateScalar } from "../ir/bind.ts";
import type { RunData } from "../ir/draw.ts";
import { prepareProgram } from "../ir/interpret.ts";
import { drawRuns, type NetworkModel } from "../ir/model.ts";
import { integrate } from "../ode/integrate.ts";
import type { Solver, StepSizeController, VectorField } from "../ode/types.ts";
import { InvalidArgumentError, requirePositiveInteger } from "../util/errors.ts";
import { logSpacedEpochs } from "./observables.ts";
import { missingObservables, type RuleRun, type RunIdentity } from "./rule-run.ts";
import { checkSpec, type StudentTeacherSpec, studentTeacherRun } from "./student-teacher.ts";

export interface ContinuousOptions {
  /** End time in epochs. */
  epochs: number;
  solver: Solver;
  controller: StepSizeController;
  /** Number of log-spaced record times (default 40). */
  recordCount?: number;
  /** Bound on attempted steps (default 1e6). */
  maxSteps?: number;
}

/** The integration of one run of a flow rule. */
export interface ContinuousRun extends RunIdentity {
  /** Times (in epochs) at which the errors were recorded. */
  epochs: number[];
  /** The rule's error over the training set at those times (the error of the states for a rule without data); null without an error. */
  trainError: number[] | null;
  /** The error over the test set; null for a rule without an error or without data. */
  testError: number[] | null;
  /** The states at the last time reached, in declaration order. */
  states: Float64Array[];
  /** Where the integration stopped early, or null. */
  failure: { reason: string; message: string; epoch: number } | null;
  stats: { accepted: number; rejected: number; evaluations: number };
  /** What the run does not report, and why. */
  notes: string[];
}

/** Offsets of each state in the concatenated state vector, and its total length. */
function layout(model: NetworkModel): { offsets: number[]; length: number } {
  const offsets: number[] = [];
  let length = 0;
  for (const s of model.compiled.states) {
    offsets.push(length);
    length += s.rows * s.cols;
  }
  return { offsets, length };
}

/** Views of the states in the concatenated vector y. */
function stateViews(model: NetworkModel, y: Float64Array): Float64Array[] {
  const { offsets } = layout(model);
  return model.compiled.states.map((s, k) => y.subarray(offsets[k]!, offsets[k]! + s.rows * s.cols));
}

/** The run's parameters by name. */
function paramsOf(model: NetworkModel, run: RunData): Record<string, number> {
  return Object.fromEntries(model.compiled.params.map((p, k) => [p, run.params[k]!]));
}

/**
 * The vector field lr F over the states concatenated in declaration order (row-major), with the
 * velocity of each renormalized state projected onto its sphere (see the module comment). A map
 * (no d/dt) has no field and is refused.
 */
export function ruleField(model: NetworkModel, run: RunData): VectorField {
  const fn = "ruleField";
  const { compiled, spec } = model;
  if (!compiled.field || !spec.learningRate) {
    throw new InvalidArgumentError(
      fn,
      "rule",
      "a flow (updates written d/dt W = ...)",
      `the map ${compiled.name} (updates written W' = ...)`,
      "a map's step is its own discrete update: simulate it without --mode continuous",
    );
  }
  const lr = learningRate(model, run);
  const field = prepareProgram(compiled.field);
  const { offsets } = layout(model);
  return (_t, w, dw) => {
    const F = field.run({
      states: stateViews(model, w),
      fixed: run.fixed,
      params: run.params,
      data: run.train,
    });
    compiled.states.forEach((s, k) => {
      const o = offsets[k]!;
      const n = s.rows * s.cols;
      const f = F[k]!;
      for (let q = 0; q < n; q++) dw[o + q] = lr * f[q]!;
      if (!s.renormalize) return;
      let wv = 0;
      let ww = 0;
      for (let q = o; q < o + n; q++) {
        wv += w[q]! * dw[q]!;
        ww += w[q]! * w[q]!;
      }
      const c = ww > 0 ? wv / ww : 0;
      for (let q = o; q < o + n; q++) dw[q]! -= c * w[q]!;
    });
  };
}

/** The rule's learning rate lr at the run's sizes and parameters (the time scale of the flow). */
export function learningRate(model: NetworkModel, run: RunData): number {
  const { compiled, spec } = model;
  if (!spec.learningRate)
    throw new InvalidArgumentError(
      "learningRate",
      "rule",
      "a rule with a learning-rate line",
      `rule ${compiled.name} without one`,
    );
  return evaluateScalar(
    spec.learningRate.expr,
    { ...compiled.sizes, ...paramsOf(model, run) },
    spec.file,
    "the learning rate",
  );
}

/** Integrates the continuous-time limit of one run of a flow rule (see the module comment). */
export function integrateRun(ruleRun: RuleRun, options: ContinuousOptions): ContinuousRun {
  const fn = "integrateRun";
  const epochs = requirePositiveInteger(fn, "epochs", options.epochs, 1e9);
  const { model } = ruleRun;
  const { compiled } = model;
  const [run] = drawRuns(model, [ruleRun]);
  const field = ruleField(model, run!);
  const { offsets, length } = layout(model);
  const y0 = new Float64Array(length);
  run!.states.forEach((s, k) => {
    y0.set(s, offsets[k]!);
  });
  const record = logSpacedEpochs(epochs, Math.max(2, options.recordCount ?? 40));
  const r = integrate(field, options.solver, options.controller, {
    t0: 0,
    t1: epochs,
    y0,
    saveAt: record,
    maxSteps: options.maxSteps ?? 1_000_000,
  });
  const final = r.ys.at(-1) ?? y0;
  const error = (set: "train" | "test") => {
    if (!compiled.error) return null;
    const program = prepareProgram(compiled.error[set]);
    const data = set === "train" ? run!.train : run!.test;
    return r.ys.map(
      (y) =>
        program.run({ states: stateViews(model, y), fixed: run!.fixed, params: run!.params, data })[0]![0]!,
    );
  };
  return {
    rule: compiled.name,
    seed: ruleRun.seed,
    sizes: { ...compiled.sizes },
    choices: { ...compiled.choices },
    params: paramsOf(model, run!),
    epochs: r.ts,
    trainError: error("train"),
    testError: compiled.samples ? error("test") : null,
    states: stateViews(model, Float64Array.from(final)),
    failure: r.failure ? { reason: r.failure.reason, message: r.failure.message, epoch: r.failure.t } : null,
    stats: { ...r.stats },
    notes: missingObservables(compiled),
  };
}

/** The integration of one student-teacher spec. */
export interface ContinuousResult {
  spec: StudentTeacherSpec;
  epochs: number[];
  trainError: number[];
  testError: number[];
  /** Final W1 (N x M) and W2 (N). */
  w1: Float64Array;
  w2: Float64Array;
  /** Where the integration stopped early, or null. */
  failure: { reason: string; message: string; epoch: number } | null;
  stats: { accepted: number; rejected: number; evaluations: number };
}

/** Integrates the continuous-time rule of one spec (its batch size is ignored). */
export function simulateContinuous(spec: StudentTeacherSpec, options: ContinuousOptions): ContinuousResult {
  checkSpec("simulateContinuous", spec);
  const r = integrateRun(studentTeacherRun(spec), options);
  return {
    spec,
    epochs: r.epochs,
    // The two-layer rules declare an error and have data.
    trainError: r.trainError!,
    testError: r.testError!,
    w1: r.states[0]!,
    w2: r.states[1]!,
    failure: r.failure,
    stats: r.stats,
  };
}
