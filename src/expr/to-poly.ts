/**
 * Conversion between expression trees and exact polynomials: {@link toPoly} expands a
 * polynomial expression (division only by nonzero constants, non-negative integer powers, no
 * functions) into a canonical {@link Poly}; anything else is refused with a
 * {@link NotPolynomialError} naming the offending subexpression.
 */
import { LearndynError } from "../util/errors.ts";
import type { Expr } from "./ast.ts";
import { formatExpr } from "./format.ts";
import { type ParseOptions, parseExpr } from "./parse.ts";
import { Poly } from "./poly.ts";

/** A non-polynomial expression was given to a polynomial-only routine. */
export class NotPolynomialError extends LearndynError {
  override name = "NotPolynomialError";
  constructor(
    readonly fn: string,
    readonly subexpression: string,
    readonly reason: string,
    readonly whole: string,
  ) {
    super(
      `${fn}: expression is not a polynomial: ${reason} in "${subexpression}"` +
        (whole !== subexpression ? ` (within "${whole}")` : "") +
        "; polynomial-only analyses need +, -, *, division by constants and non-negative integer powers",
    );
  }
}

/** The exact polynomial equal to e; `fn` names the caller in the error. */
export function toPoly(e: Expr, fn = "toPoly"): Poly {
  const whole = formatExpr(e);
  const refuse = (x: Expr, reason: string): never => {
    throw new NotPolynomialError(fn, formatExpr(x), reason, whole);
  };
  const go = (x: Expr): Poly => {
    switch (x.kind) {
      case "num":
        return Poly.constant(x.value);
      case "var":
        return Poly.variable(x.name);
      case "add":
        return go(x.left).add(go(x.right));
      case "sub":
        return go(x.left).sub(go(x.right));
      case "mul":
        return go(x.left).mul(go(x.right));
      case "div": {
        const d = go(x.right).constantValue();
        if (d === undefined) return refuse(x, `division by the non-constant "${formatExpr(x.right)}"`);
        if (d.isZero()) return refuse(x, "division by zero");
        return go(x.left).scale(d.inv());
      }
      case "pow":
        if (x.exponent < 0) return refuse(x, `negative power ${x.exponent}`);
        return go(x.base).pow(x.exponent);
      case "neg":
        return go(x.arg).neg();
      case "call":
        return refuse(x, `function ${x.fn}`);
    }
  };
  return go(e);
}

/** True if {@link toPoly} would succeed (ignoring size bounds). */
export function isPolynomial(e: Expr): boolean {
  switch (e.kind) {
    case "num":
    case "var":
      return true;
    case "div":
      return isPolynomial(e.left) && e.right.kind === "num" && !e.right.value.isZero();
    case "pow":
      return e.exponent >= 0 && isPolynomial(e.base);
    case "neg":
      return isPolynomial(e.arg);
    case "call":
      return false;
    default:
      return isPolynomial(e.left) && isPolynomial(e.right);
  }
}

/**
 * The expression tree of a polynomial (by reading back its rule-language text; a sum of many
 * terms is as tall as it is long, which {@link formatExpr} prints without recursing along it).
 */
export function fromPoly(p: Poly): Expr {
  return parseExpr(p.toString(), { unbounded: true });
}

/** Parses text that must be a polynomial: `parsePoly("(s - w1*w2)^2/2")`. */
export function parsePoly(text: string, opts: ParseOptions = {}): Poly {
  return toPoly(parseExpr(text, opts), "parsePoly");
}

/** e expanded to its canonical polynomial form (polynomial expressions only). */
export function expand(e: Expr): Expr {
  return fromPoly(toPoly(e, "expand"));
}
