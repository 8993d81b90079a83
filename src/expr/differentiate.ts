/**
 * Symbolic differentiation of expression trees by the usual rules (sum, product, quotient,
 * integer power, chain rule for exp, log, sin, cos, tanh, sqrt). The result is lightly
 * simplified by the constructors of ./ast.ts; for polynomial expressions the exact canonical
 * derivative is `toPoly(e).derivative(v)`.
 */
import { add, call, div, type Expr, mul, neg, num, pow, sub } from "./ast.ts";

/** d e / d v. */
export function differentiate(e: Expr, v: string): Expr {
  switch (e.kind) {
    case "num":
      return num(0);
    case "var":
      return num(e.name === v ? 1 : 0);
    case "add":
      return add(differentiate(e.left, v), differentiate(e.right, v));
    case "sub":
      return sub(differentiate(e.left, v), differentiate(e.right, v));
    case "mul":
      return add(mul(differentiate(e.left, v), e.right), mul(e.left, differentiate(e.right, v)));
    case "div": {
      const dl = differentiate(e.left, v);
      const dr = differentiate(e.right, v);
      if (dr.kind === "num" && dr.value.isZero()) return div(dl, e.right);
      return div(sub(mul(dl, e.right), mul(e.left, dr)), pow(e.right, 2));
    }
    case "pow":
      return mul(mul(num(e.exponent), pow(e.base, e.exponent - 1)), differentiate(e.base, v));
    case "neg":
      return neg(differentiate(e.arg, v));
    case "call": {
      const du = differentiate(e.arg, v);
      if (du.kind === "num" && du.value.isZero()) return num(0);
      const u = e.arg;
      switch (e.fn) {
        case "exp":
          return mul(du, e);
        case "log":
          return div(du, u);
        case "sin":
          return mul(du, call("cos", u));
        case "cos":
          return neg(mul(du, call("sin", u)));
        case "tanh":
          return mul(du, sub(num(1), pow(e, 2)));
        case "sqrt":
          return div(du, mul(num(2), e));
      }
    }
  }
}
