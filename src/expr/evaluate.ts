/**
 * Float64 evaluation of expression trees: {@link evaluate} at a named point, and
 * {@link compileExpr}, which turns a tree once into nested closures over an ordered variable
 * list for repeated evaluation (Newton iterations, integrators, sampling).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { Expr } from "./ast.ts";
import { formatExpr } from "./format.ts";

type Compiled = (x: ArrayLike<number>) => number;

const FUNCTIONS: Record<string, (u: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sqrt: Math.sqrt,
};

/**
 * A function of `x` (x[i] the value of `variables[i]`) computing e in float64. Throws if e has
 * a variable not in the list. Results follow IEEE semantics (log(-1) is NaN); callers check.
 */
export function compileExpr(e: Expr, variables: readonly string[]): Compiled {
  const index = new Map(variables.map((v, i) => [v, i]));
  const build = (x: Expr): Compiled => {
    switch (x.kind) {
      case "num": {
        const c = x.value.toNumber();
        return () => c;
      }
      case "var": {
        const i = index.get(x.name);
        if (i === undefined) {
          throw new InvalidArgumentError(
            "compileExpr",
            "variables",
            `a list containing "${x.name}" (used in ${formatExpr(e)})`,
            variables.join(", ") || "no variables",
          );
        }
        return (p) => p[i]!;
      }
      case "add": {
        const l = build(x.left);
        const r = build(x.right);
        return (p) => l(p) + r(p);
      }
      case "sub": {
        const l = build(x.left);
        const r = build(x.right);
        return (p) => l(p) - r(p);
      }
      case "mul": {
        const l = build(x.left);
        const r = build(x.right);
        return (p) => l(p) * r(p);
      }
      case "div": {
        const l = build(x.left);
        const r = build(x.right);
        return (p) => l(p) / r(p);
      }
      case "pow": {
        const b = build(x.base);
        const k = x.exponent;
        if (k === 2) {
          return (p) => {
            const y = b(p);
            return y * y;
          };
        }
        return (p) => b(p) ** k;
      }
      case "neg": {
        const a = build(x.arg);
        return (p) => -a(p);
      }
      case "call": {
        const a = build(x.arg);
        const f = FUNCTIONS[x.fn]!;
        return (p) => f(a(p));
      }
    }
  };
  return build(e);
}

/** e at a point given by name; every variable of e must have a value. */
export function evaluate(e: Expr, point: Readonly<Record<string, number>>): number {
  const names = Object.keys(point);
  return compileExpr(e, names)(names.map((n) => point[n]!));
}
