/**
 * A derived law's boundary against the rule's own random draws: on each row of the map with a
 * crossing x*, the rule is drawn (its teachers, signs and fixed tensors, from its own laws and
 * random streams, src/ir/draw.ts) at a finite size on either side of x*, and its finite-size X
 * (reduced-matrix.ts, the scalar words at their drawn values) tells whether that teacher point is
 * stable: the rule's Jacobian there has nonzero eigenvalues spec(X), stable iff max Re < 0.
 *
 * The points are x* / 1.5 and 1.5 x* on a log axis, x* ∓ 0.2 (hi − lo) on a linear one (clamped to
 * the axis): far enough from the boundary that the finite-size shift of the extreme eigenvalue
 * (Tracy–Widom, O(n^{-2/3}) relative at a square-root edge) and the O(n^{-1/2}) fluctuation of
 * the scalar words cannot change the verdict once every dimension is large (the check draws the
 * smallest dimension at n, the others in the law's proportions; n = 100 suffices for the rules
 * tested, a non-normal X converging more slowly: its extreme eigenvalue approaches the Brown
 * measure's edge only as the smallest dimension grows), and the verdict checks both the derivation
 * and its large-network limit with nothing in common but the rule file.
 */

import { resolveChoices } from "../../ir/bind.ts";
import { compileModel, drawRuns } from "../../ir/model.ts";
import type { NetworkRuleSpec } from "../../rules/network/spec.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { realEigen } from "../../util/real-eigen.ts";
import type { ExpressionBoundaryPoint, PhaseAxis } from "../expression-phase.ts";
import { reducedMatrix } from "./reduced-matrix.ts";
import type { TeacherPointLaw } from "./teacher-point-law.ts";

/** Largest smallest-dimension of a check (X is formed densely: M² entries, O(M³) eigenvalues). */
export const LAW_CHECK_MAX_SIZE = 2000;
/** Largest dimension drawn (a teacher of the largest times the input's dimension is drawn). */
export const LAW_CHECK_MAX_DIMENSION = 20_000;

export interface LawSample {
  /** The value of the x axis. */
  x: number;
  /** The rule's sizes drawn. */
  sizes: Record<string, number>;
  /** max Re spec(X): the rightmost nonzero eigenvalue of the rule's Jacobian at its teacher point. */
  rightmost: number;
  stable: boolean;
}

export interface LawCheck {
  y: number;
  xStar: number;
  below: LawSample;
  above: LawSample;
  /** Whether the samples are on the sides the law says: stable below x* iff the crossing says so. */
  agrees: boolean;
}

export function checkLawBySampling(
  rule: NetworkRuleSpec,
  law: TeacherPointLaw,
  boundary: readonly ExpressionBoundaryPoint[],
  axes: { x: PhaseAxis; y: PhaseAxis },
  options: {
    /** The smallest dimension drawn (the others in the law's proportions). */
    n: number;
    seed: number;
    /** The law's params at the map's fixed values. */
    params: Readonly<Record<string, number>>;
    /** The rule's choices. */
    choices: Readonly<Record<string, string>>;
  },
): LawCheck[] {
  const fn = "phase --sample";
  if (!(Number.isInteger(options.n) && options.n >= 10 && options.n <= LAW_CHECK_MAX_SIZE))
    throw new InvalidArgumentError(fn, "--sample", `an integer in [10, ${LAW_CHECK_MAX_SIZE}]`, options.n);
  const base = law.alphabet.get(rule.states[0]!.name)!.rows as string;
  const ruleParams = new Set(rule.params.map((p) => p.name));
  const sample = (values: Record<string, number>, xv: number): LawSample => {
    // Relative sizes: the first layer's rows 1, the input c, any other dimension r_A; scaled so
    // that the smallest dimension is n.
    const ratio = (name: string) =>
      name === base ? 1 : name === law.inputDim ? values.c! : values[`r_${name}`];
    const named = rule.sizes.map((s) => s.name).filter((name) => ratio(name) !== undefined);
    const unit = options.n / Math.min(...named.map((name) => ratio(name)!));
    const sizes: Record<string, number> = {};
    for (const name of named) sizes[name] = Math.max(1, Math.round(ratio(name)! * unit));
    const largest = Math.max(...Object.values(sizes));
    if (largest > LAW_CHECK_MAX_DIMENSION)
      throw new InvalidArgumentError(
        fn,
        "--sample",
        `a size whose largest dimension at ${xv} stays ≤ ${LAW_CHECK_MAX_DIMENSION}`,
        `${options.n} (${JSON.stringify(sizes)})`,
      );
    const M = sizes[law.inputDim as string]!;
    if (M > LAW_CHECK_MAX_SIZE)
      throw new InvalidArgumentError(fn, "--sample", `sizes with ${law.inputDim} ≤ ${LAW_CHECK_MAX_SIZE}`, M);
    const params = Object.fromEntries(Object.entries(values).filter(([k]) => ruleParams.has(k)));
    const model = compileModel(rule, { sizes, params, choices: resolveChoices(rule, options.choices) });
    const [run] = drawRuns(model, [{ seed: options.seed, params }]);
    const names = rule.fixed.map((d) => d.name);
    const tensor = (name: string) => {
      const k = names.indexOf(name);
      const shape = model.compiled.fixed[k]!;
      return { rows: shape.rows, cols: shape.cols, data: run!.fixed[k]! };
    };
    const X = reducedMatrix(law, M, tensor, values);
    const rightmost = Math.max(...realEigen(X).re);
    return { x: xv, sizes, rightmost, stable: rightmost < 0 };
  };
  const out: LawCheck[] = [];
  const { x, y } = axes;
  for (const b of boundary) {
    // A crossing to or from an atom at 0 is not checked: at finite size the atom splits into
    // eigenvalues of either sign, O(n^{-1/2}).
    if (b.xStar === null || b.crossings[0]!.between.includes("marginal")) continue;
    const spread = 0.2 * (x.hi - x.lo);
    const lo = x.log ? b.xStar / 1.5 : Math.max(x.lo, b.xStar - spread);
    const hi = x.log ? b.xStar * 1.5 : Math.min(x.hi, b.xStar + spread);
    const at = (xv: number) => ({ ...options.params, [x.name]: xv, [y.name]: b.y });
    const below = sample(at(lo), lo);
    const above = sample(at(hi), hi);
    const first = b.crossings[0]!;
    out.push({
      y: b.y,
      xStar: b.xStar,
      below,
      above,
      agrees: below.stable === first.stableBelow && above.stable !== first.stableBelow,
    });
  }
  return out;
}
