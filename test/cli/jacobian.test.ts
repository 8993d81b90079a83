/**
 * `learndyn jacobian RULE`: the nonzero spectrum at the teacher point agrees with Arnoldi on the
 * whole operator and with the dense eigenvalues; the origin, the initial point and a point from a
 * file; refusals name what was wrong.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
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

/** Small sizes of the two- and three-layer rules, as --set options. */
const TWO_LAYER_SIZES = ["--set", "M=3", "--set", "N=3", "--set", "P=4"];
const THREE_LAYER_SIZES = ["--set", "M=3", "--set", "N1=3", "--set", "N2=2", "--set", "P=4"];

describe("learndyn jacobian", () => {
  it("gives curl descent's nonzero spectrum at the manifold, matching the dense eigenvalues", async () => {
    const r = await run([
      "jacobian",
      "curl-descent",
      "--set",
      "M=4",
      "--set",
      "N=5",
      "--set",
      "P=5",
      "--set",
      "alphaH=0.5",
      "--dense",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.field).toBe("population");
    expect(j.point.residual).toBe(0);
    expect(j.nonzeroSpectrum.rank).toBe(4);
    expect(j.nonzeroSpectrum.zeroModes).toBe(4 * 5 + 5 - 4);
    // The dense spectrum has the 4 nonzero eigenvalues and 21 zeros (to rounding).
    const dense = j.dense.map((e: { re: number }) => e.re);
    const nonzero = dense.filter((v: number) => Math.abs(v) > 1e-9).sort((a: number, b: number) => b - a);
    expect(nonzero).toHaveLength(4);
    j.nonzeroSpectrum.eigenvalues.forEach((e: { re: number }, i: number) => {
      expect(e.re).toBeCloseTo(nonzero[i], 9);
    });
  });

  it("runs Arnoldi at the origin of the three-layer rule and reads a point from a file", async () => {
    const origin = await run([
      "jacobian",
      "curl-descent-3",
      "--at",
      "origin",
      ...THREE_LAYER_SIZES,
      "--rightmost",
      "2",
      "--json",
    ]);
    expect(origin.code).toBe(0);
    const o = JSON.parse(origin.out);
    // A depth-3 field is cubic in the weights: its Jacobian vanishes at the origin.
    expect(o.nonzeroSpectrum.rank).toBe(0);
    expect(o.arnoldi.converged).toBe(true);
    for (const v of o.arnoldi.values) expect(Math.abs(v.re)).toBeLessThan(1e-12);
    const dir = mkdtempSync(join(tmpdir(), "learndyn-jac-"));
    const file = join(dir, "point.json");
    writeFileSync(
      file,
      JSON.stringify({ states: { W1: Array(9).fill(0.1), W2: Array(6).fill(-0.2), W3: [0.3, 0.4] } }),
    );
    const fromFile = await run(["jacobian", "curl-descent-3", "--at", file, ...THREE_LAYER_SIZES, "--json"]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.out).point.residual).toBeGreaterThan(0);
  });

  it("refuses unknown settings, a population field the rule lacks, and a malformed point", async () => {
    const unknown = await run(["jacobian", "curl-descent", "--set", "K=3"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/"K" must be a size, parameter or choice/);
    const tanh = await run([
      "jacobian",
      "curl-descent",
      "--set",
      "phi=tanh",
      "--field",
      "population",
      ...TWO_LAYER_SIZES,
    ]);
    expect(tanh.err).toMatch(/degree Infinity/);
    const dir = mkdtempSync(join(tmpdir(), "learndyn-jac-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ states: { W1: [1, 2] } }));
    const bad = await run(["jacobian", "curl-descent", "--at", file, ...TWO_LAYER_SIZES]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/states.W1/);
  });
});
