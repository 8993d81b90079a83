import { describe, expect, it } from "vitest";
import { differentiate } from "../../src/expr/differentiate.ts";
import { evaluate } from "../../src/expr/evaluate.ts";
import { formatExpr } from "../../src/expr/format.ts";
import { ParseError, parseExpr } from "../../src/expr/parse.ts";
import { substitute } from "../../src/expr/substitute.ts";
import { isPolynomial, NotPolynomialError, toPoly } from "../../src/expr/to-poly.ts";

describe("parseExpr and formatExpr", () => {
  it("reads the curl-toy field and prints it back unchanged", () => {
    expect(formatExpr(parseExpr("w2*(s - w1*w2)"))).toBe("w2*(s - w1*w2)");
    expect(formatExpr(parseExpr("-w1*(s - w1*w2)"))).toBe("-w1*(s - w1*w2)");
  });

  it("gives unary minus lower precedence than powers", () => {
    expect(evaluate(parseExpr("-x^2"), { x: 3 })).toBe(-9);
    expect(evaluate(parseExpr("(-x)^2"), { x: 3 })).toBe(9);
    expect(evaluate(parseExpr("x^(-2)"), { x: 2 })).toBe(0.25);
    expect(evaluate(parseExpr("2^-1"), {})).toBe(0.5);
  });

  it("reports line and column of errors", () => {
    const at = (text: string, line?: number, column?: number) => {
      try {
        parseExpr(text, { line, column, source: "rule.txt" });
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        return (e as ParseError).message;
      }
      throw new Error("no error");
    };
    expect(at("x + * 2")).toBe('rule.txt:1:5: parse error: expected a number, name or "(", found "*"');
    expect(at("2x", 4, 10)).toBe('rule.txt:4:11: parse error: unexpected "x" after a complete expression');
    expect(at("x^y")).toMatch(/1:3: parse error: exponent must be an integer literal, found "y"/);
    expect(at("foo(x)")).toMatch(/1:1: parse error: unknown function "foo"/);
    expect(at("(x + 1")).toMatch(/1:7: parse error: expected "\)", found end of input/);
    expect(at("x $ y")).toMatch(/1:3: parse error: unexpected character "\$"/);
    expect(at("x/0")).toMatch(/1:2: parse error: division by zero/);
    expect(at("x^2^3")).toMatch(/chained powers/);
    expect(at("x +\n  * y")).toMatch(/2:3:/);
  });

  it("differentiates with the chain rule and substitutes simultaneously", () => {
    const e = parseExpr("tanh(a*x) + log(x)");
    expect(formatExpr(differentiate(e, "x"))).toBe("a*(1 - tanh(a*x)^2) + 1/x");
    expect(formatExpr(substitute(parseExpr("x + 2*y"), { x: parseExpr("y"), y: parseExpr("x") }))).toBe(
      "y + 2*x",
    );
  });

  it("refuses non-polynomial input to toPoly, naming the subexpression", () => {
    expect(() => toPoly(parseExpr("x*exp(y) + 1"))).toThrow(NotPolynomialError);
    expect(() => toPoly(parseExpr("x*exp(y) + 1"))).toThrow(/function exp in "exp\(y\)"/);
    expect(() => toPoly(parseExpr("1/(1 + x)"))).toThrow(/division by the non-constant "1 \+ x"/);
    expect(() => toPoly(parseExpr("x^(-1)"))).toThrow(/negative power -1 in "x\^\(-1\)"/);
    expect(isPolynomial(parseExpr("x/2 + y^3"))).toBe(true);
    expect(isPolynomial(parseExpr("sqrt(x)"))).toBe(false);
  });
});
