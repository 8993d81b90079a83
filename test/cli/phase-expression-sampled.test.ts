import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const dir = mkdtempSync(join(tmpdir(), "phase-expression-sampled-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = "rules/spectra/feedback-alignment-manifold.matrix";

describe("learndyn phase FILE.matrix --sampled", () => {
  it("samples feedback alignment's X_FA over c at two sizes and writes the table and one figure per curve value", async () => {
    const r = await run([
      ...["phase", file, "--sampled", "--grid", "c=0.15:0.35:6,alphaR=0.1"],
      ...["--sizes", "N=200|400", "--seeds", "3", "--out", dir],
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /alphaR = 0\.1: N = 200: 0\.\d+ ± [\d.]+; N = 400: 0\.\d+ ± [\d.]+; extrapolated .*analytic 0\.2000 \([+−-]/,
    );
    const base = join(dir, "sampled-feedback-alignment-manifold");
    for (const f of [`${base}.json`, `${base}.csv`, `${base}-alphaR-0.1.svg`, `${base}-alphaR-0.1.png`])
      expect(existsSync(f)).toBe(true);
    const doc = JSON.parse(readFileSync(`${base}.json`, "utf8"));
    const row = doc.rows[0];
    expect(row.alphaR).toBe(0.1);
    // The engine's c* for W1ᵀD2W1 at α_r = 0.1 (a crossing at 0.2 to 1e-13 relative).
    expect(row.analytic.value).toBeCloseTo(0.2, 10);
    expect(row.sizes).toHaveLength(2);
    expect(row.sizes[0].points).toHaveLength(6);
    expect(row.sizes[0].points[0].samples).toHaveLength(3);
    // N = 200 at c = 0.15: the sampled side is round(0.15 · 200).
    expect(row.sizes[0].points[0].side).toBe(30);
    const csv = readFileSync(`${base}.csv`, "utf8").trim().split("\n");
    expect(csv[0]).toBe(
      "alphaR,size,status,crossing,error,sideAtCrossing,extrapolated,extrapolatedError,analytic,deviationSigma",
    );
    expect(csv).toHaveLength(3);
  });

  it("refuses options of the other forms, a missing --sizes and a non-self-adjoint file", async () => {
    const a = await run([
      "phase",
      file,
      "--sampled",
      "--grid",
      "c=0.1:0.2:3",
      "--over",
      "c,alphaR",
      "--out",
      dir,
    ]);
    expect(a.err).toMatch(/--over.*absent with an expression file and --sampled/);
    const b = await run(["phase", file, "--sampled", "--grid", "c=0.1:0.2:3", "--out", dir]);
    expect(b.err).toMatch(/--sizes.*N1=250\|500\|1000/);
    const c = await run(["phase", file, "--sampled", "--sizes", "N=100", "--out", dir]);
    expect(c.err).toMatch(/--grid/);
    const d = await run([
      ...["phase", "rules/spectra/elliptic.matrix", "--sampled", "--grid", "a=0.5:0.7:3"],
      ...["--sizes", "N=50", "--seeds", "2", "--out", dir],
    ]);
    expect(d.code).not.toBe(0);
    expect(d.err).toMatch(/self-adjoint/);
  });
});
