/**
 * Reference test: fixed points of 55 seeded random polynomial flows of 2-4 states against SymPy
 * (fixtures/fixed-points/make_random_systems.py, lexicographic Gröbner bases and exact real
 * root isolation). Every isolated real fixed point must be found, once, and be exact or
 * certified by the Krawczyk test; no other point may be reported; positive-dimensional
 * components must come as families of the right dimension; dense and common-factor systems
 * must be proven complete.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixedPoints } from "../../src/analysis/index.ts";
import { type Poly, parseExpr, parsePoly } from "../../src/expr/index.ts";
import type { RuleSpec } from "../../src/rules/index.ts";

interface System {
  name: string;
  kind: "dense" | "factor" | "line";
  states: string[];
  field: string[];
  families: { equations: string[]; dimension: number }[];
  realPoints: string[][];
}

const fixture = JSON.parse(
  readFileSync(
    fileURLToPath(new URL("../../fixtures/fixed-points/random-systems.json", import.meta.url)),
    "utf8",
  ),
) as { systems: System[] };

const ruleOf = (s: System): RuleSpec => ({
  name: s.name,
  kind: "flow",
  states: s.states,
  params: [],
  field: s.field.map((t) => parseExpr(t)),
});

/** a - b for a family text "a = b" (or the equations joined by ", "). */
const familyPolys = (text: string): Poly[] =>
  text.split(", ").map((eq) => {
    const [lhs, rhs] = eq.split(" = ");
    return parsePoly(lhs!).sub(parsePoly(rhs!));
  });

describe("fixed points of random polynomial systems against SymPy", () => {
  it("the fixture holds at least 50 systems of 2-4 states", () => {
    expect(fixture.systems.length).toBeGreaterThanOrEqual(50);
    for (const s of fixture.systems) expect(s.states.length).toBeGreaterThanOrEqual(2);
    for (const s of fixture.systems) expect(s.states.length).toBeLessThanOrEqual(4);
  });

  for (const s of fixture.systems) {
    it(`${s.name}: ${s.realPoints.length} real isolated points${s.families.length ? ", a family" : ""}`, () => {
      const r = fixedPoints(ruleOf(s));
      const points = r.fixedPoints.filter((f) => f.dimension === 0);
      const families = r.fixedPoints.filter((f) => f.dimension > 0);
      // every reference point matched by exactly one reported point
      const ref = s.realPoints.map((p) => p.map(Number));
      expect(points.length).toBe(ref.length);
      for (const p of ref) {
        const matches = points.filter((f) =>
          s.states.every((x, i) => {
            const v = f.value[x]!;
            // a certified point: the true root lies in the Krawczyk box around the value; an
            // exact point: its float64 value is within a few ulps
            const tol = f.certified ? f.certified.radius : 4e-16 * (1 + Math.abs(p[i]!));
            return Math.abs(v - p[i]!) <= tol + 1e-15 * Math.abs(p[i]!);
          }),
        );
        expect(matches.length, `reference point (${p.join(", ")})`).toBe(1);
        expect(matches[0]!.method === "exact" || matches[0]!.certified !== undefined).toBe(true);
      }
      // families with the reference dimension and equations
      expect(families.length).toBe(s.families.length);
      for (const fam of s.families) {
        const mine = families.find((f) => f.dimension === fam.dimension);
        expect(mine, `family of dimension ${fam.dimension}`).toBeDefined();
        const eqs = fam.equations.map((e) => parsePoly(e));
        if (s.kind === "factor") {
          // the reported equation is the factor h itself, up to a constant
          const [q] = familyPolys(mine!.family!);
          expect(
            q!.primitive().equals(eqs[0]!.primitive()) || q!.primitive().equals(eqs[0]!.neg().primitive()),
          ).toBe(true);
        }
        // its sample point lies on the reference component (a family without real points,
        // such as an empty real ellipse, has no sample: NaN coordinates and no stability)
        const x = Object.fromEntries(s.states.map((v) => [v, mine!.value[v]!]));
        if (Object.values(x).every(Number.isNaN)) {
          expect(mine!.stability).toBeUndefined();
          continue;
        }
        for (const e of eqs)
          expect(Math.abs(e.evaluate(x))).toBeLessThanOrEqual(
            1e-8 * (1 + Math.max(...Object.values(x).map(Math.abs))),
          );
      }
      if (s.kind !== "line") expect(r.complete, r.completeness).toBe(true);
      else expect(r.completeness).not.toBe("");
    });
  }
});
