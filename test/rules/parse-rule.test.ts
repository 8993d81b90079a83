import { describe, expect, it } from "vitest";
import { formatExpr, ParseError } from "../../src/expr/index.ts";
import {
  BUILTIN_RULE_NAMES,
  builtinRule,
  builtinRuleText,
  formatRule,
  parseRule,
  RuleError,
  validateRule,
} from "../../src/rules/index.ts";

const CURL = `# the curl toy
rule curl-toy
source seed 001, eq. 8
params s = 1
state w1, w2
d/dt w1 = w2*(s - w1*w2)
d/dt w2 = -w1*(s - w1*w2)
`;

/** The message of the error thrown by parseRule, checking its class. */
function errorOf(text: string): string {
  try {
    parseRule(text, "r.rule");
  } catch (e) {
    expect(e instanceof RuleError || e instanceof ParseError).toBe(true);
    return (e as Error).message;
  }
  throw new Error("parseRule accepted the text");
}

describe("parseRule", () => {
  it("reads a flow with parameters and defaults", () => {
    const r = parseRule(CURL);
    expect(r.name).toBe("curl-toy");
    expect(r.kind).toBe("flow");
    expect(r.states).toEqual(["w1", "w2"]);
    expect(r.params).toEqual([{ name: "s", default: "1" }]);
    expect(r.source).toBe("seed 001, eq. 8");
    expect(r.field.map(formatExpr)).toEqual(["w2*(s - w1*w2)", "-w1*(s - w1*w2)"]);
  });

  it("reads a map and orders the field by the state declaration", () => {
    const r = parseRule("rule m\nparams eta = 0.5\nstate x, y\ny' = x\nx' = x + eta*y\n");
    expect(r.kind).toBe("map");
    expect(r.field.map(formatExpr)).toEqual(["x + eta*y", "x"]);
    expect(r.params[0]!.default).toBe("0.5");
  });

  it("round-trips through formatRule", () => {
    for (const name of BUILTIN_RULE_NAMES) {
      const r = builtinRule(name);
      const back = parseRule(formatRule(r, formatExpr));
      expect(back).toEqual(r);
      expect(validateRule(r)).toBe(r);
      expect(r.source).toBeTruthy();
    }
  });

  it("has the built-ins the analyses rely on", () => {
    expect(BUILTIN_RULE_NAMES).toEqual(
      expect.arrayContaining([
        "gradient-toy",
        "curl-toy",
        "curl-toy-euler",
        "urfb-mode",
        "urfb-chain3",
        "saxe-depth3",
      ]),
    );
    expect(builtinRuleText("urfb-mode")).toMatch(/seed 003, eq. 14/);
    expect(() => builtinRule("nope")).toThrow(/builtinRule: argument "name" must be one of gradient-toy/);
  });
});

describe("parseRule errors name the problem and where", () => {
  it("unknown variable, at its column", () => {
    const msg = errorOf("rule r\nstate x, y\nd/dt x = y*q\nd/dt y = x\n");
    expect(msg).toBe(
      'r.rule:3:12: unknown variable "q" in the equation for "x" (states: x, y; params: none)',
    );
  });

  it("duplicate state, at the second occurrence", () => {
    expect(errorOf("rule r\nstate x, y, x\nd/dt x = y\nd/dt y = x\n")).toBe(
      'r.rule:2:13: duplicate state "x" (already declared at 2:7)',
    );
    expect(errorOf("rule r\nparams x\nstate x\nd/dt x = 1\n")).toMatch(/3:7: duplicate state "x"/);
  });

  it("a field missing for a state", () => {
    expect(errorOf("rule r\nstate x, y\nd/dt x = y\n")).toBe(
      'r.rule:2:10: no equation for state "y" (add "d/dt y = ...")',
    );
  });

  it("a parse error with line and column", () => {
    expect(errorOf("rule r\nstate x\nd/dt x = x*(1 - x\n")).toBe(
      'r.rule:3:18: parse error: expected ")", found end of input',
    );
    expect(errorOf("rule r\nstate x\nd/dt x = 2 x\n")).toMatch(/^r.rule:3:12: parse error: unexpected "x"/);
  });

  it("other mistakes", () => {
    expect(errorOf("state x\nd/dt x = 1\n")).toMatch(/missing "rule NAME" line/);
    expect(errorOf("rule r\nstate x, y\nd/dt x = y\ny' = x\n")).toMatch(
      /4:1: equation of a map in a rule whose first equation \(line 3\) is a flow/,
    );
    expect(errorOf("rule r\nstate x\nd/dt x = 1\nd/dt z = 1\n")).toMatch(
      /4:6: equation for "z", which is not declared/,
    );
    expect(errorOf("rule r\nstate x\nd/dt x = 1\nd/dt x = 2\n")).toMatch(
      /4:6: second equation for "x" \(first at line 3\)/,
    );
    expect(errorOf("rule r\nstate lambda\nd/dt lambda = 1\n")).toMatch(/2:7: "lambda" is reserved/);
    expect(errorOf("rule r\nparams s = abc\nstate x\nd/dt x = s\n")).toMatch(
      /default of parameter "s" must be a decimal number/,
    );
    expect(errorOf("rule r\nstate x\nfrobnicate x\n")).toMatch(/3:1: expected "rule NAME"/);
  });

  it("validateRule checks rules built in code", () => {
    const r = builtinRule("curl-toy");
    expect(() => validateRule({ ...r, states: ["w1", "w1"] })).toThrow(/distinct names/);
    expect(() => validateRule({ ...r, field: [r.field[0]!] })).toThrow(/one expression per state/);
    expect(() => validateRule({ ...r, params: [] })).toThrow(/unknown variable "s" in rule "curl-toy"/);
  });
});
