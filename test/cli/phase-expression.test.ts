import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { criticalRatio } from "../../src/phase/boundary.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const dir = mkdtempSync(join(tmpdir(), "phase-expression-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = "rules/spectra/seed001-manifold.matrix";

describe("learndyn phase FILE.matrix --over X,Y", () => {
  it("draws seed 001's hidden-layer boundary from the expression file, c* as the specialized path's", async () => {
    const r = await run([
      ...["phase", file, "--over", "c,alphaH", "--set", "alphaR=0"],
      ...["--nx", "24", "--ny", "3", "--y-range", "0.2:0.6", "--out", dir, "--json"],
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params).toEqual({ alphaR: 0 });
    expect(j.failures).toEqual([]);
    expect(j.boundary.map((b: { y: number }) => b.y)).toEqual([0.2, 0.4, 0.6]);
    for (const b of j.boundary) {
      expect(b.status).toBe("crossing");
      expect(b.crossings).toHaveLength(1);
      expect(b.crossings[0].stableBelow).toBe(true);
      const ref = criticalRatio(b.y, 0, { cMin: 0.01, cMax: 100 });
      // Both refine the sign change of the same smooth edge(c) to a bracket of relative 1e-13,
      // on edges that agree to 1e-8 (test/spectra/free/seed001-general-engine.test.ts).
      expect(Math.abs(b.xStar - ref.value!) / ref.value!).toBeLessThan(1e-8);
    }
    const base = join(dir, "phase-seed001-manifold-c-alphaH");
    for (const ext of ["json", "csv", "svg", "png"]) expect(existsSync(`${base}.${ext}`)).toBe(true);
    const csv = readFileSync(`${base}.csv`, "utf8").trim().split("\n");
    expect(csv[0]).toBe("c,alphaH,lowerEdge,stable");
    expect(csv).toHaveLength(1 + 24 * 3);
    const doc = JSON.parse(readFileSync(`${base}.json`, "utf8"));
    expect(doc.stable).toHaveLength(72);
    // Stable below c*, unstable above, in every row.
    doc.boundary.forEach((b: { xStar: number }, iy: number) => {
      doc.x.values.forEach((c: number, ix: number) => {
        expect(doc.stable[iy * 24 + ix]).toBe(c < b.xStar);
      });
    });
  });

  it("refuses axes the file does not declare, a missing --out and options of the other forms", async () => {
    const a = await run(["phase", file, "--over", "c,beta", "--out", dir]);
    expect(a.code).not.toBe(0);
    expect(a.err).toMatch(/--over.*declares c, alphaH, alphaR.*"beta"/);
    const b = await run(["phase", file, "--over", "c,alphaH"]);
    expect(b.err).toMatch(/--out/);
    const c = await run(["phase", file, "--over", "c,alphaH", "--layer", "hidden", "--out", dir]);
    expect(c.err).toMatch(/--layer.*absent with an expression file/);
    const d = await run(["phase", "curl-descent", "--layer", "hidden", "--over", "c,alphaH"]);
    expect(d.err).toMatch(/--layer.*absent with --over/);
    const e = await run(["phase", file, "--over", "c,alphaH", "--x-range", "0:1", "--out", dir]);
    expect(e.err).toMatch(/lo > 0 on a log axis/);
  });

  it("a network rule other than curl descent without --over is refused with the routes that exist", async () => {
    const a = await run(["phase", "curl-descent-3", "--layer", "hidden"]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/learndyn phase curl-descent-3 --over c,ALPHA --out DIR/);
    expect(a.err).toMatch(/learndyn phase curl-descent-3 --sampled/);
  });
});

describe("learndyn phase RULE --over X,Y: the law derived from the rule", () => {
  it("three-layer curl descent: the law file is written and c* is the hand-written expression's", async () => {
    const out = join(dir, "rule-law");
    const r = await run([
      ...["phase", "rules/curl-descent-3.rule", "--over", "c,alpha1", "--x-range", "0.1:2"],
      ...["--nx", "30", "--ny", "3", "--y-range", "0.25:0.75", "--out", out, "--json"],
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rule).toBe("curl-descent-3");
    expect(j.law.teacherOf).toEqual({ W1: "V1", W2: "V2", W3: "V3" });
    expect(j.law.scalars.map((s: { limit: string }) => s.limit)).toEqual(["1", "1"]);
    const law = readFileSync(j.law.file, "utf8");
    expect(law).toContain("0.5 * s1 + 0.5 * V1' * s2 * V1 + 0.5 * V1' * V2' * s3 * V2 * V1");
    // The hand-written file's c* (test/phase/teacher-point-law.test.ts: the two agree to 1e-10).
    const expected = [0.4912, 0.40595, 0.3577];
    for (const [k, b] of (j.boundary as { xStar: number }[]).entries())
      expect(b.xStar).toBeCloseTo(expected[k]!, 3);
    // Drawn from the rule itself, smallest dimension 120, on either side of each c* (c*/1.5, 1.5c*):
    // the finite-size X has the rule's Jacobian's nonzero spectrum (teacher-point-law.test.ts).
    const s = await run([
      ...["phase", "rules/curl-descent-3.rule", "--over", "c,alpha1", "--x-range", "0.1:2"],
      ...["--nx", "30", "--ny", "2", "--y-range", "0.25:0.75", "--out", out, "--json", "--sample", "120"],
    ]);
    expect(s.code).toBe(0);
    const rows = JSON.parse(s.out).sampleCheck.rows as { agrees: boolean; below: { stable: boolean } }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.agrees && row.below.stable).toBe(true);
    const b = await run([
      "phase",
      "rules/curl-descent.rule",
      "--over",
      "c,alphaH",
      "--set",
      "phi=tanh",
      "--out",
      out,
    ]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/curl-descent\.rule:\d+:\d+: phi is tanh/);
  });
});
