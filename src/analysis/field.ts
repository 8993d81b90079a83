/**
 * The polynomial form of a rule: its field as exact polynomials in states and parameters.
 * Every symbolic analysis starts here. A field rational in states or parameters (`x/tau`,
 * `x/(1 + y^2)`) is written over one common denominator D, f = F / D, and F is kept: F has the
 * same fixed points where D != 0, the same orbits (a flow F / D is F with time rescaled by D),
 * and at a fixed point the Jacobian of f is J_F / D for a flow. A rule with functions (exp,
 * tanh, ...) is refused with the offending subexpression named (see {@link NotPolynomialError}).
 */
import { isRationalExpr, Poly, polyGcd, Rational, toPoly, toRationalFunction } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { recordOf } from "../util/record.ts";

export interface PolyField {
  readonly rule: RuleSpec;
  readonly states: readonly string[];
  readonly params: readonly string[];
  /**
   * The right-hand sides over the common denominator: dx/dt = f(x) / D for a flow,
   * x' = f(x) / D for a map (D = 1 for a polynomial rule).
   */
  readonly f: readonly Poly[];
  /**
   * The numerators whose zeros are the fixed points: f for a flow, f(x) - D x for a map (for a
   * polynomial map the displacement per step).
   */
  readonly g: readonly Poly[];
  /** The common denominator D (primitive, 1 for a polynomial rule). */
  readonly denominator: Poly;
}

/**
 * The rule's field as polynomials; `fn` names the caller in the error for other rules. Rational
 * fields are accepted (over their common denominator) only with `rational: true`, so that a
 * caller that reads `f` as the field itself never gets F = D f by mistake.
 */
export function polyField(rule: RuleSpec, fn = "polyField", options: { rational?: boolean } = {}): PolyField {
  if (!options.rational) for (const e of rule.field) toPoly(e, `${fn} (rule "${rule.name}")`);
  const parts = rule.field.map((e) => toRationalFunction(e, `${fn} (rule "${rule.name}")`));
  // D = lcm of the denominators
  let D = Poly.ONE;
  for (const { den } of parts) {
    const g = polyGcd(D, den);
    D = D.mul(g.isConstant() ? den : den.exactQuotient(g)!);
  }
  const k = D.content();
  D = D.scale(k.inv());
  const f = parts.map(({ num, den }) => num.mul(D.exactQuotient(den)!));
  const g = rule.kind === "flow" ? f : f.map((p, i) => p.sub(D.mul(Poly.variable(rule.states[i]!))));
  return { rule, states: rule.states, params: rule.params.map((p) => p.name), f, g, denominator: D };
}

/**
 * Whether the rule's field is polynomial or rational (no functions), read from the expression
 * trees without expanding them (see {@link isRationalExpr}).
 */
export function isRationalField(rule: RuleSpec): boolean {
  return rule.field.every(isRationalExpr);
}

/** Exact parameter values (decimal or fraction text read exactly); parameters without one are left out. */
export function exactDefaults(rule: RuleSpec): Record<string, Poly> {
  return recordOf(
    rule.params.flatMap((p) =>
      p.default !== undefined ? [[p.name, Poly.constant(Rational.parse(p.default))]] : [],
    ),
  );
}
