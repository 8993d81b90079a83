/**
 * The continuous-time limit of the student-teacher rules (seed 001 eq. 6 with data and the
 * activation), integrated with src/ode. Time is measured in epochs: one full-batch epoch of the
 * discrete rule is an explicit Euler step of size 1 of
 *
 *   dW1/dt = -eta (1/P) sum_mu ((f (.) phi'(a_mu)) e_mu) x_mu^T D1,
 *   dW2/dt = -eta (1/P) sum_mu e_mu h_mu^T D2,
 *
 * (eta the learning rate per epoch-sum, f = W2^T or the fixed B). Rescaling each layer to its
 * norm after every step becomes, in the limit, the projection of each layer's velocity onto the
 * tangent space of its sphere: dW/dt <- dW/dt - (<dW/dt, W> / ||W||^2) W, which keeps ||W||_F
 * constant. Minibatch noise vanishes in this limit, so the mode has no batch size.
 */
import { activate, activatePrime } from "../backend/activation.ts";
import { meanSquaredError } from "../backend/cpu-student-teacher.ts";
import { integrate } from "../ode/integrate.ts";
import type { Solver, StepSizeController, VectorField } from "../ode/types.ts";
import { requirePositiveInteger } from "../util/errors.ts";
import { logSpacedEpochs } from "./observables.ts";
import {
  checkSpec,
  drawMember,
  type StudentTeacherMember,
  type StudentTeacherSpec,
} from "./student-teacher.ts";

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

/** The vector field over the state [W1 (row-major), W2] described in the module comment. */
export function continuousField(spec: StudentTeacherSpec, member: StudentTeacherMember): VectorField {
  const { inputs: M, hidden: N, trainCount: P, activation, learningRate: eta } = spec;
  const X = member.trainInputs;
  const Y = member.trainTargets;
  const a = new Float64Array(N);
  const h = new Float64Array(N);
  return (_t, w, dw) => {
    dw.fill(0);
    const fb = spec.rule === "feedback-alignment" ? member.feedbackWeights : w.subarray(N * M);
    for (let mu = 0; mu < P; mu++) {
      let y = 0;
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let j = 0; j < M; j++) s += w[i * M + j]! * X[mu * M + j]!;
        a[i] = s;
        h[i] = activate(activation, s);
        y += w[N * M + i]! * h[i]!;
      }
      const e = y - Y[mu]!;
      for (let i = 0; i < N; i++) {
        dw[N * M + i]! -= ((eta * e * h[i]!) / P) * member.d2[i]!;
        const delta = (eta * fb[i]! * activatePrime(activation, a[i]!, h[i]!) * e) / P;
        for (let j = 0; j < M; j++) dw[i * M + j]! -= delta * X[mu * M + j]! * member.d1[j]!;
      }
    }
    if (spec.renormalize) {
      for (const [from, to] of [
        [0, N * M],
        [N * M, N * M + N],
      ] as const) {
        let wv = 0;
        let ww = 0;
        for (let q = from; q < to; q++) {
          wv += w[q]! * dw[q]!;
          ww += w[q]! * w[q]!;
        }
        const c = ww > 0 ? wv / ww : 0;
        for (let q = from; q < to; q++) dw[q]! -= c * w[q]!;
      }
    }
  };
}

/** Integrates the continuous-time rule of one spec (its batch size is ignored). */
export function simulateContinuous(spec: StudentTeacherSpec, options: ContinuousOptions): ContinuousResult {
  checkSpec("simulateContinuous", spec);
  const epochs = requirePositiveInteger("simulateContinuous", "epochs", options.epochs, 1e9);
  const member = drawMember(spec);
  const { inputs: M, hidden: N } = spec;
  const y0 = new Float64Array(N * M + N);
  y0.set(member.w1);
  y0.set(member.w2, N * M);
  const record = logSpacedEpochs(epochs, Math.max(2, options.recordCount ?? 40));
  const r = integrate(continuousField(spec, member), options.solver, options.controller, {
    t0: 0,
    t1: epochs,
    y0,
    saveAt: record,
    maxSteps: options.maxSteps ?? 1_000_000,
  });
  const final = r.ys.at(-1) ?? y0;
  // The state is [W1 (row-major), W2] of one member: member index 0 of the CPU reference's MSE.
  const error = (w: Float64Array, X: Float64Array, Y: Float64Array, count: number) =>
    meanSquaredError(spec, w.subarray(0, N * M), w.subarray(N * M), 0, X, Y, count);
  return {
    spec,
    epochs: r.ts,
    trainError: r.ys.map((w) => error(w, member.trainInputs, member.trainTargets, spec.trainCount)),
    testError: r.ys.map((w) => error(w, member.testInputs, member.testTargets, spec.testCount)),
    w1: Float64Array.from(final.subarray(0, N * M)),
    w2: Float64Array.from(final.subarray(N * M)),
    failure: r.failure ? { reason: r.failure.reason, message: r.failure.message, epoch: r.failure.t } : null,
    stats: { ...r.stats },
  };
}
