/**
 * `learndyn spectrum RULE --sampled`: the nonzero spectrum of a rule's Jacobian at its teacher
 * point over seeds and sizes, the extrapolation of its rightmost eigenvalue, the free-probability
 * prediction for seed 001's curl descent, and refusals.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { curlDescentLowerEdge } from "../../src/phase/curl-descent-law.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("learndyn spectrum --sampled", () => {
  it("samples curl descent's manifold spectrum at three sizes beside the free-probability edge", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-spectrum-"));
    const r = await run([
      "spectrum",
      "curl-descent",
      "--sampled",
      "--sizes",
      "M=10|20|40",
      "--derive",
      "N=2*M",
      "--set",
      "alphaH=0.3",
      "--seeds",
      "3",
      "--out",
      dir,
      "--json",
    ]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    for (const f of j.files) expect(existsSync(f)).toBe(true);
    expect(j.series.map((s: { sizes: { M: number; N: number } }) => [s.sizes.M, s.sizes.N])).toEqual([
      [10, 20],
      [20, 40],
      [40, 80],
    ]);
    for (const s of j.series) {
      expect(s.field).toBe("population");
      for (const sample of s.samples) expect(sample.rank).toBe(s.sizes.M);
      // The nonzero eigenvalues are -x/2 for the symmetric X of eq. 98: real.
      expect(s.maxImaginary).toBeLessThan(1e-9);
    }
    // The law derived from the rule at the largest size (M = 40, N = 80): seed 001's eq. 98.
    expect(j.analytic.params).toEqual({ c: 0.5, alphaH: 0.3, alphaR: 0 });
    expect(j.analytic.law).toContain("0.5 * s1 + 0.5 * W1t' * s2 * W1t");
    // −σ² lowerEdge(X) by the specialized path (σ² = ½), to the general engine's 1e-8.
    const edge = curlDescentLowerEdge({ c: 0.5, alphaH: 0.3, alphaR: 0 });
    expect(edge.ok).toBe(true);
    if (edge.ok) expect(Math.abs(j.analytic.rightmost + 0.5 * edge.edge)).toBeLessThan(1e-8);
    expect(Number.isFinite(j.extrapolation.intercept)).toBe(true);
  });

  it("refuses analytic options and a missing size series", async () => {
    const a = await run(["spectrum", "curl-descent", "--sampled", "--c", "0.5", "--sizes", "M=10|20"]);
    expect(a.err).toMatch(/--c/);
    const b = await run(["spectrum", "curl-descent", "--sampled"]);
    expect(b.err).toMatch(/--sizes/);
    const c = await run(["spectrum", "curl-descent", "--c", "0.5", "--seeds", "3"]);
    expect(c.err).toMatch(/--seeds.*--sampled/);
  });
});
