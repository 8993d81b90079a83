/**
 * Runs the whole theorem catalog with each claim's recorded fast-check seed and number of runs:
 * a claim recorded as holding must hold (a regression in the tool that breaks a true theorem
 * fails here), and a claim recorded as false must stay false, with a counterexample that
 * still violates it.
 */
import { describe, expect, it } from "vitest";
import { claims } from "../../theory/catalog.ts";
import { runClaim } from "../../theory/claim.ts";

describe("theorem catalog", () => {
  it("has unique ids and a citation, statement and tolerance argument for every claim", () => {
    const ids = claims.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of claims) {
      expect(c.statement.length).toBeGreaterThan(10);
      expect(c.citation.file).toMatch(new RegExp(`^${c.seed}_`));
      expect(c.tolerance.length).toBeGreaterThan(10);
      if (c.correctionOf) expect(ids).toContain(c.correctionOf);
      if (c.recorded === "holds-under-assumption") expect(c.addedAssumption).toBeTruthy();
      if (c.recorded === "not-checkable") expect(c.notCheckable).toBeTruthy();
    }
  });

  // statistical simulations run in statistical.test.ts, a separate file, so they run in parallel
  for (const c of claims.filter((x) => !x.heavy)) {
    it(`${c.id}: ${c.recorded}`, () => {
      const r = runClaim(c);
      expect(r.verdict).toBe(c.recorded);
      if (r.verdict === "fails") {
        // the reported counterexample violates the claim when re-checked
        expect(r.counterexample).toBeDefined();
        expect(r.margin).toBeLessThan(0);
        if (c.witness !== undefined) expect(c.check!(c.witness).slack).toBeLessThan(0);
      }
      if (r.verdict === "holds" || r.verdict === "holds-under-assumption") {
        expect(r.margin).toBeGreaterThanOrEqual(0);
        expect(r.runs).toBe(c.runs);
      }
    });
  }
});
