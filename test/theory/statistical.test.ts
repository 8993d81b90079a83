/** The catalog's statistical claims (simulations of seconds each), with their recorded seeds. */
import { describe, expect, it } from "vitest";
import { claims } from "../../theory/catalog.ts";
import { runClaim } from "../../theory/claim.ts";

describe("theorem catalog, statistical claims", () => {
  for (const c of claims.filter((x) => x.heavy)) {
    it(`${c.id}: ${c.recorded}`, () => {
      const r = runClaim(c);
      expect(r.verdict).toBe(c.recorded);
      if (r.verdict !== "fails") expect(r.margin).toBeGreaterThanOrEqual(0);
    });
  }
});
