/**
 * States and parameters may be named like the properties every plain JavaScript object has
 * (`__proto__`, `constructor`, `toString`, `valueOf`, `hasOwnProperty`, ...): the analysis of a
 * rule so renamed is the analysis of the original with the names replaced, text for text. The
 * renaming keeps the alphabetical order of the names and their place relative to `lambda`, so
 * every polynomial prints its terms in the same order.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.ts";
import { BUILTIN_RULE_NAMES, builtinRuleText, parseRule } from "../../src/rules/index.ts";

/** Inherited names that sort before "lambda", and after it, each list in sorted order. */
const BEFORE = [
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "isPrototypeOf",
];
const AFTER = ["propertyIsEnumerable", "toLocaleString", "toString", "valueOf"];

/** An order-keeping renaming of the rule's names onto inherited ones, or undefined if too many. */
function renaming(names: string[]): Map<string, string> | undefined {
  const sorted = [...names].sort();
  const before = sorted.filter((n) => n < "lambda");
  const after = sorted.filter((n) => n > "lambda");
  if (before.length > BEFORE.length || after.length > AFTER.length) return undefined;
  return new Map([
    ...before.map((n, i) => [n, BEFORE[i]!] as const),
    ...after.map((n, i) => [n, AFTER[i]!] as const),
  ]);
}

function rename(text: string, map: ReadonlyMap<string, string>): string {
  return text.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) => map.get(w) ?? w);
}

describe("names that plain objects inherit", () => {
  const cases = BUILTIN_RULE_NAMES.map((name) => {
    const text = builtinRuleText(name);
    const rule = parseRule(text);
    return { name, text, map: renaming([...rule.states, ...rule.params.map((p) => p.name)]) };
  });

  it("leave most built-in rules to test (the renaming needs enough names)", () => {
    expect(cases.filter((c) => c.map).length).toBeGreaterThanOrEqual(BUILTIN_RULE_NAMES.length - 1);
  });

  for (const { name, text, map } of cases) {
    if (!map) continue;
    it(`${name}: the renamed rule's analysis is the original's, renamed`, () => {
      const original = analyze(parseRule(text));
      const renamed = analyze(parseRule(rename(text.replace(/^rule .*$/m, `rule ${name}`), map)));
      expect(JSON.parse(JSON.stringify(renamed))).toEqual(JSON.parse(rename(JSON.stringify(original), map)));
    });
  }
});
