/**
 * RuleSpec: a learning rule as a dynamical system, the one definition every layer reads.
 *
 * A flow is dx/dt = f(x; p); a map is x' = F(x; p). `states` are the dynamic variables x,
 * `params` the constants p (each with an optional default value used where numbers are
 * needed), and `field[i]` is the right-hand side for `states[i]`.
 */
import { type Expr, formatExpr, variablesOf } from "../expr/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";

export type RuleKind = "flow" | "map";

export interface ParamSpec {
  readonly name: string;
  /** Value used for numeric work and classification; exact decimal text, e.g. "0.1". */
  readonly default?: string;
}

export interface RuleSpec {
  readonly name: string;
  readonly kind: RuleKind;
  readonly states: readonly string[];
  readonly params: readonly ParamSpec[];
  /** Right-hand side per state, in the order of `states`. */
  readonly field: readonly Expr[];
  /** Where the rule comes from, e.g. "seed 001, eq. 8". */
  readonly source?: string;
  /** One line saying what the rule is. */
  readonly description?: string;
}

/**
 * Names the rule language reserves: `lambda` is the variable of characteristic polynomials, `i`
 * the imaginary unit in eigenvalues, and the function names.
 */
export const RESERVED_NAMES = ["lambda", "i", "exp", "log", "sin", "cos", "tanh", "sqrt"] as const;

/**
 * Checks a RuleSpec built in code (rule files are checked with positions by parseRule):
 * distinct names, one field per state, no unknown variables. Returns the spec.
 */
export function validateRule(rule: RuleSpec): RuleSpec {
  const fn = "validateRule";
  const names = new Set<string>();
  for (const n of [...rule.states, ...rule.params.map((p) => p.name)]) {
    if ((RESERVED_NAMES as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(fn, "states/params", `names other than ${RESERVED_NAMES.join(", ")}`, n);
    }
    if (names.has(n)) throw new InvalidArgumentError(fn, "states/params", "distinct names", `"${n}" twice`);
    names.add(n);
  }
  if (rule.states.length === 0) throw new InvalidArgumentError(fn, "states", "at least one state", "none");
  if (rule.field.length !== rule.states.length) {
    throw new InvalidArgumentError(
      fn,
      "field",
      `one expression per state (${rule.states.length})`,
      rule.field.length,
    );
  }
  rule.field.forEach((e, i) => {
    for (const v of variablesOf(e)) {
      if (!names.has(v)) {
        throw new InvalidArgumentError(
          fn,
          `field of ${rule.states[i]}`,
          `an expression in the states and params (${[...names].join(", ")})`,
          formatExpr(e),
          `unknown variable "${v}" in rule "${rule.name}"`,
        );
      }
    }
  });
  for (const p of rule.params) {
    if (p.default !== undefined && !Number.isFinite(Number(p.default))) {
      throw new InvalidArgumentError(fn, `default of ${p.name}`, "a finite decimal number", p.default);
    }
  }
  return rule;
}

/** Default parameter values as numbers; throws naming the parameters that have none. */
export function defaultParams(rule: RuleSpec): Record<string, number> {
  const missing = rule.params.filter((p) => p.default === undefined).map((p) => p.name);
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      "defaultParams",
      "rule",
      `default values for all parameters of rule "${rule.name}"`,
      `none for ${missing.join(", ")}`,
      'give them in the rule file, e.g. "params s = 1"',
    );
  }
  return Object.fromEntries(rule.params.map((p) => [p.name, Number(p.default)]));
}
