import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.ts";
import {
  mergedCsvPath,
  mergeSweep,
  parseGrid,
  planSweep,
  readResult,
  runShard,
  sweepStatus,
  sweepTasks,
  writePlan,
} from "../../../src/phase/sweep/index.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-run-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the ode-final task", () => {
  it("is deterministic in (params, seed) and lands on the van der Pol limit cycle", async () => {
    const task = sweepTasks["ode-final"]!;
    const a = await task.run({ mu: 1, t1: 40 }, 7);
    expect(await task.run({ mu: 1, t1: 40 }, 7)).toEqual(a);
    expect(a.status).toBe("ok");
    // The limit cycle of mu = 1 has amplitude 2.0086 (max |x|) and the start is O(1), so the
    // orbit reaches it within a period; sampling every 0.2 misses the peak by at most
    // |x''| dt²/8 ≈ 2·0.04/8 = 0.01.
    expect(a.values!.amplitude as number).toBeGreaterThan(1.99);
    expect(a.values!.amplitude as number).toBeLessThan(2.02);
  });

  it("refuses a name where it needs a number (recorded as a failed task by the runner)", () => {
    expect(() => sweepTasks["ode-final"]!.run({ mu: "tanh" }, 1)).toThrow(
      /ode-final: argument "mu" must be a finite number, received "tanh"/,
    );
  });

  it("reports a stiff run that exceeds its step bound as failed, with where it stopped", async () => {
    const r = await sweepTasks["ode-final"]!.run({ mu: 1000, maxSteps: 500 }, 1);
    expect(r.status).toBe("failed");
    if (r.status !== "failed") return;
    expect(r.reason).toMatch(/^max-steps/);
    expect(r.where.step).toBe(500);
    expect(r.where.t as number).toBeGreaterThan(0);
    expect(r.where.t as number).toBeLessThan(20);
  });
});

describe("task kinds that run several tasks at once", () => {
  it("get the unfinished tasks of a shard in batches growing 1, 2, 4, ... up to batchSize, in order", async () => {
    const calls: number[][] = [];
    const square = (params: Record<string, unknown>, seed: number) => ({
      status: "ok" as const,
      values: { y: (params.x as number) ** 2 + seed },
    });
    sweepTasks["test-batch"] = {
      name: "test-batch",
      description: "x² + seed, batched",
      parameters: [{ name: "x", description: "a number", required: true }],
      run: square,
      runBatch: (items) => {
        calls.push(items.map((it) => it.params.x as number));
        return items.map((it) => square(it.params, it.seed));
      },
      batchSize: 3,
    };
    try {
      const dir = join(tmp, "batched");
      const plan = planSweep({ task: "test-batch", grid: parseGrid("x=1|2|3|4|5|6|7"), seeds: 1, shards: 1 });
      writePlan(dir, plan);
      expect(await runShard(dir, 0)).toEqual({ shard: 0, ran: 7, skipped: 0, failed: 0 });
      // Growing batches: the first result is saved after one task, so a run stopped at any time
      // (a time limit shorter than a full batch) has saved results.
      expect(calls).toEqual([[1], [2, 3], [4, 5, 6], [7]]);
      expect(mergeSweep(dir).rows.map((r) => r.values.y)).toEqual([1, 4, 9, 16, 25, 36, 49]);
    } finally {
      delete sweepTasks["test-batch"];
    }
  });

  it("a batch that throws or returns the wrong count fails each of its tasks, and the shard goes on", async () => {
    sweepTasks["test-bad-batch"] = {
      name: "test-bad-batch",
      description: "drops one outcome when x = 1 is in the batch",
      parameters: [{ name: "x", description: "a number", required: true }],
      run: () => ({ status: "ok", values: {} }),
      runBatch: (items) =>
        items.some((it) => it.params.x === 1)
          ? items.slice(1).map(() => ({ status: "ok" as const, values: {} }))
          : items.map(() => ({ status: "ok" as const, values: {} })),
      batchSize: 2,
    };
    try {
      const dir = join(tmp, "bad-batch");
      writePlan(
        dir,
        planSweep({ task: "test-bad-batch", grid: parseGrid("x=1|2|3|4"), seeds: 1, shards: 1 }),
      );
      // Batches [x=1], [2, 3], [4]: the first returns no outcome for its one task.
      expect(await runShard(dir, 0)).toEqual({ shard: 0, ran: 4, skipped: 0, failed: 1 });
      const merged = mergeSweep(dir);
      expect(merged.rows[0]!.reason).toBe("Error: runBatch returned 0 outcomes for 1 tasks");
      expect(merged.rows[0]!.where).toEqual({ task: 0, stage: "runBatch" });
      expect(merged.rows.slice(1).map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    } finally {
      delete sweepTasks["test-bad-batch"];
    }
  });
});

describe("a batch that throws", () => {
  it("is run again task by task, so one bad task does not fail the others", async () => {
    const square = (params: Record<string, unknown>) => {
      if (params.x === 2) throw new Error("x = 2 is refused");
      return { status: "ok" as const, values: { y: (params.x as number) ** 2 } };
    };
    sweepTasks["test-throwing-batch"] = {
      name: "test-throwing-batch",
      description: "x², refusing x = 2 (the whole batch throws)",
      parameters: [{ name: "x", description: "a number", required: true }],
      run: square,
      runBatch: (items) => items.map((it) => square(it.params)),
      batchSize: 3,
    };
    try {
      const dir = join(tmp, "throwing-batch");
      writePlan(
        dir,
        planSweep({ task: "test-throwing-batch", grid: parseGrid("x=1|2|3|4"), seeds: 1, shards: 1 }),
      );
      expect(await runShard(dir, 0)).toEqual({ shard: 0, ran: 4, skipped: 0, failed: 1 });
      const rows = mergeSweep(dir).rows;
      expect(rows.map((r) => r.values.y ?? null)).toEqual([1, null, 9, 16]);
      expect(rows[1]!.reason).toBe("Error: x = 2 is refused");
      expect(rows[1]!.where).toEqual({ task: 1, stage: "run" });
    } finally {
      delete sweepTasks["test-throwing-batch"];
    }
  });
});

describe("runShard and merge (in process)", () => {
  const dir = join(tmp, "sweep");
  // mu = -1 makes the task throw (a refused parameter): recorded as a failed task, not a crash.
  const plan = planSweep({
    task: "ode-final",
    grid: parseGrid("mu=-1|0.5|1000"),
    constants: { t1: 5, maxSteps: 300 },
    seeds: 2,
    shards: 2,
  });
  writePlan(dir, plan);

  it("runs every task of a shard, records failures per task, and skips finished ones", async () => {
    const first = await runShard(dir, 0);
    expect(first).toEqual({ shard: 0, ran: 3, skipped: 0, failed: 2 });
    const again = await runShard(dir, 0);
    expect(again).toEqual({ shard: 0, ran: 0, skipped: 3, failed: 0 });
    const thrown = readResult(dir, plan, 0)!;
    expect(thrown.status).toBe("failed");
    if (thrown.status === "failed") {
      expect(thrown.reason).toMatch(/InvalidArgumentError: ode-final: argument "mu" must be a number >= 0/);
      expect(thrown.where).toEqual({ task: 0, stage: "run" });
    }
    expect(sweepStatus(dir).unfinished).toEqual({ 1: [1, 3, 5] });
  });

  it("merges into JSON and CSV; missing tasks are listed until the sweep is complete", async () => {
    const partial = mergeSweep(dir);
    expect(partial.complete).toBe(false);
    expect(partial.missing).toEqual([1, 3, 5]);
    await runShard(dir, 1);
    const merged = mergeSweep(dir);
    expect(merged.complete).toBe(true);
    expect(merged.counts).toEqual({ tasks: 6, ok: 2, failed: 4, missing: 0 });
    expect(merged.rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5]);
    const csv = readFileSync(mergedCsvPath(dir), "utf8").trim().split("\n");
    expect(csv).toHaveLength(7);
    expect(csv[0]).toBe(
      "id,seed,t1,maxSteps,mu,status,value.accepted,value.amplitude,value.evaluations,value.rejected,value.v,value.v0,value.x,value.x0,reason,where",
    );
    expect(csv[3]).toMatch(/^2,0,5,300,0.5,ok,/);
  });

  it("the CLI plans, runs one shard in process, reports status and merges", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    const cliDir = join(tmp, "cli");
    const planArgs = ["sweep", "plan", "--task", "ode-final", "--grid", "c=1|3", "--set", "t1=2"];
    const rest = ["--derive", "mu=c/(1+c)", "--seeds", "2", "--shards", "2", "--out", cliDir];
    expect(await main([...planArgs, ...rest], io)).toBe(0);
    expect(out.pop()).toMatch(/^planned 4 ode-final tasks in 2 shards/);
    expect(await main(["sweep", "run", cliDir, "--shard", "1"], io)).toBe(0);
    expect(out.pop()).toBe("shard 1: ran 2 (0 failed), skipped 0 finished");
    // Tasks missing: status says so with a nonzero exit code, and with the command that runs them.
    expect(await main(["sweep", "status", cliDir], io)).toBe(1);
    expect(out.slice(-2)).toEqual([
      "2/4 tasks finished (0 failed), 2 missing in shards 0",
      `to run the rest: learndyn sweep run ${cliDir}`,
    ]);
    expect(await main(["sweep", "merge", cliDir], io)).toBe(1);
    expect(err.pop()).toBe(`2 tasks unfinished; to finish them: learndyn sweep run ${cliDir}`);
    expect(await main(["sweep", "run", cliDir, "--shard", "0", "--json"], io)).toBe(0);
    expect(await main(["sweep", "merge", cliDir, "--json"], io)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ tasks: 4, ok: 4, failed: 0, complete: true });
    expect(await main(["sweep", "status", cliDir], io)).toBe(0);
    expect(out.pop()).toBe("4/4 tasks finished (0 failed), 0 missing");
  });

  it("the CLI refuses a bad subcommand, a missing directory and a bad grid", async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => err.push(s) };
    expect(await main(["sweep", "frob"], io)).toBe(2);
    expect(err.pop()).toMatch(/subcommand" must be one of plan, run, merge, sbatch, status, tasks/);
    expect(await main(["sweep", "merge", join(tmp, "none")], io)).toBe(2);
    expect(err.pop()).toMatch(/loadPlan: argument "dir" must be a sweep directory/);
    expect(
      await main(
        [
          "sweep",
          "plan",
          "--task",
          "ode-final",
          "--grid",
          "mu=0:1",
          "--seeds",
          "1",
          "--shards",
          "1",
          "--out",
          join(tmp, "x"),
        ],
        io,
      ),
    ).toBe(2);
    expect(err.pop()).toMatch(/"grid axis mu" must be lo:hi:count/);
  });
});
