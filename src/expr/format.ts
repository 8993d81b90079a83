/**
 * Printing expressions in the rule language's syntax with the fewest parentheses that keep the
 * value: `w2*(s - w1*w2)`, `-x^2`, `exp(-x)/2`, `x^(-2)`. {@link parseExpr} reads it back to an
 * expression with the same value.
 */
import type { Expr } from "./ast.ts";

// Binding strength: sums 1, products 2, unary minus 3, powers 4, atoms 5.
function precedence(e: Expr): number {
  switch (e.kind) {
    case "add":
    case "sub":
      return 1;
    case "mul":
    case "div":
      return 2;
    case "neg":
      return 3;
    case "pow":
      return 4;
    case "num":
      return e.value.sign() < 0 ? 3 : e.value.isInteger() ? 5 : 2;
    default:
      return 5;
  }
}

function wrap(e: Expr, min: number): string {
  const s = formatExpr(e);
  return precedence(e) >= min ? s : `(${s})`;
}

/** The rule-language text of e. */
export function formatExpr(e: Expr): string {
  if (e.kind === "add" || e.kind === "sub") {
    // a sum is a left-deep chain: walk it in a loop, so that its length costs no stack
    const tail: string[] = [];
    let x: Expr = e;
    while (x.kind === "add" || x.kind === "sub") {
      tail.push(`${x.kind === "add" ? " + " : " - "}${wrap(x.right, 2)}`);
      x = x.left;
    }
    return wrap(x, 1) + tail.reverse().join("");
  }
  switch (e.kind) {
    case "num":
      return e.value.toString();
    case "var":
      return e.name;
    case "mul":
      return `${wrap(e.left, 2)}*${wrap(e.right, 4)}`;
    case "div":
      return `${wrap(e.left, 2)}/${wrap(e.right, 4)}`;
    case "neg":
      return `-${wrap(e.arg, 2)}`;
    case "pow":
      return `${wrap(e.base, 5)}^${e.exponent < 0 ? `(${e.exponent})` : e.exponent}`;
    case "call":
      return `${e.fn}(${formatExpr(e.arg)})`;
  }
}
