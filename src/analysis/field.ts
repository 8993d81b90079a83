/**
 * The polynomial form of a rule: its field as exact polynomials in states and parameters.
 * Every symbolic analysis starts here; a non-polynomial rule is refused with the offending
 * subexpression named (see {@link NotPolynomialError}).
 */
import { Poly, Rational, toPoly } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { recordOf } from "../util/record.ts";

export interface PolyField {
  readonly rule: RuleSpec;
  readonly states: readonly string[];
  readonly params: readonly string[];
  /** The right-hand sides: dx/dt = f(x) for a flow, x' = f(x) for a map. */
  readonly f: readonly Poly[];
  /**
   * The function whose zeros are the fixed points: f for a flow, f(x) - x for a map. For a
   * map this is also the displacement per step.
   */
  readonly g: readonly Poly[];
}

/** The rule's field as polynomials; `fn` names the caller in the error for non-polynomial rules. */
export function polyField(rule: RuleSpec, fn = "polyField"): PolyField {
  const f = rule.field.map((e) => toPoly(e, `${fn} (rule "${rule.name}")`));
  const g = rule.kind === "flow" ? f : f.map((p, i) => p.sub(Poly.variable(rule.states[i]!)));
  return { rule, states: rule.states, params: rule.params.map((p) => p.name), f, g };
}

/** Exact default parameter values (decimal text read exactly); parameters without one are left out. */
export function exactDefaults(rule: RuleSpec): Record<string, Poly> {
  return recordOf(
    rule.params.flatMap((p) =>
      p.default !== undefined ? [[p.name, Poly.constant(Rational.parse(p.default))]] : [],
    ),
  );
}
