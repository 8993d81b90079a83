import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { boundaryCurve } from "../../src/phase/boundary.ts";
import { linSpace } from "../../src/phase/stability-map.ts";
import type { MergedSweep } from "../../src/phase/sweep/merge.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-empirical-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

// A tiny hidden-layer grid at M + N = 12 (c = 0.25 gives M = 2, N = 10; c = 4 gives M = 10, N = 2),
// small data sets and few epochs, so the whole sweep takes well under a second of simulation.
const tiny = [
  "--set",
  "total=12",
  "--set",
  "epochs=20",
  "--set",
  "trainCount=20",
  "--set",
  "testCount=10",
  "--set",
  "batchSize=5",
  "--set",
  "lyapunov=0",
];

/** `sweep plan` of two seeds in two shards; `kind` is ["--task", KIND] or ["--rule", RULE]. */
const plan = (
  dir: string,
  grid: string,
  extra: string[] = tiny,
  task = "student-teacher",
  kind = ["--task", task],
) => run(["sweep", "plan", ...kind, "--grid", grid, "--seeds", "2", "--shards", "2", "--out", dir, ...extra]);

describe("learndyn phase curl-descent --empirical (plan, run, merge, diagram)", () => {
  const dir = join(tmp, "hidden");
  const out = join(tmp, "out");
  let merged: MergedSweep;

  beforeAll(async () => {
    expect((await plan(dir, "c=0.25|1|4,alphaH=0|0.5|1")).code).toBe(0);
    // Child processes (one per shard), on the WebAssembly CPU backend: the backend name must
    // reach every shard process and be recorded in every result.
    const ran = await run(["sweep", "run", dir, "--workers", "2", "--backend", "cpu-wasm"]);
    expect(ran.err).toBe("");
    expect(ran.code).toBe(0);
  }, 30_000);

  it("refuses a sweep that has not been merged, naming the command that merges it", async () => {
    const r = await run(["phase", "curl-descent", "--layer", "hidden", "--empirical", dir, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a merged sweep \(with merged\.json\).*learndyn sweep merge/);
  });

  it("writes JSON, CSV, SVG and PNG whose cells are the means over seeds of the merged runs", async () => {
    expect((await run(["sweep", "merge", dir])).code).toBe(0);
    merged = JSON.parse(readFileSync(join(dir, "merged.json"), "utf8"));
    expect(merged.rows.every((r) => r.values.backend === "cpu-wasm")).toBe(true);

    const r = await run([
      "phase",
      "curl-descent",
      "--layer",
      "hidden",
      "--empirical",
      dir,
      "--out",
      out,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.backends).toEqual({ "cpu-wasm": 18 });
    expect(summary.counts).toEqual({ runs: 18, failedRuns: 0, cells: 9, noValueCells: 0 });

    const d = JSON.parse(readFileSync(join(out, "empirical-hidden.json"), "utf8"));
    expect(d.x).toEqual({ name: "c", values: [0.25, 1, 4] });
    expect(d.y).toEqual({ name: "alpha", values: [0, 0.5, 1] });
    expect(d.total).toBe(12);
    for (const [iy, alpha] of d.y.values.entries()) {
      for (const [ix, c] of d.x.values.entries()) {
        const cell = d.cells[iy * d.x.values.length + ix];
        const rows = merged.rows.filter((row) => row.params.c === c && row.params.alphaH === alpha);
        expect(rows).toHaveLength(2);
        const tests = rows.map((row) => row.values.finalTestError as number);
        // The same two numbers added in the same order and halved: equal to float64 rounding of
        // one addition and one division (the JSON round trip is exact for doubles).
        expect(cell.meanTestError).toBeCloseTo((tests[0]! + tests[1]!) / 2, 15);
        expect(cell.log10MeanTestError).toBeCloseTo(Math.log10(cell.meanTestError), 12);
        expect([cell.x, cell.y, cell.runs, cell.failedRuns]).toEqual([c, alpha, 2, 0]);
        expect(cell.sizes.M + cell.sizes.N).toBe(12);
      }
    }
    // The boundary is the analytic c*(α) on the plotted range (half a log cell beyond the ends).
    const cRange = [0.25 / 2, 4 * 2] as const;
    expect(d.boundary.cRange[0]).toBeCloseTo(cRange[0], 14);
    expect(d.boundary.cRange[1]).toBeCloseTo(cRange[1], 14);
    const analytic = boundaryCurve("hidden", linSpace(0, 1, 101), d.boundary.cRange[0], d.boundary.cRange[1]);
    expect(d.boundary.points).toEqual(JSON.parse(JSON.stringify(analytic)));
    const crossing = d.boundary.points.find((b: { alpha: number }) => b.alpha === 1);
    // At α_h = 1, D1 = −I and X = W1ᵀW1 − ‖W2‖²I (‖W2‖ = 1); the Marchenko-Pastur lower edge
    // (1 − √c)²/c of W1ᵀW1 exceeds 1 iff c < 1/4. Bisection to the float64 resolution of c.
    expect(crossing.cStar).toBeCloseTo(0.25, 12);

    const csv = readFileSync(join(out, "empirical-hidden.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(
      "c,alpha,M,N,runs,failedRuns,meanTestError,log10MeanTestError,sdTestError,meanTrainError,meanQ,meanLyapunov",
    );
    expect(csv).toHaveLength(10);
    expect(Number(csv[1]!.split(",")[6])).toBe(d.cells[0].meanTestError);

    const svg = readFileSync(join(out, "empirical-hidden.svg"), "utf8");
    expect(svg).toContain("log10 mean test error");
    expect(svg).toContain("analytic c*(α)");
    expect(svg).toContain("M + N = 12, 20 epochs, 2 seeds");
    const png = readFileSync(join(out, "empirical-hidden.png"));
    expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
  });

  it("refuses the readout layer for a sweep over alphaH, naming the task and the value", async () => {
    const r = await run(["phase", "curl-descent", "--layer", "readout", "--empirical", dir, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /"parameter alphaR of task 0" must be a number \(the readout-layer diagram needs c and alphaR in every task\), received "nothing"/,
    );
  });

  it("refuses --backend: phase runs nothing, and says where to choose the backend", async () => {
    const r = await run([
      "phase",
      "curl-descent",
      "--layer",
      "hidden",
      "--empirical",
      dir,
      "--out",
      out,
      "--backend",
      "webgpu",
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--backend.*sweep run SWEEP_DIR --backend NAME/);
  });

  it("refuses options of the analytic map, whose grid would be ignored", async () => {
    const r = await run([
      "phase",
      "curl-descent",
      "--layer",
      "hidden",
      "--empirical",
      dir,
      "--out",
      out,
      "--nc",
      "50",
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/"--nc" must be absent with --empirical.*sweep plan --grid/);
  });
});

describe("learndyn phase --empirical refuses other sweeps", () => {
  const args = (dir: string) => [
    "phase",
    "curl-descent",
    "--layer",
    "hidden",
    "--empirical",
    dir,
    "--out",
    join(tmp, "x"),
  ];

  it("a sweep of another task kind", async () => {
    const dir = join(tmp, "ode");
    expect((await plan(dir, "mu=1|2", ["--set", "t1=1"], "ode-final")).code).toBe(0);
    const r = await run(args(dir));
    expect(r.err).toMatch(
      /must be a sweep of task kind "network-rule" or "student-teacher", received "ode-final"/,
    );
  });

  it("a directory that holds no sweep", async () => {
    const r = await run(args(join(tmp, "nothing-here")));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a sweep directory \(with plan\.json\)/);
  });

  it("an incomplete merge, with the commands that finish it", async () => {
    const dir = join(tmp, "unfinished");
    expect((await plan(dir, "c=0.25|4,alphaH=0|1")).code).toBe(0);
    expect((await run(["sweep", "merge", dir])).code).toBe(1);
    const r = await run(args(dir));
    expect(r.err).toMatch(/8 of 8 tasks unfinished.*learndyn sweep run/);
  });

  it("a sweep without c (sizes given as M and N), and one with M + N not fixed", async () => {
    const noC = join(tmp, "no-c");
    expect((await plan(noC, "M=2|6,alphaH=0|1", [...tiny.slice(2), "--set", "N=6"])).code).toBe(0);
    expect((await run(["sweep", "run", noC, "--shard", "0", "--shard", "1"])).code).toBe(0);
    expect((await run(["sweep", "merge", noC])).code).toBe(0);
    expect((await run(args(noC))).err).toMatch(/parameter c of task 0.*must be a number/);

    const varying = join(tmp, "varying");
    expect((await plan(varying, "c=0.5|2,total=8|12,alphaH=0", tiny.slice(2))).code).toBe(0);
    expect((await run(["sweep", "run", varying, "--shard", "0", "--shard", "1"])).code).toBe(0);
    expect((await run(["sweep", "merge", varying])).code).toBe(0);
    expect((await run(args(varying))).err).toMatch(/one value of M \+ N.*received "M \+ N in \{8, 12\}"/);
  });
});

describe("learndyn sweep run --backend webgpu without an adapter", () => {
  it("fails before any shard runs, with the driver install command", async () => {
    const dir = join(tmp, "gpu");
    expect((await plan(dir, "c=1,alphaH=0")).code).toBe(0);
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, ["bin/learndyn.js", "sweep", "run", dir, "--backend", "webgpu"], {
        env: { ...process.env, VK_ICD_FILENAMES: "/nonexistent/icd.json" },
        stdio: "pipe",
        encoding: "utf8",
      });
    } catch (e) {
      ({ status, stderr } = e as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/no WebGPU adapter/);
    expect(stderr).toMatch(/apt-get install -t bookworm-backports libvulkan1 mesa-vulkan-drivers/);
    const status2 = await run(["sweep", "status", dir, "--json"]);
    expect(JSON.parse(status2.out).finished).toBe(0);
  }, 20_000);
});

describe("learndyn phase --empirical with network-rule sweeps", () => {
  // Small data sets and few epochs: each sweep simulates in well under a second.
  const small = ["P=20", "Q=8", "S=5", "epochs=15", "lyapunov=0"].flatMap((v) => ["--set", v]);
  const planRule = async (dir: string, rule: string, grid: string, extra: string[]) => {
    const p = await plan(dir, grid, [...small, ...extra], "network-rule", ["--rule", rule]);
    expect(p.code, p.err).toBe(0);
    expect((await run(["sweep", "run", dir, "--shard", "0", "--shard", "1"])).code).toBe(0);
    expect((await run(["sweep", "merge", dir])).code).toBe(0);
    return JSON.parse(readFileSync(join(dir, "merged.json"), "utf8")) as MergedSweep;
  };
  const fromC = (sizes: string[]) => [
    "--set",
    "T=12",
    "--derive",
    "M=round(c*T/(1+c))",
    ...sizes.flatMap((s) => ["--derive", s]),
  ];

  it("draws the three-layer rule over c and alpha1 (sizes derived from c), without a boundary, saying why", async () => {
    const dir = join(tmp, "three-layer");
    const merged = await planRule(
      dir,
      "curl-descent-3",
      "c=0.25|1|4,alpha1=0|0.5",
      fromC(["N1=T-M", "N2=N1"]),
    );
    expect(merged.counts).toEqual({ tasks: 12, ok: 12, failed: 0, missing: 0 });
    const outDir = join(tmp, "three-layer-out");
    const r = await run(["phase", "curl-descent-3", "--empirical", dir, "--out", outDir, "--json"]);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out);
    expect([summary.rule, summary.x, summary.y, summary.layer]).toEqual([
      "curl-descent-3",
      "c",
      "alpha1",
      null,
    ]);
    expect(summary.counts).toEqual({ runs: 12, failedRuns: 0, cells: 6, noValueCells: 0 });
    expect(summary.notes[0]).toMatch(
      /no analytic boundary: rule "curl-descent-3" is not seed 001's two-layer curl descent/,
    );

    const d = JSON.parse(readFileSync(join(outDir, "empirical-curl-descent-3-c-alpha1.json"), "utf8"));
    expect(d.boundary).toBeNull();
    expect(d.x).toEqual({ name: "c", values: [0.25, 1, 4] });
    expect(d.y).toEqual({ name: "alpha1", values: [0, 0.5] });
    for (const cell of d.cells) {
      const rows = merged.rows.filter((row) => row.params.c === cell.x && row.params.alpha1 === cell.y);
      expect(rows).toHaveLength(2);
      // The same two numbers added and halved: exact up to the rounding of one sum and one halving.
      expect(cell.meanTestError).toBeCloseTo(
        ((rows[0]!.values.finalTestError as number) + (rows[1]!.values.finalTestError as number)) / 2,
        15,
      );
      expect(cell.sizes.M + cell.sizes.N1).toBe(12);
      expect(cell.sizes.N2).toBe(cell.sizes.N1);
    }
    const csv = readFileSync(join(outDir, "empirical-curl-descent-3-c-alpha1.csv"), "utf8").split("\n");
    expect(csv[0]).toBe(
      "c,alpha1,M,N1,N2,P,Q,S,runs,failedRuns,meanTestError,log10MeanTestError,sdTestError,meanTrainError,meanQ,meanLyapunov",
    );
    const svg = readFileSync(join(outDir, "empirical-curl-descent-3-c-alpha1.svg"), "utf8");
    expect(svg).toContain("curl-descent-3: test error (15 epochs, 2 seeds)");
    expect(svg).not.toContain("analytic c*(α)");
    expect(existsSync(join(outDir, "empirical-curl-descent-3-c-alpha1.png"))).toBe(true);

    const layer = await run(["phase", "--empirical", dir, "--out", outDir, "--layer", "hidden"]);
    expect(layer.code).toBe(2);
    expect(layer.err).toMatch(
      /"layer" must be absent: this sweep has no analytic boundary, received "hidden" \(rule "curl-descent-3" is not seed 001/,
    );
    const other = await run(["phase", "curl-descent", "--empirical", dir, "--out", outDir]);
    expect(other.err).toMatch(/"rule" must be absent or the sweep's rule \(curl-descent-3\)/);
  }, 30_000);

  it("draws seed 001's boundary for the two-layer rule file over c and alphaH, and for both layers", async () => {
    const dir = join(tmp, "rule-hidden");
    await planRule(dir, "curl-descent", "c=0.25|4,alphaH=0|1", fromC(["N=T-M"]));
    const outDir = join(tmp, "rule-hidden-out");
    const r = await run(["phase", "--empirical", dir, "--out", outDir, "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      rule: "curl-descent",
      layer: "hidden",
      total: 12,
      x: "c",
      y: "alphaH",
    });
    const d = JSON.parse(readFileSync(join(outDir, "empirical-hidden.json"), "utf8"));
    const analytic = boundaryCurve("hidden", linSpace(0, 1, 101), d.boundary.cRange[0], d.boundary.cRange[1]);
    expect(d.boundary.points).toEqual(JSON.parse(JSON.stringify(analytic)));
    expect(readFileSync(join(outDir, "empirical-hidden.svg"), "utf8")).toContain("analytic c*(α)");
    const readout = await run(["phase", "--empirical", dir, "--out", outDir, "--layer", "readout"]);
    expect(readout.err).toMatch(
      /"layer" must be hidden \(the layer this sweep varies\) or absent, received "readout"/,
    );

    const both = join(tmp, "rule-both");
    await planRule(both, "curl-descent", "c=0.25|4,alphaH=0|1", [
      ...fromC(["N=T-M"]),
      "--derive",
      "alphaR=alphaH",
    ]);
    const rb = await run(["phase", "--empirical", both, "--out", outDir, "--json"]);
    expect(JSON.parse(rb.out).layer).toBe("both");
  }, 30_000);

  it("refuses sweeps it cannot draw, naming what is missing", async () => {
    const fixed = join(tmp, "rule-fixed-sizes");
    // Sizes that do not follow c (M one more than the split of M + N at c): the boundary would
    // be drawn where the runs are not.
    await planRule(fixed, "curl-descent", "c=0.25|4,alphaH=0|1", [
      "--set",
      "T=12",
      "--derive",
      "M=round(c*T/(1+c))+1",
      "--derive",
      "N=T-M",
    ]);
    const r1 = await run(["phase", "--empirical", fixed, "--out", join(tmp, "x")]);
    expect(r1.err).toMatch(
      /"sizes of task 0" must be M = round\(c \(M \+ N\) \/ \(1 \+ c\)\) at c = 0.25, M \+ N = 12.*received "M = 3"/,
    );

    const one = join(tmp, "rule-one-axis");
    await planRule(one, "curl-descent-3", "alpha1=0|0.5", ["--set", "M=3", "--set", "N1=3", "--set", "N2=3"]);
    const r2 = await run(["phase", "--empirical", one, "--out", join(tmp, "x")]);
    expect(r2.err).toMatch(/a sweep over two numeric grid axes.*received "grid axes alpha1 \(2 values\)"/);

    const deep = join(tmp, "rule-no-data");
    const p = await run([
      "sweep",
      "plan",
      "--rule",
      "urfb-deep-linear",
      "--grid",
      "epsilon=0|1,n1=3|4",
      "--set",
      "n0=2",
      "--set",
      "n2=3",
      "--set",
      "n3=2",
      "--set",
      "epochs=3",
      "--set",
      "lyapunov=0",
      "--seeds",
      "1",
      "--shards",
      "1",
      "--out",
      deep,
    ]);
    expect(p.code, p.err).toBe(0);
    expect((await run(["sweep", "run", deep, "--shard", "0"])).code).toBe(0);
    expect((await run(["sweep", "merge", deep])).code).toBe(0);
    const r3 = await run(["phase", "--empirical", deep, "--out", join(tmp, "x")]);
    expect(r3.err).toMatch(
      /runs of a rule with an error and a test set.*received "rule \\"urfb-deep-linear\\" without data"/,
    );
  }, 30_000);
});
