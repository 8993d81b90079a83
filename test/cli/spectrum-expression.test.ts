import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { curlDescentLowerEdge } from "../../src/phase/curl-descent-law.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("learndyn spectrum FILE.matrix", () => {
  it("gives seed 001's lower edge from the expression file, with its params overridden", async () => {
    const r = await run(["spectrum", "rules/spectra/seed001-manifold.matrix", "--set", "c=0.3", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params).toEqual({ c: 0.3, alphaH: 0.3, alphaR: 0.2 });
    const ref = curlDescentLowerEdge({ c: 0.3, alphaH: 0.3, alphaR: 0.2 });
    expect(ref.ok).toBe(true);
    // Same tolerance as the engine's comparison with the specialized path.
    if (ref.ok) expect(Math.abs(j.lowerEdge - ref.edge)).toBeLessThan(1e-8 * (1 + Math.abs(ref.edge)));
    expect(j.edges[0].side).toBe("lower");
  });

  it("a sum of free rotations (Haar): two free projections, against 1 ± √λ and a sample", async () => {
    const r = await run(["spectrum", "rules/spectra/free-projections.matrix", "--sample", "200", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // The file's closed form (a = 0.5, b = 0.3); edges to 1e-8 (test/spectra/free/free-rotation.test.ts).
    const root = 2 * Math.sqrt(0.5 * 0.3 * 0.5 * 0.7);
    const [lm, lp] = [0.5 - root, 0.5 + root];
    const expected = [1 - Math.sqrt(lp), 1 - Math.sqrt(lm), 1 + Math.sqrt(lm), 1 + Math.sqrt(lp)];
    for (const [k, x] of (j.intervals as number[][]).flat().entries())
      expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-8);
    expect(j.atoms.map((a: { location: number }) => a.location)).toEqual([0, 1]);
    // 2n^(-1/2) at n = 200, as for every sampled law here.
    expect(j.sample.kolmogorovSmirnov).toBeLessThan(2 / Math.sqrt(200));
  });

  it("refuses options of the other forms and unknown params", async () => {
    const a = await run(["spectrum", "rules/spectra/anticommutator.matrix", "--c", "0.5"]);
    expect(a.code).not.toBe(0);
    expect(a.err).toMatch(/--c/);
    const b = await run(["spectrum", "rules/spectra/anticommutator.matrix", "--set", "c=0.5"]);
    expect(b.code).not.toBe(0);
    expect(b.err).toMatch(/declares no "param c"/);
  });
});
