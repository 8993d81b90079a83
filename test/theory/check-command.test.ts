import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import "../../theory/register.ts";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("learndyn check", () => {
  it("refuses an unknown seed with the list of valid ones", async () => {
    const c = capture();
    expect(await main(["check", "--seed", "004"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/--seed" must be one of 000, 001, 002, 003, received "004"/);
  });

  it("refuses an unknown claim id with the list of valid ones", async () => {
    const c = capture();
    expect(await main(["check", "--claim", "002.no-such-claim"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(
      /--claim" must be a claim id \(valid: .*002\.lemma-2\.1.*\), received "002\.no-such-claim"/,
    );
  });

  it("prints one claim as JSON with id, seed, citation, verdict, margin and counterexample", async () => {
    const c = capture();
    expect(await main(["check", "--claim", "002.theorem-2.3.hypothesis", "--json"], c.io)).toBe(0);
    const doc = JSON.parse(c.out.join(""));
    expect(doc.claims).toHaveLength(1);
    const r = doc.claims[0];
    expect(r).toMatchObject({ id: "002.theorem-2.3.hypothesis", seed: "002", verdict: "fails" });
    expect(r.citation.file).toBe("002_b220451760ef2ed1.txt");
    expect(r.margin).toBeLessThan(0);
    expect(r.counterexample).toBeDefined();
  });

  it("writes the JSON document with --out", async () => {
    const c = capture();
    const path = join(mkdtempSync(join(tmpdir(), "learndyn-check-")), "claims.json");
    expect(await main(["check", "--claim", "001.eq-3.sign", "--out", path], c.io)).toBe(0);
    const doc = JSON.parse(readFileSync(path, "utf8"));
    expect(doc.claims[0]).toMatchObject({ id: "001.eq-3.sign", verdict: "fails" });
    expect(doc.claims[0].counterexample).toBeDefined();
  });

  it("prints a table for a seed", async () => {
    const c = capture();
    expect(await main(["check", "--seed", "002", "--claim", "002.theorem-2.4"], c.io)).toBe(0);
    const text = c.out.join("");
    expect(text).toMatch(/^claim\s+citation\s+verdict\s+margin\s+run seed/);
    expect(text).toMatch(/002\.theorem-2\.4\s+2\.1, Theorem 2\.4.*holds/);
  });
});
