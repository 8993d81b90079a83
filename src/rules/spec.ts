/**
 * RuleSpec: a learning rule as a dynamical system, the one definition every layer reads.
 *
 * A flow is dx/dt = f(x; p); a map is x' = F(x; p). `states` are the dynamic variables x,
 * `params` the constants p (each with an optional default value used where numbers are
 * needed), and `field[i]` is the right-hand side for `states[i]`.
 */
import { type Expr, formatExpr, variablesOf } from "../expr/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { recordOf } from "../util/record.ts";

export type RuleKind = "flow" | "map";

export interface ParamSpec {
  readonly name: string;
  /**
   * Value used for numeric work and classification: exact decimal or fraction text, e.g. "0.1"
   * or "1/3". Without one the parameter stays symbolic.
   */
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
    if (p.default !== undefined && !isParamValueText(p.default)) {
      throw new InvalidArgumentError(
        fn,
        `default of ${p.name}`,
        "a decimal number or a fraction like 1/3",
        p.default,
      );
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
  return Object.fromEntries(rule.params.map((p) => [p.name, paramValueNumber(p.default!)]));
}

/** Whether `text` is a parameter value: a decimal number ("0.1", "-2e-3") or a fraction ("1/3"). */
export function isParamValueText(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || /^[+-]?\d+\/[1-9]\d*$/.test(text);
}

/** The numeric values of the parameters that have one (see {@link paramValueNumber}). */
export function paramValues(rule: RuleSpec): Record<string, number> {
  return recordOf(
    rule.params.flatMap((p) =>
      p.default === undefined ? [] : [[p.name, paramValueNumber(p.default)] as const],
    ),
  );
}

/** The float64 value of a parameter value text (a fraction as the float64 quotient of its parts). */
export function paramValueNumber(text: string): number {
  const slash = text.indexOf("/");
  return slash < 0 ? Number(text) : Number(text.slice(0, slash)) / Number(text.slice(slash + 1));
}

/** Names of the parameters without a value. */
export function symbolicParams(rule: RuleSpec): string[] {
  return rule.params.filter((p) => p.default === undefined).map((p) => p.name);
}

/**
 * The rule with some parameter values set (e.g. from `--param mu=1/4`): each name must be a
 * parameter of the rule and each value a decimal number or fraction. `fn` and `option` name
 * the caller in errors.
 */
export function withParamValues(
  rule: RuleSpec,
  values: Readonly<Record<string, string>>,
  fn = "withParamValues",
  option = "params",
): RuleSpec {
  const names = rule.params.map((p) => p.name);
  for (const [name, value] of Object.entries(values)) {
    if (!names.includes(name))
      throw new InvalidArgumentError(
        fn,
        option,
        `a parameter of rule "${rule.name}" (${names.join(", ") || "it has none"})`,
        name,
      );
    if (!isParamValueText(value))
      throw new InvalidArgumentError(
        fn,
        `${option} ${name}`,
        "a decimal number or a fraction like 1/3",
        value,
      );
  }
  return {
    ...rule,
    params: rule.params.map((p) => (Object.hasOwn(values, p.name) ? { ...p, default: values[p.name]! } : p)),
  };
}
