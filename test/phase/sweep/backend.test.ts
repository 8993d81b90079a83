/**
 * Sweeps on a chosen backend: each result records the backend that produced it, a lost GPU
 * device makes the shard go on on the CPU (the lost batch rerun from its start), and task kinds
 * that do no tensor work refuse any backend but the CPU. The GPU part runs where Dawn finds an
 * adapter (llvmpipe without a GPU) and is skipped otherwise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { StudentTeacherBatch } from "../../../src/backend/backend.ts";
import { CpuBackend } from "../../../src/backend/cpu.ts";
import { DeviceLostError } from "../../../src/backend/webgpu/errors.ts";
import { webgpuBackend } from "../../../src/backend/webgpu/webgpu-backend.ts";
import { main } from "../../../src/cli/main.ts";
import {
  mergeSweep,
  parseGrid,
  planSweep,
  runShard,
  runSweep,
  sbatchScript,
  writePlan,
} from "../../../src/phase/sweep/index.ts";
import { chooseSweepBackend } from "../../../src/phase/sweep/sweep-backend.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-sweep-backend-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec = {
  task: "student-teacher",
  grid: parseGrid("c=0.5|2,alphaH=0|0.5"),
  constants: { total: 10, epochs: 8, trainCount: 20, testCount: 10, batchSize: 5, lyapunov: 0 },
  seeds: 2,
  shards: 1,
};

function plannedDir(name: string): string {
  const dir = join(tmp, name);
  writePlan(dir, planSweep(spec));
  return dir;
}

/** A backend whose device is already lost: every batch it is given fails as a lost WebGPU device does. */
class LostDeviceBackend extends CpuBackend {
  override readonly name: string = "webgpu";
  override studentTeacher(): StudentTeacherBatch {
    throw new DeviceLostError(
      "LostDeviceBackend.studentTeacher",
      "destroyed",
      "lost before the shard started",
    );
  }
}

describe("student-teacher sweeps on a backend", () => {
  it("choose it with auto by default on the first batch of tasks, and record the choice", async () => {
    const dir = plannedDir("auto");
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await main(["sweep", "run", dir, "--shard", "0", "--json"], io)).toBe(0);
    // The tests restrict auto to the cpu backend (vitest.config.ts).
    const r = JSON.parse(out.join(""));
    expect(r.backendChoice).toMatchObject({ requested: "auto", chosen: "cpu" });
    expect(err).toContain(r.backendChoice.summary);
    expect(r.shards[0].ran).toBe(8);
    expect(mergeSweep(dir).rows.every((row) => row.values.backend === "cpu")).toBe(true);
    // The calibration's workload: the shard's first batch (8 tasks, no Lyapunov twins).
    const wrong = { name: "wrong", make: () => new LostDeviceBackend() };
    const { choice } = await chooseSweepBackend("test", dir, "auto", 0, {
      candidates: [wrong, { name: "cpu", make: () => new CpuBackend() }],
      cacheDir: null,
    });
    expect(choice!.chosen).toBe("cpu");
    expect(choice!.candidates[0]).toMatchObject({ name: "wrong", status: "fails-conformance" });
  });

  it("record the backend of each result (cpu by default)", async () => {
    const dir = plannedDir("cpu");
    await runShard(dir, 0);
    const rows = mergeSweep(dir).rows;
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.status === "ok" && r.values.backend === "cpu")).toBe(true);
  });

  it("go on on the CPU after a lost device, with the CPU's results, reporting the loss once", async () => {
    const dir = plannedDir("lost");
    const losses: DeviceLostError[] = [];
    await runShard(dir, 0, { backend: new LostDeviceBackend(), onFallback: (e) => losses.push(e) });
    expect(losses).toHaveLength(1);
    expect(losses[0]!.message).toMatch(/device was lost.*resume on --backend cpu/);
    const cpuDir = plannedDir("cpu-reference");
    await runShard(cpuDir, 0);
    const rows = mergeSweep(dir).rows;
    expect(rows.every((r) => r.values.backend === "cpu")).toBe(true);
    expect(rows).toEqual(mergeSweep(cpuDir).rows);
  });

  it("pass the backend to every Slurm array task", () => {
    const dir = plannedDir("sbatch");
    expect(sbatchScript(dir, { backend: "webgpu" })).toMatch(
      /shard-main\.ts' '[^']*' "\$SLURM_ARRAY_TASK_ID" 'webgpu'\n/,
    );
    expect(sbatchScript(dir)).toMatch(/"\$SLURM_ARRAY_TASK_ID" 'auto'\n/);
    expect(() => sbatchScript(dir, { backend: "web gpu; rm" })).toThrow(/backend/);
  });

  it("refuse a non-CPU backend for a task kind that does no tensor work", async () => {
    const dir = join(tmp, "ode");
    writePlan(dir, planSweep({ task: "ode-final", grid: parseGrid("mu=1"), seeds: 1, shards: 1 }));
    await expect(runShard(dir, 0, { backend: new LostDeviceBackend() })).rejects.toThrow(
      /runShard: argument "backend" must be cpu \(task "ode-final" does not run on a tensor backend\), received "webgpu"/,
    );
    // Refused where the shards are scripted or started, not once per shard process.
    expect(() => sbatchScript(dir, { backend: "webgpu" })).toThrow(
      /sbatchScript: argument "backend" must be cpu \(task "ode-final"/,
    );
    await expect(runSweep(dir, { backend: "webgpu", workers: 1 })).rejects.toThrow(
      /runSweep: argument "backend" must be cpu \(task "ode-final"/,
    );
  });

  it("refuse an unknown backend name in the Slurm script instead of failing on every array task", () => {
    expect(() => sbatchScript(plannedDir("sbatch-unknown"), { backend: "gpu" })).toThrow(
      /sbatchScript: argument "backend" must be one of auto, cpu, cpu-wasm, cpu-native, cpu-threads, webgpu, received "gpu"/,
    );
  });
});

const gpu = await webgpuBackend().then(
  (be) => be,
  (error: Error) => {
    console.warn(`webgpu sweep tests skipped: ${error.message}`);
    return undefined;
  },
);

describe.skipIf(gpu === undefined)("student-teacher sweeps with --backend webgpu", () => {
  afterAll(() => gpu?.destroy());

  it("run on the GPU and say so in every result; a destroyed device resumes on the CPU", async () => {
    const dir = plannedDir("webgpu");
    const r = await main(["sweep", "run", dir, "--shard", "0", "--backend", "webgpu"], {
      out: () => {},
      err: (t) => expect.fail(t),
    });
    expect(r).toBe(0);
    const rows = mergeSweep(dir).rows;
    expect(rows.every((row) => row.status === "ok" && row.values.backend === "webgpu")).toBe(true);

    const lostDir = plannedDir("webgpu-lost");
    gpu!.destroy();
    const losses: DeviceLostError[] = [];
    await runShard(lostDir, 0, { backend: gpu!, onFallback: (e) => losses.push(e) });
    expect(losses).toHaveLength(1);
    const cpuDir = plannedDir("webgpu-cpu-reference");
    await runShard(cpuDir, 0);
    expect(mergeSweep(lostDir).rows).toEqual(mergeSweep(cpuDir).rows);
  });
});
