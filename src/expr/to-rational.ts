/**
 * Rational functions from expression trees: {@link toRationalFunction} writes an expression
 * built from +, -, *, / and integer powers (negative ones too) as one quotient of exact
 * polynomials N / D, so that fields such as `(s - w)/tau` or `x/(1 + y^2)` keep an exact
 * symbolic treatment (denominators cleared). Functions (exp, tanh, ...) are refused with a
 * {@link NotPolynomialError} naming the subexpression.
 */
import type { Expr } from "./ast.ts";
import { formatExpr } from "./format.ts";
import { polyGcd } from "./gcd.ts";
import { Poly } from "./poly.ts";
import { NotPolynomialError } from "./to-poly.ts";

/** N / D with D nonzero; D is 1 for a polynomial. */
export interface RationalFunction {
  num: Poly;
  den: Poly;
}

/** Cancels the gcd of numerator and denominator and makes the denominator's leading term positive. */
function reduce(num: Poly, den: Poly): RationalFunction {
  if (num.isZero()) return { num, den: Poly.ONE };
  const c = den.constantValue();
  if (c) return { num: num.scale(c.inv()), den: Poly.ONE };
  const g = polyGcd(num, den);
  let n = g.isConstant() ? num : num.exactQuotient(g)!;
  let d = g.isConstant() ? den : den.exactQuotient(g)!;
  const k = d.content();
  [n, d] = [n.scale(k.inv()), d.scale(k.inv())];
  const dc = d.constantValue();
  return dc ? { num: n.scale(dc.inv()), den: Poly.ONE } : { num: n, den: d };
}

/** The expression as one reduced quotient of polynomials; `fn` names the caller in errors. */
export function toRationalFunction(e: Expr, fn = "toRationalFunction"): RationalFunction {
  const whole = formatExpr(e);
  const go = (x: Expr): RationalFunction => {
    switch (x.kind) {
      case "num":
        return { num: Poly.constant(x.value), den: Poly.ONE };
      case "var":
        return { num: Poly.variable(x.name), den: Poly.ONE };
      case "add":
      case "sub": {
        const a = go(x.left);
        const b0 = go(x.right);
        const b = x.kind === "sub" ? { num: b0.num.neg(), den: b0.den } : b0;
        if (a.den.equals(b.den)) return reduce(a.num.add(b.num), a.den);
        return reduce(a.num.mul(b.den).add(b.num.mul(a.den)), a.den.mul(b.den));
      }
      case "mul": {
        const a = go(x.left);
        const b = go(x.right);
        return reduce(a.num.mul(b.num), a.den.mul(b.den));
      }
      case "div": {
        const a = go(x.left);
        const b = go(x.right);
        if (b.num.isZero()) throw new NotPolynomialError(fn, formatExpr(x), "division by zero", whole);
        return reduce(a.num.mul(b.den), a.den.mul(b.num));
      }
      case "pow": {
        const a = go(x.base);
        if (x.exponent >= 0) return { num: a.num.pow(x.exponent), den: a.den.pow(x.exponent) };
        if (a.num.isZero()) throw new NotPolynomialError(fn, formatExpr(x), "negative power of zero", whole);
        return reduce(a.den.pow(-x.exponent), a.num.pow(-x.exponent));
      }
      case "neg": {
        const a = go(x.arg);
        return { num: a.num.neg(), den: a.den };
      }
      case "call":
        throw new NotPolynomialError(fn, formatExpr(x), `function ${x.fn}`, whole);
    }
  };
  return go(e);
}

/**
 * Whether the expression is built from numbers, names, + - * / and integer powers only (no
 * function), read from the tree without expanding anything: {@link toRationalFunction} accepts
 * it unless it divides by zero. Cheap even for `(w + 1)^999999`, whose expansion is not.
 */
export function isRationalExpr(e: Expr): boolean {
  switch (e.kind) {
    case "num":
    case "var":
      return true;
    case "pow":
      return isRationalExpr(e.base);
    case "neg":
      return isRationalExpr(e.arg);
    case "call":
      return false;
    default:
      return isRationalExpr(e.left) && isRationalExpr(e.right);
  }
}
