/** Substitution of expressions for variables in expression trees. */
import { add, call, div, type Expr, mul, neg, pow, sub } from "./ast.ts";

/**
 * e with every variable named in `values` replaced by its expression, simultaneously (a
 * replacement is not itself searched for further replacements).
 */
export function substitute(e: Expr, values: Readonly<Record<string, Expr>>): Expr {
  switch (e.kind) {
    case "num":
      return e;
    case "var":
      return Object.hasOwn(values, e.name) ? values[e.name]! : e;
    case "add":
      return add(substitute(e.left, values), substitute(e.right, values));
    case "sub":
      return sub(substitute(e.left, values), substitute(e.right, values));
    case "mul":
      return mul(substitute(e.left, values), substitute(e.right, values));
    case "div":
      return div(substitute(e.left, values), substitute(e.right, values));
    case "pow":
      return pow(substitute(e.base, values), e.exponent);
    case "neg":
      return neg(substitute(e.arg, values));
    case "call":
      return call(e.fn, substitute(e.arg, values));
  }
}
