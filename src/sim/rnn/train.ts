/**
 * Plain SGD on a rate RNN with an exact or truncated gradient (seed 000, A.3), recording loss,
 * task metric and the leading Hessian eigenvalue λ1 of the recurrent block over training.
 *
 * Step-length matching (seed 000, A.3 and B.3): BPTT whose update is scaled by
 * ρ = ĝᵀg / gᵀg, the projection of the truncated rule's update ĝ on the exact gradient g,
 * computed at every step on the same batch (the seed's printed formula "ρ = ḡᵀḡ/ḡᵀḡ" is garbled;
 * this is the ρ of its eq. 6, ĝ = ρ g + e with e ⊥ g). ρ is taken over the input and
 * recurrent weights, the ones the truncation changes, and only their BPTT step is scaled by ρ:
 * the readout weights take the same exact step η g_out as under the truncated rule.
 *
 * λ1 comes from a `curvature` function passed in (src/hessian/rnn-hessian.ts provides one), so
 * that this layer does not depend on the spectral tools.
 */
import {
  InvalidArgumentError,
  NumericFailureError,
  requireOneOf,
  requirePositiveInteger,
} from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";
import { bpttGradient } from "./bptt.ts";
import { evaluate } from "./evaluate.ts";
import { parameterBlock } from "./params.ts";
import type { RnnTask } from "./tasks/task.ts";
import { type TruncatedRule, truncatedGradient, truncatedRules } from "./truncated.ts";

export type RuleName = "bptt" | TruncatedRule;
export const ruleNames: readonly RuleName[] = ["bptt", ...truncatedRules];

/** The learning-rate grid of seed 000, A.3. */
export const learningRateGrid = [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];

export interface TrainOptions {
  rule: RuleName;
  lr: number;
  steps: number;
  /** Train BPTT with its step scaled by ρ of `rule` (a truncated rule). */
  matchStepLength?: boolean;
  /** Record loss and metric every this many steps (and at the end). */
  evalEvery?: number;
  /** Record λ1 every this many steps (and at the end); 0 = only at the end. */
  lambdaEvery?: number;
  /** Seed of RFLO's fixed random feedback matrix. */
  feedbackSeed?: number;
  /** MDGL cell types (omitted: no cell-type approximation). */
  cellTypes?: Int32Array;
  /** Leading Hessian eigenvalue at θ (on the task's evaluation batch); needed when λ1 is recorded. */
  curvature?: (theta: Float64Array) => { eigenvalue: number; converged: boolean };
  /**
   * Stop at the first evaluation whose loss is at most this value, and record λ1 there ("BPTT
   * stopped early to match" the loss of another rule, as in seed 000, Table 1).
   */
  stopAtLoss?: number;
  onProgress?: (step: number) => void;
}

export interface TrainRecord {
  step: number;
  loss: number;
  metric: number;
  lambda1?: number;
  lambda1Converged?: boolean;
  /** Why λ1 could not be computed at this step (numeric failure), if it could not. */
  lambda1Failure?: string;
  /** ρ = ĝᵀg/gᵀg of the truncated rule at this step (truncated rules and matched BPTT). */
  rho?: number;
}

export interface TrainResult {
  theta: Float64Array;
  history: TrainRecord[];
  /** Set when training stopped on a non-finite or exploding loss. */
  diverged?: { step: number; reason: string };
  /** RFLO's feedback matrix (N x N_out) when used. */
  feedback?: Float64Array;
  /** The step at which `stopAtLoss` was reached, if it was. */
  stoppedAt?: number;
}

/** ρ = ĝᵀg / gᵀg over the coordinates [0, end). */
export function stepLengthRatio(approx: Float64Array, exact: Float64Array, end: number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < end; i++) {
    num += approx[i]! * exact[i]!;
    den += exact[i]! * exact[i]!;
  }
  return den > 0 ? num / den : Number.NaN;
}

export function rfloFeedback(task: RnnTask, seed: number): Float64Array {
  const { n, nOut } = task.config;
  return new Rng(seed * 31 + 5).normals(n * nOut, 0, 1 / Math.sqrt(n));
}

export function trainRnn(task: RnnTask, theta0: Float64Array, options: TrainOptions): TrainResult {
  const fn = "trainRnn";
  const rule = requireOneOf(fn, "rule", options.rule, ruleNames);
  const steps = requirePositiveInteger(fn, "steps", options.steps, 10_000_000);
  if (!(options.lr > 0) || !Number.isFinite(options.lr))
    throw new InvalidArgumentError(fn, "lr", "a positive number", options.lr);
  if (options.matchStepLength && rule === "bptt") {
    throw new InvalidArgumentError(
      fn,
      "rule",
      "a truncated rule (eprop, rflo, mdgl) whose ρ BPTT should match",
      rule,
      "--match-step-length scales BPTT by the ρ of that rule",
    );
  }
  const evalEvery = options.evalEvery ?? Math.max(1, Math.floor(steps / 50));
  const lambdaEvery = options.lambdaEvery ?? 0;
  const { config } = task;
  const theta = theta0.slice();
  const feedback = rule === "rflo" ? rfloFeedback(task, options.feedbackSeed ?? 0) : undefined;
  const truncEnd = parameterBlock(config, "output").offset;
  const history: TrainRecord[] = [];
  const record = (step: number, rho: number | undefined) => {
    const ev = evaluate(config, theta, task.evalBatch);
    const rec: TrainRecord = { step, loss: ev.loss, metric: ev.metric };
    if (rho !== undefined) rec.rho = rho;
    const stop = options.stopAtLoss !== undefined && ev.loss <= options.stopAtLoss;
    const due = step === steps || stop || (lambdaEvery > 0 && step % lambdaEvery === 0);
    if (Number.isFinite(ev.loss) && ev.loss <= 1e8 && options.curvature && due) {
      try {
        const r = options.curvature(theta);
        rec.lambda1 = r.eigenvalue;
        rec.lambda1Converged = r.converged;
      } catch (e) {
        if (!(e instanceof NumericFailureError)) throw e;
        rec.lambda1 = Number.NaN;
        rec.lambda1Converged = false;
        rec.lambda1Failure = e.message;
      }
    }
    history.push(rec);
    return ev.loss;
  };

  record(0, undefined);
  for (let step = 1; step <= steps; step++) {
    const batch = task.trainBatch(step);
    let update: Float64Array;
    let rho: number | undefined;
    let scale = options.lr;
    let batchLoss: number;
    if (rule === "bptt") {
      const r = bpttGradient(config, theta, batch);
      update = r.grad;
      batchLoss = r.loss;
    } else {
      const r = truncatedGradient(config, theta, batch, rule, { feedback, cellTypes: options.cellTypes });
      const approx = r.grad;
      batchLoss = r.loss;
      const wantRho = options.matchStepLength || step % evalEvery === 0 || step === steps;
      const exact = wantRho ? bpttGradient(config, theta, batch).grad : undefined;
      if (exact) rho = stepLengthRatio(approx, exact, truncEnd);
      if (options.matchStepLength) {
        update = exact!;
        scale = options.lr * rho!;
      } else update = approx;
    }
    // The minibatch loss comes with every gradient: a blow-up is caught at the step it happens,
    // before ReLU units that went silent could hide it from a later evaluation.
    if (!Number.isFinite(batchLoss) || batchLoss > 1e8) {
      return {
        theta,
        history,
        diverged: { step, reason: `minibatch loss ${batchLoss}` },
        ...(feedback ? { feedback } : {}),
      };
    }
    const lr = options.lr;
    if (Number.isFinite(scale)) for (let i = 0; i < truncEnd; i++) theta[i] = theta[i]! - scale * update[i]!;
    for (let i = truncEnd; i < theta.length; i++) theta[i] = theta[i]! - lr * update[i]!;
    if (step % evalEvery === 0 || step === steps || (lambdaEvery > 0 && step % lambdaEvery === 0)) {
      const bad = theta.findIndex((w) => !Number.isFinite(w));
      if (bad >= 0) {
        const reason = `weight ${bad} became ${theta[bad]}`;
        return { theta, history, diverged: { step, reason }, ...(feedback ? { feedback } : {}) };
      }
      const loss = record(step, rho);
      if (!Number.isFinite(loss) || loss > 1e8) {
        return {
          theta,
          history,
          diverged: { step, reason: `loss ${loss}` },
          ...(feedback ? { feedback } : {}),
        };
      }
      if (options.stopAtLoss !== undefined && loss <= options.stopAtLoss) {
        return { theta, history, stoppedAt: step, ...(feedback ? { feedback } : {}) };
      }
    }
    options.onProgress?.(step);
  }
  return { theta, history, ...(feedback ? { feedback } : {}) };
}

export interface LearningRateChoice {
  lr: number;
  table: { lr: number; loss: number; diverged: boolean }[];
}

/**
 * The learning rate of `grid` with the lowest final training loss after `steps` steps (seed 000,
 * A.3: "optimized based on the training performance"); diverged runs are excluded.
 */
export function selectLearningRate(
  task: RnnTask,
  theta0: Float64Array,
  options: Omit<TrainOptions, "lr" | "lambdaEvery" | "curvature">,
  grid: number[] = learningRateGrid,
): LearningRateChoice {
  const table = grid.map((lr) => {
    const r = trainRnn(task, theta0, { ...options, lr, lambdaEvery: 0, evalEvery: options.steps });
    const loss = r.history[r.history.length - 1]!.loss;
    return { lr, loss, diverged: Boolean(r.diverged) || !Number.isFinite(loss) };
  });
  const ok = table.filter((r) => !r.diverged);
  if (ok.length === 0)
    throw new InvalidArgumentError("selectLearningRate", "grid", "a grid with a non-diverging rate", grid);
  const best = ok.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { lr: best.lr, table };
}
