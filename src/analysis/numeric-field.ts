/**
 * A rule's field compiled once for float64 work: f(x; p), its Jacobian in the states and its
 * derivative in any parameter, all from the rule's expression trees (symbolic derivatives
 * evaluated numerically, so continuation, portraits and Lyapunov spectra use the same field as
 * the exact analysis). Parameter values are given by name; a parameter without a value is
 * refused with the names of those missing.
 */
import { compileExpr, differentiate } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { jacobianExpr } from "./jacobian.ts";

type Compiled = (v: ArrayLike<number>) => number;

export interface NumericField {
  readonly rule: RuleSpec;
  /** Number of states n. */
  readonly n: number;
  /** Parameter names, in the order of the parameter vector `p`. */
  readonly params: readonly string[];
  /** f(x; p): the right-hand side (dx/dt of a flow, the image x' of a map). */
  f(x: ArrayLike<number>, p: ArrayLike<number>): number[];
  /** J[i][j] = d f_i / d x_j at (x; p). */
  J(x: ArrayLike<number>, p: ArrayLike<number>): number[][];
  /** Second derivatives d2 f_i / d x_j d x_k at (x; p), as [i][j][k]. */
  d2f(x: ArrayLike<number>, p: ArrayLike<number>): number[][][];
  /** d f_i / d p_k at (x; p) for parameter index k. */
  dfdp(x: ArrayLike<number>, p: ArrayLike<number>, k: number): number[];
  /** The parameter vector from values by name (every parameter needs one). */
  paramVector(values: Readonly<Record<string, number>>): Float64Array;
  /** The index of parameter `name` in the parameter vector (refuses unknown names). */
  paramIndex(name: string, fn: string): number;
}

/** Compiles `rule` (any kind, any elementary functions) for numeric evaluation. */
export function numericField(rule: RuleSpec): NumericField {
  const params = rule.params.map((p) => p.name);
  const vars = [...rule.states, ...params];
  const n = rule.states.length;
  const fs: Compiled[] = rule.field.map((e) => compileExpr(e, vars));
  const Js: Compiled[][] = jacobianExpr(rule).map((row) => row.map((e) => compileExpr(e, vars)));
  const dps = new Map<number, Compiled[]>();
  let second: Compiled[][][] | undefined;
  const buffer = new Float64Array(vars.length);
  const load = (x: ArrayLike<number>, p: ArrayLike<number>) => {
    for (let i = 0; i < n; i++) buffer[i] = x[i]!;
    for (let k = 0; k < params.length; k++) buffer[n + k] = p[k]!;
    return buffer;
  };
  const paramIndex = (name: string, fn: string) => {
    const k = params.indexOf(name);
    if (k < 0)
      throw new InvalidArgumentError(
        fn,
        "parameter",
        `a parameter of rule "${rule.name}" (${params.join(", ") || "none"})`,
        name,
      );
    return k;
  };
  return {
    rule,
    n,
    params,
    f: (x, p) => {
      const v = load(x, p);
      return fs.map((fi) => fi(v));
    },
    J: (x, p) => {
      const v = load(x, p);
      return Js.map((row) => row.map((fij) => fij(v)));
    },
    d2f: (x, p) => {
      second ??= jacobianExpr(rule).map((row) =>
        row.map((e) => rule.states.map((s) => compileExpr(differentiate(e, s), vars))),
      );
      const v = load(x, p);
      return second.map((plane) => plane.map((row) => row.map((c) => c(v))));
    },
    dfdp: (x, p, k) => {
      let d = dps.get(k);
      if (!d) {
        d = rule.field.map((e) => compileExpr(differentiate(e, params[k]!), vars));
        dps.set(k, d);
      }
      const v = load(x, p);
      return d.map((di) => di(v));
    },
    paramVector: (values) => {
      const missing = params.filter((name) => values[name] === undefined);
      if (missing.length > 0)
        throw new InvalidArgumentError(
          "numericField",
          "params",
          `a value for every parameter of rule "${rule.name}"`,
          `none for ${missing.join(", ")}`,
          "give it in the rule file or with --param NAME=VALUE",
        );
      return Float64Array.from(params, (name) => values[name]!);
    },
    paramIndex,
  };
}
