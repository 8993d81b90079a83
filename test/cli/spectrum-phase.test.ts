import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

async function run(args: string[]) {
  const c = capture();
  const code = await main(args, c.io);
  return { code, out: c.out.join("\n"), err: c.err.join("\n") };
}

describe("learndyn spectrum", () => {
  it("writes the support and the sampled eigenvalues for NumPy with --npz", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "learndyn-spectrum-npz-")), "s.npz");
    const args = ["spectrum", "curl-descent", "--c", "0.5", "--alpha-h", "0.2", "--sample", "40"];
    const r = await run([...args, "--json", "--npz", file]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const members = unzipSync(readFileSync(file));
    expect(Object.keys(members).sort()).toEqual(
      ["atomLocations", "atomMasses", "edges", "eigenvalues", "intervals"].map((n) => `${n}.npy`),
    );
    const edges = members["edges.npy"]!;
    const view = new DataView(edges.buffer, edges.byteOffset);
    const stored = Array.from({ length: j.edges.length }, (_, q) => view.getFloat64(128 + 8 * q, true));
    expect(stored).toEqual(j.edges);
    if (spawnSync("python3", ["-c", "import numpy"]).status !== 0) return;
    const script = `
import json, sys, numpy as np
z = np.load(sys.argv[1])
e = z["eigenvalues"]
print(json.dumps([list(e.shape), float(e.min()), list(z["intervals"].shape)]))`;
    const got = JSON.parse(spawnSync("python3", ["-c", script, file], { encoding: "utf8" }).stdout);
    expect(got).toEqual([[j.sample.M], j.sample.smallestEigenvalue, [j.intervals.length, 2]]);
  });

  it("prints lowerEdge, edges and stable as JSON, with a sampled comparison", async () => {
    const r = await run([
      "spectrum",
      "curl-descent",
      "--c",
      "0.2",
      "--alpha-h",
      "0.3",
      "--alpha-r",
      "0",
      "--json",
      "--sample",
      "120",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.stable).toBe(true);
    expect(j.lowerEdge).toBeGreaterThan(0);
    expect(j.edges[0]).toBeCloseTo(j.lowerEdge, 9);
    expect(j.sample).toMatchObject({ M: 120, N: 600, stable: true });
  });

  it("refuses bad input with the option named", async () => {
    expect((await run(["spectrum", "curl-descent", "--c", "0"])).err).toMatch(
      /--c" must be a number > 0, received "0"/,
    );
    expect((await run(["spectrum", "curl-descent", "--c", "1", "--alpha-h", "1.5"])).err).toMatch(
      /--alpha-h" must be a number >= 0 <= 1/,
    );
    expect((await run(["spectrum", "hopfield", "--c", "1"])).err).toMatch(
      /argument "model" must be exactly one model name \(curl-descent\)/,
    );
    const seedAlone = await run(["spectrum", "curl-descent", "--c", "1", "--seed", "3"]);
    expect(seedAlone.code).toBe(2);
    expect(seedAlone.err).toMatch(
      /spectrum: argument "--seed" must be given only with --sample, received "3"/,
    );
  });
});

describe("learndyn phase", () => {
  it("prints the boundary table as JSON and writes the map and figure with --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-phase-"));
    const r = await run([
      "phase",
      "curl-descent",
      "--layer",
      "both",
      "--alphas",
      "0.1,0.6",
      "--json",
      "--out",
      dir,
      "--nc",
      "40",
      "--nalpha",
      "21",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.boundary).toHaveLength(2);
    expect(j.boundary[0]).toMatchObject({ alpha: 0.1, status: "crossing" });
    expect(j.boundary[1]).toMatchObject({ alpha: 0.6, cStar: null, status: "unstable" });
    for (const ext of ["json", "csv", "svg", "png"])
      expect(existsSync(join(dir, `phase-both.${ext}`))).toBe(true);
    const map = JSON.parse(readFileSync(join(dir, "phase-both.json"), "utf8"));
    expect(map.lowerEdge).toHaveLength(40 * 21);
    expect(readFileSync(join(dir, "phase-both.svg"), "utf8")).toContain("stable");
  });

  it("writes the map for NumPy with --npz: the JSON's values in [nalpha, nc] arrays", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-phase-npz-"));
    const args = ["phase", "curl-descent", "--layer", "hidden", "--out", dir, "--nc", "7", "--nalpha", "5"];
    const r = await run([...args, "--npz", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).files).toContain(join(dir, "phase-hidden.npz"));
    const members = unzipSync(readFileSync(join(dir, "phase-hidden.npz")));
    expect(Object.keys(members).sort()).toEqual(
      ["alpha", "boundaryAlpha", "boundaryCStar", "c", "lowerEdge", "stable"].map((n) => `${n}.npy`),
    );
    // The lowerEdge member: a 64-byte header, then 5 x 7 float64 in the JSON's order (iy * nc + ix).
    const map = JSON.parse(readFileSync(join(dir, "phase-hidden.json"), "utf8"));
    const member = members["lowerEdge.npy"]!;
    const header = String.fromCharCode(...member.subarray(10, 128));
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(5, 7\), \} *\n$/);
    const view = new DataView(member.buffer, member.byteOffset);
    expect(Array.from({ length: 35 }, (_, q) => view.getFloat64(128 + 8 * q, true))).toEqual(map.lowerEdge);
    if (spawnSync("python3", ["-c", "import numpy"]).status !== 0) return;
    const script = `
import json, sys, numpy as np
z = np.load(sys.argv[1])
print(json.dumps({k: [list(z[k].shape), str(z[k].dtype)] for k in z.files}))`;
    const got = JSON.parse(
      spawnSync("python3", ["-c", script, join(dir, "phase-hidden.npz")], { encoding: "utf8" }).stdout,
    );
    expect(got).toMatchObject({
      c: [[7], "float64"],
      lowerEdge: [[5, 7], "float64"],
      stable: [[5, 7], "int32"],
    });
  });

  it("checks each c* against sampled matrices with --sample", async () => {
    const r = await run([
      "phase",
      "curl-descent",
      "--layer",
      "hidden",
      "--alphas",
      "0.5",
      "--sample",
      "150",
      "--json",
    ]);
    const j = JSON.parse(r.out);
    expect(j.sampleCheck[0].check.agrees).toBe(true);
    expect(j.sampleCheck[0].check.below.smallestEigenvalue).toBeGreaterThan(0);
    expect(j.sampleCheck[0].check.above.smallestEigenvalue).toBeLessThan(0);
  });

  it("gives α*(c) at fixed c with --cs", async () => {
    const r = await run([
      "phase",
      "curl-descent",
      "--layer",
      "readout",
      "--alphas",
      "0.3",
      "--cs",
      "0.1,10",
      "--json",
    ]);
    const j = JSON.parse(r.out);
    expect(j.alphaStar[0]).toMatchObject({ c: 0.1, status: "crossing" });
    // α* lies below one half (readout never stable beyond half flipped) and decreases with c.
    expect(j.alphaStar[0].alphaStar).toBeLessThan(0.5);
    expect(j.alphaStar[1].alphaStar).toBeLessThan(j.alphaStar[0].alphaStar);
  });

  it("refuses bad input: α outside [0, 1], unknown layer, grid beyond its bound", async () => {
    expect((await run(["phase", "curl-descent", "--layer", "hidden", "--alphas", "0.2,1.2"])).err).toMatch(
      /--alphas" must be a number >= 0 <= 1, received "1.2"/,
    );
    expect((await run(["phase", "curl-descent", "--layer", "middle"])).err).toMatch(
      /argument "layer" must be one of hidden, readout, both, received "middle"/,
    );
    const big = await run([
      "phase",
      "curl-descent",
      "--layer",
      "hidden",
      "--alphas",
      "0.5",
      "--out",
      join(tmpdir(), "never"),
      "--nc",
      "5000",
      "--nalpha",
      "5000",
    ]);
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/grid points bound of 16000000 exceeded \(reached 25000000\)/);
  });

  it("refuses options of a part that does not run instead of ignoring them", async () => {
    const base = ["phase", "curl-descent", "--layer", "hidden", "--alphas", "0.5"];
    for (const [extra, message] of [
      [["--seed", "2"], /phase: argument "--seed" must be given only with --sample, received "2"/],
      [["--nc", "50"], /phase: argument "--nc" must be given only with --out, received "50"/],
      [["--nalpha", "50"], /phase: argument "--nalpha" must be given only with --out/],
      [["--npz"], /phase: argument "--npz" must be given only with --out/],
    ] as const) {
      const r = await run([...base, ...extra]);
      expect(r.code, extra.join(" ")).toBe(2);
      expect(r.err, extra.join(" ")).toMatch(message);
    }
  });
});
