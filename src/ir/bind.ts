/**
 * Binding a network rule to values: sizes (defaults, `S = P` chains, overrides), choices and
 * parameters, each refused by name when unknown or out of range. Scalar expressions of the rule
 * (parameter defaults, law arguments, the learning rate) are evaluated here in float64, with
 * the operations the IR uses, so a constant folded here equals the same value computed by a
 * program.
 */

import { MAX_SIZE, type MExpr, type NetworkRuleSpec } from "../rules/network/spec.ts";
import { RuleError } from "../rules/rule-error.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { own, recordOf } from "../util/record.ts";
import { applyUnary } from "./elementwise.ts";
import type { UnaryFn } from "./program.ts";

/** Values for a rule's sizes, parameters and choices; anything absent takes its default. */
export interface RuleBindings {
  readonly sizes?: Readonly<Record<string, number>>;
  readonly params?: Readonly<Record<string, number>>;
  readonly choices?: Readonly<Record<string, string>>;
}

export { MAX_SIZE } from "../rules/network/spec.ts";

/**
 * Sorts `NAME=VALUE` settings into sizes, parameters and choices by what the rule declares;
 * a name the rule does not declare is refused with the names it does.
 */
export function classifyBindings(
  rule: NetworkRuleSpec,
  values: Readonly<Record<string, number | string>>,
  fn = "bindings",
): RuleBindings {
  const sizes: [string, number][] = [];
  const params: [string, number][] = [];
  const choices: [string, string][] = [];
  for (const [name, value] of Object.entries(values)) {
    if (rule.sizes.some((s) => s.name === name)) sizes.push([name, requireNumber(fn, name, value)]);
    else if (rule.params.some((p) => p.name === name)) params.push([name, requireNumber(fn, name, value)]);
    else if (rule.choices.some((c) => c.name === name)) choices.push([name, String(value)]);
    else {
      throw new InvalidArgumentError(
        fn,
        name,
        `a size, parameter or choice of rule "${rule.name}" (${declaredNames(rule).join(", ")})`,
        `${name}=${value}`,
      );
    }
  }
  return { sizes: recordOf(sizes), params: recordOf(params), choices: recordOf(choices) };
}

function requireNumber(fn: string, name: string, value: number | string): number {
  const x = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(x)) throw new InvalidArgumentError(fn, name, "a finite number", value);
  return x;
}

/** Every name a binding may set. */
export function declaredNames(rule: NetworkRuleSpec): string[] {
  return [
    ...rule.sizes.map((s) => s.name),
    ...rule.params.map((p) => p.name),
    ...rule.choices.map((c) => c.name),
  ];
}

/** Concrete sizes: overrides, then defaults (a default naming another size takes its value). */
export function resolveSizes(
  rule: NetworkRuleSpec,
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const fn = `sizes of rule "${rule.name}"`;
  for (const [name, v] of Object.entries(overrides)) {
    if (!rule.sizes.some((s) => s.name === name)) {
      throw new InvalidArgumentError(
        fn,
        name,
        `one of the sizes ${rule.sizes.map((s) => s.name).join(", ") || "(none)"}`,
        name,
      );
    }
    if (!Number.isInteger(v) || v < 1 || v > MAX_SIZE) {
      throw new InvalidArgumentError(fn, name, `an integer in [1, ${MAX_SIZE}]`, v);
    }
  }
  const out = new Map<string, number>();
  const declarations = new Map(rule.sizes.map((s) => [s.name, s]));
  // A chain of defaults (S = P, P = Q, ...) is followed with an explicit loop: a file may hold
  // any number of sizes, and no chain may exhaust the call stack.
  for (const s of rule.sizes) {
    const chain: string[] = [];
    let name = s.name;
    let value: number;
    for (;;) {
      const known = out.get(name) ?? own(overrides, name);
      if (known !== undefined) {
        value = known;
        break;
      }
      const decl = declarations.get(name)!;
      if (chain.includes(name)) {
        throw new RuleError(
          `sizes defined in a circle: ${[...chain, name].join(" = ")}`,
          decl.at.line,
          decl.at.column,
          rule.file,
        );
      }
      chain.push(name);
      if (typeof decl.default === "number") {
        value = decl.default;
        break;
      }
      name = decl.default;
    }
    for (const c of [s.name, ...chain]) out.set(c, value);
  }
  return recordOf(rule.sizes.map((s) => [s.name, out.get(s.name)!]));
}

/** The choice of each choice declaration: overrides (checked against the options), else the first option. */
export function resolveChoices(
  rule: NetworkRuleSpec,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const fn = `choices of rule "${rule.name}"`;
  for (const [name, v] of Object.entries(overrides)) {
    const c = rule.choices.find((x) => x.name === name);
    if (!c)
      throw new InvalidArgumentError(
        fn,
        name,
        `one of the choices ${rule.choices.map((x) => x.name).join(", ") || "(none)"}`,
        name,
      );
    if (!c.options.includes(v)) throw new InvalidArgumentError(fn, name, `one of ${c.options.join(", ")}`, v);
  }
  return recordOf(rule.choices.map((c) => [c.name, own(overrides, c.name) ?? c.options[0]!]));
}

/**
 * Parameter values: overrides, then defaults evaluated in declaration order (a default may use
 * sizes and earlier parameters). A parameter with neither is refused by name.
 */
export function resolveParams(
  rule: NetworkRuleSpec,
  sizes: Readonly<Record<string, number>>,
  overrides: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const fn = `parameters of rule "${rule.name}"`;
  for (const [name, v] of Object.entries(overrides)) {
    if (!rule.params.some((p) => p.name === name)) {
      throw new InvalidArgumentError(
        fn,
        name,
        `one of the parameters ${rule.params.map((p) => p.name).join(", ") || "(none)"}`,
        name,
      );
    }
    if (!Number.isFinite(v)) throw new InvalidArgumentError(fn, name, "a finite number", v);
  }
  const out = new Map<string, number>();
  for (const p of rule.params) {
    const given = own(overrides, p.name);
    if (given !== undefined) out.set(p.name, given);
    else if (p.default) {
      const env = recordOf([...Object.entries(sizes), ...out]);
      out.set(p.name, evaluateScalar(p.default, env, rule.file, `the default of ${p.name}`));
    } else {
      throw new InvalidArgumentError(
        fn,
        p.name,
        "a value (the rule gives no default)",
        "nothing",
        `set it, e.g. --set ${p.name}=1, or give a default in the rule file ("params ${p.name} = 1")`,
      );
    }
  }
  return recordOf(out);
}

/**
 * Evaluates a scalar expression (numbers, sizes, parameters, + - * / ^ and elementwise
 * functions) in float64; a non-finite result is a RuleError at the expression.
 */
export function evaluateScalar(
  e: MExpr,
  env: Readonly<Record<string, number>>,
  file: string,
  what: string,
): number {
  const value = scalar(e, env, file);
  if (!Number.isFinite(value)) {
    throw new RuleError(`${what} is ${value}, not a finite number`, e.at.line, e.at.column, file);
  }
  return value;
}

function scalar(e: MExpr, env: Readonly<Record<string, number>>, file: string): number {
  const rec = (x: MExpr) => scalar(x, env, file);
  switch (e.kind) {
    case "num":
      return e.value;
    case "name": {
      const v = own(env, e.name);
      if (v === undefined) {
        throw new RuleError(
          `"${e.name}" has no value here (only numbers, sizes and parameters)`,
          e.at.line,
          e.at.column,
          file,
        );
      }
      return v;
    }
    case "product":
    case "hadamard":
      return rec(e.left) * rec(e.right);
    case "divide":
    case "elementDivide":
      return rec(e.left) / rec(e.right);
    case "add":
      return rec(e.left) + rec(e.right);
    case "subtract":
      return rec(e.left) - rec(e.right);
    case "negate":
      return -rec(e.arg);
    case "transpose":
      return rec(e.arg);
    case "power":
      return applyUnary("pow", rec(e.base), e.exponent);
    case "call": {
      if (e.fn === "sum" || e.fn === "diag") return rec(e.args[0]!);
      const fn = (e.derivative ? `${e.fn}'` : e.fn) as UnaryFn;
      if (
        e.fn === "mean" ||
        !(["linear", "tanh", "relu", "sigmoid", "exp", "log", "sqrt", "abs"] as const).includes(
          e.fn as "tanh",
        )
      ) {
        throw new RuleError(
          `${e.fn}(...) cannot be evaluated here (only numbers, sizes and parameters)`,
          e.at.line,
          e.at.column,
          file,
        );
      }
      return applyUnary(fn, rec(e.args[0]!));
    }
  }
}
