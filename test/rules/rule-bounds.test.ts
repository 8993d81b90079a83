/**
 * Rule files that once crashed the parser with a stack trace or built numbers no later step
 * could use are refused with a positioned error (line and column of the token that crosses the
 * bound), in both rule languages; inputs below the bounds still parse, and exactly.
 */
import { describe, expect, it } from "vitest";
import { EXPRESSION_LIMITS, ParseError, Poly, parseExpr, toPoly } from "../../src/expr/index.ts";
import { parseRule } from "../../src/rules/index.ts";
import { parseRuleFile } from "../../src/rules/load.ts";
import { RuleError } from "../../src/rules/rule-error.ts";
import { BoundExceededError } from "../../src/util/errors.ts";

/** A one-state flow whose right-hand side starts at line 3, column 10. */
const flow = (rhs: string) => `rule t\nstate w\nd/dt w = ${rhs}`;

/** The positioned error refusing `text`; fails if the text is accepted or refused otherwise. */
function refusal(text: string): ParseError | RuleError {
  try {
    parseRuleFile(text, "t.rule");
  } catch (e) {
    if (e instanceof ParseError || e instanceof RuleError) return e;
    throw e;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
}

/** The text from the error's position to the end of its line. */
const at = (text: string, e: ParseError | RuleError) => text.split("\n")[e.line - 1]!.slice(e.column - 1);

describe("the scalar parser's bounds", () => {
  it("2,000 nested parentheses: refused at the parenthesis past the nesting bound", () => {
    const text = flow(`${"(".repeat(2000)}w${")".repeat(2000)}`);
    const e = refusal(text);
    expect(e.message).toMatch(/nested deeper than 256/);
    expect([e.line, e.column]).toEqual([3, 10 + EXPRESSION_LIMITS.nesting]);
  });

  it("1,000 nested calls: refused at the call past the nesting bound", () => {
    const e = refusal(flow(`${"sin(".repeat(1000)}w${")".repeat(1000)}`));
    expect(e.message).toMatch(/nested deeper/);
    expect(e.line).toBe(3);
  });

  it("a sum of 5,000 terms: refused at the operator where the tree passes its height bound", () => {
    const text = flow(Array.from({ length: 5000 }, () => "w").join(" + "));
    const e = refusal(text);
    expect(e.message).toMatch(/more than 1000 levels/);
    expect(at(text, e).startsWith("+ w")).toBe(true);
  });

  it("sums and nestings below the bounds parse (a dense degree-5 rule in 6 states has 462 terms)", () => {
    const sum = Array.from({ length: 900 }, (_, k) => `${k + 1}*w`).join(" + ");
    expect(toPoly(parseExpr(sum)).toString()).toBe("405450*w");
    const nested = `${"(".repeat(200)}w${")".repeat(200)}`;
    expect(parseExpr(nested)).toEqual(parseExpr("w"));
  });

  it("50,000 unary minuses parse, in a loop, to w or -w", () => {
    expect(parseRule(flow(`${"-".repeat(50_000)}w`)).field[0]).toEqual(parseExpr("w"));
    expect(parseRule(flow(`${"-".repeat(49_999)}w`)).field[0]).toEqual(parseExpr("-w"));
  });

  it("2^4294967296 is refused at its ^ before any big integer is built", () => {
    const text = flow("2^4294967296*w");
    const e = refusal(text);
    expect(e.message).toMatch(/outside float64's range/);
    expect(at(text, e).startsWith("^4294967296")).toBe(true);
  });

  it("numbers outside float64's range are refused at their column, written or folded", () => {
    for (const [rhs, where] of [
      ["1e10001*w", "1e10001"],
      ["1e400*w", "1e400"],
      ["1e309*w", "1e309"],
      ["1e-400*w", "1e-400"],
      ["w + 1e200*1e200", "*1e200"],
      ["(1/2)^3000*w", "^3000"],
    ] as const) {
      const text = flow(rhs);
      const e = refusal(text);
      expect(e.message, rhs).toMatch(/float64/);
      expect(at(text, e).startsWith(where), `${rhs}: ${e.message}`).toBe(true);
    }
  });

  it("a parameter default beyond float64 is refused by the parser, at the value", () => {
    const text = "rule t\nparams s = 1e10001\nstate w\nd/dt w = s*w";
    const e = refusal(text);
    expect(e).toBeInstanceOf(RuleError);
    expect(at(text, e)).toBe("1e10001");
  });

  it("numbers at float64's edges are accepted and read exactly", () => {
    expect(parseExpr("1e308").kind).toBe("num");
    expect(parseExpr("4e-320").kind).toBe("num");
  });

  it("powers with exponents beyond 2^31 are exact (halving the exponent, not shifting it)", () => {
    expect(Poly.variable("w").pow(4294967296).degree("w")).toBe(4294967296);
    expect(() => toPoly(parseExpr("(w + 1)^4294967296"))).toThrow(BoundExceededError);
    expect(() => toPoly(parseExpr("(2*w)^4294967296"))).toThrow(BoundExceededError);
  });
});

describe("the network parser's bounds", () => {
  const base = [
    "rule t",
    "sizes M = 3",
    "params lr = 0.1",
    "input x[M] ~ normal(sd = 1)",
    "state W[1,M] ~ normal(sd = 1)",
    "d/dt W = -mean((W x) x')",
    "learning-rate lr",
  ];
  const withUpdate = (rhs: string) => base.map((l, k) => (k === 5 ? `d/dt W = ${rhs}` : l)).join("\n");

  it("each abusive construct is a RuleError with a position on its line", () => {
    for (const rhs of [
      `${"(".repeat(2000)}W${")".repeat(2000)}`,
      Array.from({ length: 5000 }, () => "W").join(" + "),
      `${"-".repeat(50_000)}W`,
      `${"tanh(".repeat(1000)}W${")".repeat(1000)}`,
      "2^4294967296 W",
      "1e10001 W",
      "1e400 W",
    ]) {
      const e = refusal(withUpdate(rhs));
      expect(e, rhs.slice(0, 30)).toBeInstanceOf(RuleError);
      expect(e.line, rhs.slice(0, 30)).toBe(6);
      expect(e.column).toBeGreaterThanOrEqual(10);
    }
  });

  it("a parameter default beyond float64 is refused at its line", () => {
    const e = refusal(base.map((l, k) => (k === 2 ? "params lr = 1e10001" : l)).join("\n"));
    expect(e.line).toBe(3);
  });
});
