/**
 * Expression trees: the symbolic form of a rule's field before (or instead of) conversion to a
 * polynomial. Nodes are plain immutable objects. The constructors below fold constants and
 * drop neutral elements (x + 0, 1*x, x^1), which keeps derivatives readable without a general
 * simplifier; exact canonical forms come from {@link toPoly} for polynomial expressions.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { Rational } from "./rational.ts";

/** The non-polynomial functions of the rule language. */
export const FUNCTION_NAMES = ["exp", "log", "sin", "cos", "tanh", "sqrt"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type Expr =
  | { readonly kind: "num"; readonly value: Rational }
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "add" | "sub" | "mul" | "div"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "pow"; readonly base: Expr; readonly exponent: number }
  | { readonly kind: "neg"; readonly arg: Expr }
  | { readonly kind: "call"; readonly fn: FunctionName; readonly arg: Expr };

export function num(value: Rational | number): Expr {
  return { kind: "num", value: value instanceof Rational ? value : Rational.fromNumber(value) };
}

export function variable(name: string): Expr {
  return { kind: "var", name };
}

function constant(e: Expr): Rational | undefined {
  return e.kind === "num" ? e.value : undefined;
}

export function add(left: Expr, right: Expr): Expr {
  const a = constant(left);
  const b = constant(right);
  if (a && b) return num(a.add(b));
  if (a?.isZero()) return right;
  if (b?.isZero()) return left;
  if (right.kind === "neg") return sub(left, right.arg);
  return { kind: "add", left, right };
}

export function sub(left: Expr, right: Expr): Expr {
  const a = constant(left);
  const b = constant(right);
  if (a && b) return num(a.sub(b));
  if (b?.isZero()) return left;
  if (a?.isZero()) return neg(right);
  if (right.kind === "neg") return add(left, right.arg);
  return { kind: "sub", left, right };
}

export function mul(left: Expr, right: Expr): Expr {
  const a = constant(left);
  const b = constant(right);
  if (a && b) return num(a.mul(b));
  if (a?.isZero() || b?.isZero()) return num(0);
  if (a?.isOne()) return right;
  if (b?.isOne()) return left;
  if (a?.equals(Rational.MINUS_ONE)) return neg(right);
  if (b?.equals(Rational.MINUS_ONE)) return neg(left);
  if (b && !a) return mul(right, left); // constants first: 2*x, not x*2
  // Signs move out of products so sums can print them as subtraction.
  if (left.kind === "neg") return neg(mul(left.arg, right));
  if (right.kind === "neg") return neg(mul(left, right.arg));
  if (a && a.sign() < 0) return neg(mul(num(a.neg()), right));
  return { kind: "mul", left, right };
}

export function div(left: Expr, right: Expr): Expr {
  const a = constant(left);
  const b = constant(right);
  if (b?.isZero()) throw new InvalidArgumentError("div", "right", "a nonzero divisor", "0");
  if (a && b) return num(a.div(b));
  if (a?.isZero()) return num(0);
  if (b?.isOne()) return left;
  return { kind: "div", left, right };
}

/** base^exponent for an integer exponent. */
export function pow(base: Expr, exponent: number): Expr {
  if (!Number.isInteger(exponent)) throw new InvalidArgumentError("pow", "exponent", "an integer", exponent);
  if (exponent === 0) return num(1);
  if (exponent === 1) return base;
  const a = constant(base);
  if (a && !(a.isZero() && exponent < 0)) return num(a.pow(exponent));
  if (base.kind === "pow") return pow(base.base, base.exponent * exponent);
  return { kind: "pow", base, exponent };
}

export function neg(arg: Expr): Expr {
  const a = constant(arg);
  if (a) return num(a.neg());
  if (arg.kind === "neg") return arg.arg;
  return { kind: "neg", arg };
}

export function call(fn: FunctionName, arg: Expr): Expr {
  return { kind: "call", fn, arg };
}

/** The variable names occurring in e, sorted. */
export function variablesOf(e: Expr): string[] {
  const s = new Set<string>();
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case "num":
        return;
      case "var":
        s.add(x.name);
        return;
      case "pow":
        walk(x.base);
        return;
      case "neg":
      case "call":
        walk(x.arg);
        return;
      default:
        walk(x.left);
        walk(x.right);
    }
  };
  walk(e);
  return [...s].sort();
}
