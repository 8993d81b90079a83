/**
 * A continuation problem as a value (BifurcationKit.jl's BifurcationProblem): a map
 * H: R^(n+1) -> R^m of u = (x, p), the states x and one free parameter p last, whose zero set
 * near a regular point is a curve. For fixed points of a rule H = g (f for a flow, f(x) - x for a
 * map, m = n); for a family of fixed points (the field's Jacobian rank-deficient along the whole
 * set) invariants fixed at their values at a point x0 are appended (m > n), so that the
 * solutions are the fixed points on x0's level set, a curve in (x, p).
 */
import type { Expr } from "../../expr/index.ts";
import { compileExpr, differentiate } from "../../expr/index.ts";
import type { RuleSpec } from "../../rules/index.ts";
import { type NumericField, numericField } from "../numeric-field.ts";

export interface ContinuationProblem {
  readonly rule: RuleSpec;
  readonly field: NumericField;
  /** Number of states n. */
  readonly n: number;
  /** Name of the free parameter and its index in the parameter vector. */
  readonly param: string;
  readonly paramIndex: number;
  /** The parameter vector (the free entry is overwritten by u[n]). */
  readonly base: Float64Array;
  /** H(u), length m. */
  H(u: readonly number[]): number[];
  /** dH/du, m x (n+1). */
  Hu(u: readonly number[]): number[][];
  /** Jacobian of the rule's right-hand side f in x at u (the multipliers' matrix for a map). */
  Jf(u: readonly number[]): number[][];
  /** Number of invariant rows appended (0 for isolated fixed points). */
  readonly constraints: number;
  /** Test functions replacing the fixed-point ones (e.g. along a curve of folds). */
  tests?(u: readonly number[], t: readonly number[]): Record<string, number>;
}

/**
 * The fixed-point problem of `rule` in parameter `param`, the others at `values`. With
 * `invariants` (expressions in states and parameters) and a point `x0`, each invariant I adds
 * the row I(x; p) - I(x0; p).
 */
export function fixedPointProblem(
  rule: RuleSpec,
  param: string,
  values: Readonly<Record<string, number>>,
  constraint?: { invariants: readonly Expr[]; x0: readonly number[] },
): ContinuationProblem {
  const field = numericField(rule);
  const k = field.paramIndex(param, "fixedPointProblem");
  const base = field.paramVector({ ...values, [param]: values[param] ?? 0 });
  const n = field.n;
  const map = rule.kind === "map";
  const vars = [...rule.states, ...field.params];
  const inv = (constraint?.invariants ?? []).map((e) => ({
    I: compileExpr(e, vars),
    grad: vars.map((v) => compileExpr(differentiate(e, v), vars)),
  }));
  const x0 = constraint?.x0 ?? [];
  const split = (u: readonly number[]) => {
    const p = Float64Array.from(base);
    p[k] = u[n]!;
    return { x: u.slice(0, n), p };
  };
  const full = (x: readonly number[], p: Float64Array) => [...x, ...p];
  return {
    rule,
    field,
    n,
    param,
    paramIndex: k,
    base,
    constraints: inv.length,
    H(u) {
      const { x, p } = split(u);
      const f = field.f(x, p);
      const g = map ? f.map((v, i) => v - x[i]!) : f;
      return [...g, ...inv.map(({ I }) => I(full(x, p)) - I(full(x0, p)))];
    },
    Hu(u) {
      const { x, p } = split(u);
      const J = field.J(x, p);
      const fp = field.dfdp(x, p, k);
      const rows = J.map((row, i) => [...row.map((v, j) => v - (map && i === j ? 1 : 0)), fp[i]!]);
      for (const { grad } of inv) {
        const at = full(x, p);
        const at0 = full(x0, p);
        rows.push([...rule.states.map((_, j) => grad[j]!(at)), grad[n + k]!(at) - grad[n + k]!(at0)]);
      }
      return rows;
    },
    Jf(u) {
      const { x, p } = split(u);
      return field.J(x, p);
    },
  };
}
