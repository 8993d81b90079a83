/**
 * Integrates dy/dt = f(t, y) from t0 to t1 with a solver and a step-size controller passed in as
 * values. Every incompatible combination or malformed option is refused before the first step;
 * a failure during integration (step-size underflow, too many steps, non-finite state) is not
 * thrown but returned in the result with the time and state where it happened, so that callers
 * integrating many members can report each one.
 */
import { InvalidArgumentError, NumericFailureError, requirePositiveInteger } from "../util/errors.ts";
import type { FailureReason, IntegrationResult, Solver, StepSizeController, VectorField } from "./types.ts";

export interface IntegrateOptions {
  /** Start time (finite). */
  t0: number;
  /** End time (finite); t1 < t0 integrates backward in time. */
  t1: number;
  /** Initial state: at least one component, all finite. Not modified. */
  y0: ArrayLike<number>;
  /**
   * Times at which to save the state, monotone in the direction of integration and within
   * [t0, t1]; "steps" saves t0 and every accepted step. Default: only t1. Solvers with dense
   * output interpolate; others shorten steps to land on each save time.
   */
  saveAt?: readonly number[] | "steps";
  /** Bound on attempted steps (accepted + rejected); reaching it is a "max-steps" failure. */
  maxSteps: number;
}

const FN = "integrate";

// A step whose remaining gap to the stop is below this fraction of h lands exactly on the stop,
// so rounding in t never produces a sliver step.
const LANDING = 1e-9;

/** Solves the initial value problem; see the module comment for the contract. */
export function integrate(
  field: VectorField,
  solver: Solver,
  controller: StepSizeController,
  options: IntegrateOptions,
): IntegrationResult {
  if (typeof field !== "function") {
    throw new InvalidArgumentError(FN, "field", "a function (t, y, dy) => void", field);
  }
  if (!solver || typeof solver.stepper !== "function") {
    throw new InvalidArgumentError(FN, "solver", "a Solver (e.g. DormandPrince54)", solver);
  }
  if (!controller || typeof controller.start !== "function") {
    throw new InvalidArgumentError(FN, "controller", "a StepSizeController", controller);
  }
  if (!options || typeof options !== "object") {
    throw new InvalidArgumentError(FN, "options", "an object {t0, t1, y0, maxSteps}", options);
  }
  const { t0, t1 } = options;
  if (typeof t0 !== "number" || !Number.isFinite(t0)) {
    throw new InvalidArgumentError(FN, "t0", "a finite number", t0);
  }
  if (typeof t1 !== "number" || !Number.isFinite(t1)) {
    throw new InvalidArgumentError(FN, "t1", "a finite number", t1);
  }
  const maxSteps = requirePositiveInteger(FN, "maxSteps", options.maxSteps);
  const y0 = checkState(options.y0);
  const n = y0.length;
  if (controller.adaptive && !solver.adaptive) {
    throw new InvalidArgumentError(
      FN,
      "controller",
      `a fixed-step controller for the non-adaptive solver ${solver.name}`,
      controller.name,
      "use ConstantStepSize(dt), or an adaptive solver such as DormandPrince54",
    );
  }
  controller.check(solver, n);
  const direction: 1 | -1 = t1 >= t0 ? 1 : -1;
  const saveAt = options.saveAt;
  const saveSteps = saveAt === "steps";
  const saveTimes = saveAt === "steps" ? [] : checkSaveAt(saveAt, t0, t1, direction);

  const ts: number[] = [];
  const ys: Float64Array[] = [];
  let next = 0; // index of the next save time
  const saveState = (t: number, y: Float64Array) => {
    ts.push(t);
    ys.push(Float64Array.from(y));
  };
  while (next < saveTimes.length && saveTimes[next] === t0) saveState(saveTimes[next++]!, y0);
  if (saveSteps) saveState(t0, y0);
  if (t0 === t1) {
    return { status: "success", ts, ys, t: t1, y: y0, stats: { accepted: 0, rejected: 0, evaluations: 0 } };
  }

  const stepper = solver.stepper(field, n);
  const run = controller.start({ field, solver, t0, t1, y0, direction });
  let y = Float64Array.from(y0);
  let yNew = new Float64Array(n);
  const err = controller.adaptive ? new Float64Array(n) : null;
  const dense = new Float64Array(n);
  let t = t0;
  let hAbs = run.h0;
  let accepted = 0;
  let rejected = 0;
  let lastNonFinite = -1;

  const result = (
    status: "success" | "failed",
    failure?: IntegrationResult["failure"],
  ): IntegrationResult => ({
    status,
    ts,
    ys,
    t,
    y: Float64Array.from(y),
    ...(failure ? { failure } : {}),
    stats: { accepted, rejected, evaluations: stepper.evaluations + (run.evaluations ?? 0) },
  });
  const fail = (reason: FailureReason, message: string, h: number) =>
    result("failed", { reason, message, t, y: Float64Array.from(y), h, step: accepted + rejected });

  while (direction * (t1 - t) > 0) {
    if (accepted + rejected >= maxSteps) {
      return fail("max-steps", `${maxSteps} steps attempted before reaching t1 = ${t1}`, direction * hAbs);
    }
    // Stop at t1, or, without dense output, at the next save time.
    const stop = !solver.denseOutput && next < saveTimes.length ? saveTimes[next]! : t1;
    const toStop = Math.abs(stop - t);
    let h = hAbs;
    let landing = false;
    if (h >= toStop * (1 - LANDING)) {
      h = toStop;
      landing = true;
    } else if (h < run.hMin || t + direction * h === t) {
      return fail(
        lastNonFinite === accepted + rejected - 1 ? "non-finite-state" : "step-size-underflow",
        lastNonFinite === accepted + rejected - 1
          ? `the state became non-finite for every step size down to ${h}`
          : `step size ${h} below the smallest allowed (${Math.max(run.hMin, Math.abs(t) * Number.EPSILON)})`,
        direction * h,
      );
    }
    const hs = direction * h;
    stepper.step(t, y, hs, yNew, err);
    const badIndex = firstNonFinite(yNew);
    if (!controller.adaptive && badIndex >= 0) {
      return fail("non-finite-state", `component ${badIndex} became ${yNew[badIndex]} at t = ${t + hs}`, hs);
    }
    const decision = run.decide(h, y, yNew, err);
    // A non-finite error estimate means a non-finite stage (e.g. the last, first-same-as-last one).
    const nonFinite = badIndex >= 0 || (err !== null && firstNonFinite(err) >= 0);
    if (!decision.accept || nonFinite) {
      if (nonFinite) lastNonFinite = accepted + rejected;
      rejected++;
      hAbs = decision.accept ? h * 0.2 : decision.hNext;
      continue;
    }
    stepper.accept();
    accepted++;
    const tNew = landing ? stop : t + hs;
    if (saveSteps) saveState(tNew, yNew);
    while (next < saveTimes.length && direction * (saveTimes[next]! - tNew) <= 0) {
      const s = saveTimes[next++]!;
      if (s === tNew || !solver.denseOutput) saveState(s, yNew);
      else {
        stepper.interpolate((s - t) / hs, dense);
        saveState(s, dense);
      }
    }
    const swap = y;
    y = yNew;
    yNew = swap;
    t = tNew;
    hAbs = decision.hNext;
  }
  return result("success");
}

/** Returns the result's final state, or throws a NumericFailureError naming where it failed. */
export function requireSuccess(result: IntegrationResult, fn = FN): IntegrationResult {
  if (result.status === "success") return result;
  const f = result.failure!;
  throw new NumericFailureError(fn, `${f.reason}: ${f.message}`, { t: f.t, step: f.step, h: f.h });
}

function checkState(y0: ArrayLike<number> | undefined): Float64Array {
  if (!y0 || typeof y0.length !== "number" || y0.length === 0) {
    throw new InvalidArgumentError(FN, "y0", "a non-empty array of finite numbers", y0);
  }
  const y = Float64Array.from(y0);
  const bad = firstNonFinite(y);
  if (bad >= 0) throw new InvalidArgumentError(FN, `y0[${bad}]`, "a finite number", y0[bad]);
  return y;
}

function checkSaveAt(saveAt: readonly number[] | undefined, t0: number, t1: number, direction: 1 | -1) {
  if (saveAt === undefined) return [t1];
  if (!Array.isArray(saveAt)) {
    throw new InvalidArgumentError(FN, "saveAt", 'an array of times or "steps"', saveAt);
  }
  saveAt.forEach((s, i) => {
    if (
      typeof s !== "number" ||
      !Number.isFinite(s) ||
      direction * (s - t0) < 0 ||
      direction * (t1 - s) < 0
    ) {
      throw new InvalidArgumentError(FN, `saveAt[${i}]`, `a time within [${t0}, ${t1}]`, s);
    }
    if (i > 0 && direction * (s - saveAt[i - 1]!) < 0) {
      throw new InvalidArgumentError(
        FN,
        `saveAt[${i}]`,
        `${direction > 0 ? "non-decreasing" : "non-increasing"} times (direction of integration)`,
        s,
      );
    }
  });
  return saveAt;
}

function firstNonFinite(y: Float64Array): number {
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i]!)) return i;
  return -1;
}
