/** Resultants and discriminants against SymPy (fixtures/charpoly/make_resultants.py). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { discriminant, parsePoly, resultant } from "../../src/expr/index.ts";

interface Case {
  kind: "discriminant" | "resultant";
  p: string;
  q: string | null;
  variable: string;
  value: string;
}

const { cases } = JSON.parse(
  readFileSync(new URL("../../fixtures/charpoly/resultants.json", import.meta.url), "utf8"),
) as { cases: Case[] };

describe("resultant and discriminant versus SymPy", () => {
  for (const c of cases) {
    it(`${c.kind} of ${c.p}${c.q ? ` and ${c.q}` : ""} in ${c.variable}`, () => {
      const ours =
        c.kind === "discriminant"
          ? discriminant(parsePoly(c.p), c.variable)
          : resultant(parsePoly(c.p), parsePoly(c.q!), c.variable);
      expect(ours.equals(parsePoly(c.value))).toBe(true);
    });
  }
});
