/**
 * The three-layer curl descent, written only as a rule file (rules/curl-descent-3.rule), through
 * `simulate`, a sweep (plan, run, merge) and `phase --empirical` on cpu, cpu-wasm and webgpu,
 * with the same results: cpu-wasm runs the generated WebAssembly, equal to the CPU interpreter bit
 * for bit; webgpu the generated WGSL in float32, within the tolerance derived for compiled rules in
 * test/backend/webgpu-network.test.ts (per step a chain of at most 75 float32 roundings, 45 for an
 * error program, an amplification below 2): here 6 full-batch steps, so 2 (6 x 75 + 45) 2^-24.
 * Without a WebGPU adapter the webgpu part is skipped, unless LEARNDYN_REQUIRE_GPU=1 (CI).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { webgpuBackend } from "../../src/backend/webgpu/webgpu-backend.ts";
import { main } from "../../src/cli/main.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const float32 = 2 * (6 * 75 + 45) * 2 ** -24;
const required = process.env.LEARNDYN_REQUIRE_GPU === "1";
const gpu = await webgpuBackend().then(
  (be) => {
    be.destroy();
    return true;
  },
  (e: Error) => {
    if (required) throw e;
    console.warn(`three-layer webgpu comparison skipped: ${e.message}`);
    return false;
  },
);
const backends = ["cpu", "cpu-wasm", ...(gpu ? ["webgpu"] : [])];

function agree(actual: number[], expected: number[], backend: string, what: string) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, k) => {
    if (backend === "webgpu")
      expect(Math.abs(a - expected[k]!), `${what}[${k}]`).toBeLessThanOrEqual(
        float32 * Math.max(1, Math.abs(expected[k]!)),
      );
    else expect(a, `${what}[${k}] (bit for bit)`).toBe(expected[k]);
  });
}

describe("curl-descent-3 on cpu, cpu-wasm and webgpu", () => {
  const tmp = mkdtempSync(join(tmpdir(), "learndyn-three-layer-"));

  it("simulates with the same errors on every backend", async () => {
    const results = new Map<string, { trainError: number[]; testError: number[] }[]>();
    for (const backend of backends) {
      const r = await run([
        "simulate",
        "curl-descent-3",
        "--set",
        "M=6",
        "--set",
        "N1=4",
        "--set",
        "N2=4",
        "--set",
        "P=12",
        "--set",
        "Q=5",
        "--set",
        "alpha1=0.5",
        "--set",
        "alpha2=0.25",
        "--epochs",
        "6",
        "--seeds",
        "2",
        "--no-lyapunov",
        "--backend",
        backend,
        "--json",
      ]);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.backend).toBe(backend);
      expect(j.engine).toBe("compiled");
      results.set(backend, j.runs);
    }
    const cpu = results.get("cpu")!;
    for (const backend of backends.slice(1)) {
      results.get(backend)!.forEach((runResult, k) => {
        agree(runResult.trainError, cpu[k]!.trainError, backend, `${backend} run ${k} train error`);
        agree(runResult.testError, cpu[k]!.testError, backend, `${backend} run ${k} test error`);
      });
    }
  }, 120_000);

  it("sweeps and draws the empirical diagram with the same cells on every backend", async () => {
    const cells = new Map<string, { x: number; y: number; meanTestError: number }[]>();
    for (const backend of backends) {
      const dir = join(tmp, `sweep-${backend}`);
      const plan = await run([
        "sweep",
        "plan",
        "--task",
        "network-rule",
        "--rule",
        "curl-descent-3",
        "--grid",
        "c=0.5|2,alpha1=0|0.5",
        "--set",
        "T=12",
        "--derive",
        "M=round(c*T/(1+c))",
        "--derive",
        "N1=T-M",
        "--derive",
        "N2=N1",
        "--set",
        "P=12",
        "--set",
        "Q=5",
        "--set",
        "epochs=6",
        "--set",
        "lyapunov=0",
        "--seeds",
        "2",
        "--shards",
        "1",
        "--out",
        dir,
      ]);
      expect(plan.code, plan.err).toBe(0);
      const ran = await run(["sweep", "run", dir, "--shard", "0", "--backend", backend]);
      expect(ran.code, ran.err).toBe(0);
      expect((await run(["sweep", "merge", dir])).code).toBe(0);
      const out = join(tmp, `diagram-${backend}`);
      const d = await run(["phase", "curl-descent-3", "--empirical", dir, "--out", out, "--json"]);
      expect(d.code, d.err).toBe(0);
      expect(JSON.parse(d.out).backends).toEqual({ [backend]: 8 });
      cells.set(
        backend,
        JSON.parse(readFileSync(join(out, "empirical-curl-descent-3-c-alpha1.json"), "utf8")).cells,
      );
    }
    const cpu = cells.get("cpu")!;
    for (const backend of backends.slice(1)) {
      agree(
        cells.get(backend)!.map((c) => c.meanTestError),
        cpu.map((c) => c.meanTestError),
        backend,
        `${backend} cells`,
      );
    }
  }, 240_000);
});
