/**
 * `learndyn phase RULE --sampled`: files, crossings with error bars, the extrapolation over sizes,
 * estimating a recorded run again (--from),
 * the analytic boundary of the law derived from the rule (seed 001's curl descent, the
 * three-layer curl descent), and refusals.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("learndyn phase --sampled", () => {
  it("writes curl descent's sampled boundary at two sizes with the analytic one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-sampled-"));
    const r = await run([
      "phase",
      "curl-descent",
      "--sampled",
      "--grid",
      "c=0.15:0.6:4,alphaH=0.5",
      "--sizes",
      "T=30|50",
      "--derive",
      "M=round(c*T/(1+c))",
      "--derive",
      "N=T-M",
      "--seeds",
      "3",
      "--out",
      dir,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const f of j.files) expect(existsSync(f)).toBe(true);
    const row = j.rows[0];
    expect(row.analytic).toBeCloseTo(0.3097, 3);
    expect(row.sizes).toHaveLength(2);
    for (const s of row.sizes) {
      expect(s.crossing.status).toBe("crossing");
      expect(s.crossing.low).toBeLessThanOrEqual(s.crossing.value);
      expect(s.crossing.high).toBeGreaterThanOrEqual(s.crossing.value);
      // The points carry the realized ratio M/N of the integer sizes.
      for (const p of s.points) expect(p.ratio).toBeCloseTo(p.sizes.M / p.sizes.N, 12);
    }
    expect(Number.isFinite(row.extrapolated.value)).toBe(true);
    expect(j.extrapolatedIn).toBe("M^(-2/3) at the crossing");
    expect(readFileSync(join(dir, "sampled-curl-descent.csv"), "utf8").split("\n")[0]).toBe(
      "alphaH,T,status,cStar,error,low,high,analytic,extrapolated,extrapolatedError",
    );

    // --from estimates the recorded samples again, without sampling: the same crossings, and
    // another exponent gives another extrapolation from the same crossings.
    const again = mkdtempSync(join(tmpdir(), "learndyn-sampled-"));
    const recorded = join(dir, "sampled-curl-descent.json");
    const r2 = await run([
      "phase",
      "curl-descent",
      "--sampled",
      "--from",
      recorded,
      "--out",
      again,
      "--json",
    ]);
    expect(r2.code).toBe(0);
    const j2 = JSON.parse(r2.out);
    expect(j2.rows[0].sizes.map((s: { crossing: unknown }) => s.crossing)).toEqual(
      row.sizes.map((s: { crossing: unknown }) => s.crossing),
    );
    expect(j2.rows[0].extrapolated.value).toBeCloseTo(row.extrapolated.value, 12);
    expect(j2.estimatedFrom).toBe(recorded);
    const r3 = await run([
      "phase",
      "curl-descent",
      "--sampled",
      "--from",
      recorded,
      "--extrapolate-exponent",
      "1",
      "--out",
      again,
      "--json",
    ]);
    const j3 = JSON.parse(r3.out);
    expect(j3.extrapolatedIn).toBe("M^(-1) at the crossing");
    expect(j3.rows[0].extrapolated.value).not.toBeCloseTo(row.extrapolated.value, 6);
    const refused = await run([
      "phase",
      "curl-descent",
      "--sampled",
      "--from",
      recorded,
      "--seeds",
      "4",
      "--out",
      again,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--seeds.*--from/);
    const wrongRule = await run(["phase", "curl-descent-3", "--sampled", "--from", recorded, "--out", again]);
    expect(wrongRule.err).toMatch(/--from.*curl-descent-3/);
  });

  it("runs the three-layer rule, with the analytic boundary of its derived law", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-sampled-"));
    const r = await run([
      "phase",
      "curl-descent-3",
      "--sampled",
      "--grid",
      "c=0.2:1.2:3,alpha1=0.5",
      "--set",
      "T=30",
      "--derive",
      "M=round(c*T/(1+c))",
      "--derive",
      "N1=T-M",
      "--derive",
      "N2=N1",
      "--seeds",
      "2",
      "--out",
      dir,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // The law derived from the rule file (phase RULE --over): c*(α1 = 0.5) = 0.40595 (its
    // agreement with the hand-written expression to 1e-10 is in test/phase/teacher-point-law.test.ts).
    expect(j.rows[0].analytic).toBeCloseTo(0.40595, 4);
    expect(j.rows[0].sizes[0].points.every((p: { field: string }) => p.field === "population")).toBe(true);
  });

  it("refuses names nothing reads, a missing --out and analytic options", async () => {
    const a = await run([
      "phase",
      "curl-descent",
      "--sampled",
      "--grid",
      "c=0.2:0.4:2",
      "--set",
      "K=3",
      "--out",
      "/tmp/x",
    ]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/"K"/);
    const b = await run(["phase", "curl-descent", "--sampled", "--grid", "c=0.2:0.4:2"]);
    expect(b.err).toMatch(/--out/);
    const c = await run([
      "phase",
      "curl-descent",
      "--sampled",
      "--grid",
      "c=0.2:0.4:2",
      "--layer",
      "hidden",
      "--out",
      "/tmp/x",
    ]);
    expect(c.err).toMatch(/--layer/);
    const d = await run(["phase", "curl-descent", "--layer", "hidden", "--seeds", "3"]);
    expect(d.err).toMatch(/--seeds.*--sampled/);
  });
});
