/**
 * The "Network rules" section of README.md: its example rule is parsed and compiled, and runs
 * exactly as rules/curl-descent.rule (the same draws and programs, bit for bit); the error it
 * quotes is the error the parser gives; the built-in rules it lists are those that ship.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { builtinNetworkRuleNames } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { RuleError } from "../../src/rules/rule-error.ts";
import { bits, field, instance, step } from "./reference/programs.ts";

const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
const SECTION = README.slice(
  README.indexOf("## Network rules"),
  README.indexOf("\n## ", README.indexOf("## Network rules") + 1),
);
const EXAMPLE = /```\n([\s\S]*?)```/.exec(SECTION)![1]!;

describe("README: network rules", () => {
  it("has an example rule that parses, compiles and runs as rules/curl-descent.rule, bit for bit", () => {
    const spec = parseNetworkRule(EXAMPLE, "README.md");
    expect(spec.name).toBe("curl-descent-small");
    const sizes = { M: 5, N: 4, P: 12, Q: 5, S: 4 };
    for (const phi of ["linear", "tanh", "relu"]) {
      const params = { alphaH: 0.4, alphaR: 0.5 };
      const readme = instance(EXAMPLE, { sizes, choices: { phi }, params, seed: 801 });
      const file = instance("curl-descent", { sizes, choices: { phi }, params, seed: 801 });
      expect(readme.run.states.map(bits)).toEqual(file.run.states.map(bits));
      expect(readme.run.train.map(bits)).toEqual(file.run.train.map(bits));
      expect(field(readme).map(bits)).toEqual(field(file).map(bits));
      const batch = file.run.train.map((t) => t.subarray(0, (t.length / sizes.P) * sizes.S));
      expect(step(readme, { data: batch }).map(bits)).toEqual(step(file, { data: batch }).map(bits));
    }
  });

  it("quotes the error the parser gives", () => {
    const quoted = /`(curl\.rule:\d+:\d+: [^`]*)`/.exec(SECTION)![1]!;
    const broken = EXAMPLE.replace("e = W2 phi(a) - y", "e = W2 x - y");
    expect(() => parseNetworkRule(broken, "curl.rule")).toThrow(RuleError);
    expect(() => parseNetworkRule(broken, "curl.rule")).toThrow(quoted);
  });

  it("lists every built-in network rule", () => {
    const listed = [...SECTION.matchAll(/^\| `([a-z0-9-]+)` \| seed/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(builtinNetworkRuleNames());
  });
});
