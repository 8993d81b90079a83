/**
 * Trajectories of a scalar rule from a few starting points: a flow integrated with
 * Dormand-Prince 5(4) and a PI controller, a map iterated. A start whose solution leaves every
 * bound (finite-time blow-up, too many steps, a non-finite state) keeps what was computed up to
 * there and says why it stopped; the others go on.
 */
import { bindParameters } from "../ode/compiled-field.ts";
import { DormandPrince54 } from "../ode/dormand-prince54.ts";
import { integrate } from "../ode/integrate.ts";
import { iterateMap } from "../ode/iterate-map.ts";
import { PIController } from "../ode/pi-controller.ts";
import { ruleVectorField } from "../ode/rule-field.ts";
import type { RuleSpec } from "../rules/spec.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";

export interface TrajectoryOptions {
  /** Parameter values by name (every parameter of the rule). */
  params: Record<string, number>;
  /** Number of starts, drawn uniformly from [-box, box]^n (default 6). */
  starts?: number;
  box?: number;
  /** Seed of the starts (default 1). */
  seed?: number;
  /** Flows: end time (default 10); maps: iterations (default 200). */
  horizon?: number;
  /** Saved points per trajectory besides the start (default 200; maps: at most the iterations). */
  saves?: number;
}

export interface Trajectory {
  start: number[];
  /** Times (flows) or iteration indices (maps) of the saved states. */
  t: number[];
  /** y[k][i]: state i at t[k]. */
  y: number[][];
  /** Why the trajectory stopped before the horizon, or null when it reached it. */
  stopped: string | null;
}

export interface RuleTrajectories {
  rule: string;
  kind: "flow" | "map";
  states: string[];
  params: Record<string, number>;
  horizon: number;
  solver: string;
  seed: number;
  trajectories: Trajectory[];
}

// Tolerances of the report's trajectories: drawn at plot resolution, so 1e-8 is far below
// what a figure shows while still cheap for these small systems.
const TOLERANCE = 1e-8;
const MAX_STEPS = 50_000;

/** Trajectories of `rule` from seeded random starts (see the module comment). */
export function ruleTrajectories(rule: RuleSpec, options: TrajectoryOptions): RuleTrajectories {
  const fn = "ruleTrajectories";
  const count = options.starts ?? 6;
  const box = options.box ?? 2;
  const seed = options.seed ?? 1;
  const horizon = options.horizon ?? (rule.kind === "flow" ? 10 : 200);
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new InvalidArgumentError(fn, "starts", "an integer in [1, 100]", count);
  }
  if (!(box > 0)) throw new InvalidArgumentError(fn, "box", "a number > 0", box);
  if (!(horizon > 0) || (rule.kind === "map" && !Number.isInteger(horizon))) {
    throw new InvalidArgumentError(
      fn,
      "horizon",
      rule.kind === "map" ? "an integer >= 1" : "a number > 0",
      horizon,
    );
  }
  const field = bindParameters(ruleVectorField(rule), options.params);
  const rng = new Rng(seed);
  const n = rule.states.length;
  const starts = Array.from({ length: count }, () =>
    Array.from({ length: n }, () => box * (2 * rng.uniform() - 1)),
  );
  const saves = Math.min(options.saves ?? 200, rule.kind === "map" ? horizon : Number.POSITIVE_INFINITY);
  const trajectories = starts.map((start): Trajectory => {
    if (rule.kind === "map") {
      const r = iterateMap((k, y, next) => field(k, y, next), {
        y0: start,
        iterations: horizon,
        saveEvery: Math.max(1, Math.floor(horizon / saves)),
      });
      return {
        start,
        t: r.ks,
        y: r.ys.map((y) => Array.from(y)),
        stopped: r.failure ? `${r.failure.reason} after iteration ${r.failure.k}` : null,
      };
    }
    const saveAt = Array.from({ length: saves + 1 }, (_, k) =>
      k === saves ? horizon : (k * horizon) / saves,
    );
    const r = integrate(field, DormandPrince54, PIController({ rtol: TOLERANCE, atol: TOLERANCE }), {
      t0: 0,
      t1: horizon,
      y0: start,
      saveAt,
      maxSteps: MAX_STEPS,
    });
    return {
      start,
      t: r.ts,
      y: r.ys.map((y) => Array.from(y)),
      stopped: r.failure ? `${r.failure.reason} at t = ${r.failure.t.toPrecision(4)}` : null,
    };
  });
  return {
    rule: rule.name,
    kind: rule.kind,
    states: [...rule.states],
    params: { ...options.params },
    horizon,
    solver:
      rule.kind === "flow" ? `Dormand-Prince 5(4), PI controller, rtol = atol = ${TOLERANCE}` : "iteration",
    seed,
    trajectories,
  };
}
