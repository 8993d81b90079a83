import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.ts";
import {
  mergeSweep,
  PACKAGE_ROOT,
  parseGrid,
  planPath,
  planSweep,
  readResult,
  resultPath,
  runShard,
  shardPath,
  sweepStatus,
  writePlan,
} from "../../../src/phase/sweep/index.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-files-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec = { task: "ode-final", grid: parseGrid("mu=0.5|1"), constants: { t1: 2 }, seeds: 3, shards: 2 };
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
};

describe("result files are validated when read", () => {
  it("a result that is valid JSON but incomplete is not finished: status counts it missing, the runner redoes it", async () => {
    const dir = join(tmp, "incomplete");
    const plan = planSweep(spec);
    writePlan(dir, plan);
    await runShard(dir, 1);
    const complete = readFileSync(resultPath(dir, 5), "utf8");
    writeFileSync(resultPath(dir, 5), JSON.stringify({ planHash: plan.hash, id: 5 }));
    writeFileSync(resultPath(dir, 3), JSON.stringify({ ...JSON.parse(complete), id: 3, seed: 99 }));
    expect(readResult(dir, plan, 5)).toBeNull();
    const s = sweepStatus(dir);
    expect(s.finished).toBe(1);
    expect(s.invalid).toEqual({ 3: "seed is 99, the plan's is 0", 5: "seed is undefined, the plan's is 2" });
    const m = mergeSweep(dir);
    expect(m.rows.map((r) => r.id)).toEqual([1]);
    expect(m.missing).toEqual([0, 2, 3, 4, 5]);
    const { err, io } = capture();
    expect(await main(["sweep", "status", dir], io)).toBe(1);
    expect(err).toContain(
      `task 5: ${resultPath(dir, 5)} is not a complete result (seed is undefined, the plan's is 2); it will run again`,
    );
    expect(await runShard(dir, 1)).toEqual({ shard: 1, ran: 2, skipped: 1, failed: 0 });
    const { elapsedMs: _a, ...again } = JSON.parse(readFileSync(resultPath(dir, 5), "utf8"));
    const { elapsedMs: _b, ...before } = JSON.parse(complete);
    expect(again).toEqual(before);
  });

  it("a result with the wrong id says so, instead of naming the plan hash twice", () => {
    const dir = join(tmp, "wrong-id");
    const plan = planSweep(spec);
    writePlan(dir, plan);
    mkdirSync(join(dir, "results"), { recursive: true });
    writeFileSync(resultPath(dir, 2), JSON.stringify({ planHash: plan.hash, id: 4, seed: 2, params: {} }));
    expect(sweepStatus(dir).invalid).toEqual({ 2: "its id is 4, not 2" });
  });
});

describe("shard files are derived from the plan", () => {
  it("a deleted or emptied shard file does not block the sweep, and planning again restores it", async () => {
    const dir = join(tmp, "shards");
    const plan = planSweep(spec);
    writePlan(dir, plan);
    const original = readFileSync(shardPath(dir, 0), "utf8");
    rmSync(shardPath(dir, 0));
    writeFileSync(shardPath(dir, 1), "");
    expect(await runShard(dir, 0)).toEqual({ shard: 0, ran: 3, skipped: 0, failed: 0 });
    expect(readFileSync(shardPath(dir, 0), "utf8")).toBe(original);
    writeFileSync(shardPath(dir, 1), "{not json");
    writePlan(dir, planSweep(spec));
    expect(JSON.parse(readFileSync(shardPath(dir, 1), "utf8")).tasks).toEqual([1, 3, 5]);
  });
});

describe("damaged or unwritable sweep directories get clear errors", () => {
  it("a plan.json that is not JSON, or not a plan", async () => {
    const dir = join(tmp, "bad-plan");
    writePlan(dir, planSweep(spec));
    writeFileSync(planPath(dir), "{ this is not json");
    const { err, io } = capture();
    for (const sub of ["status", "merge", "run"]) {
      expect(await main(["sweep", sub, dir], io)).toBe(2);
      expect(err.pop()).toMatch(
        new RegExp(
          `^learndyn sweep: loadPlan: ${planPath(dir)} is not valid JSON .*, not a sweep plan; plan the sweep again`,
        ),
      );
    }
    writeFileSync(planPath(dir), "[1, 2]");
    expect(await main(["sweep", "status", dir], io)).toBe(2);
    expect(err.pop()).toMatch(
      /argument "plan.json" must be a sweep plan of format learndyn-sweep-plan\/1, received \[1,2\]/,
    );
  });

  it("a read-only directory: run, merge and sbatch exit 2 with the path and the reason, no stack trace", () => {
    const dir = join(tmp, "read-only");
    writePlan(dir, planSweep(spec));
    // Root writes anywhere, so as root the CLI runs as user nobody on the directory root owns.
    const asRoot = process.getuid?.() === 0;
    chmodSync(tmp, 0o755);
    chmodSync(dir, 0o555);
    try {
      // One process runs the three commands (a CLI start costs seconds on a loaded machine).
      const script = `
        import { main } from ${JSON.stringify(join(PACKAGE_ROOT, "src/cli/main.ts"))};
        for (const args of [["run", ${JSON.stringify(dir)}, "--shard", "0"], ["merge", ${JSON.stringify(dir)}], ["sbatch", ${JSON.stringify(dir)}]]) {
          const code = await main(["sweep", ...args], { out: () => {}, err: (s) => console.log(JSON.stringify({ code: null, s })) });
          console.log(JSON.stringify({ code }));
        }`;
      const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: PACKAGE_ROOT,
        encoding: "utf8",
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      expect(r.stderr).toBe(""); // no stack trace
      const lines = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { code: number | null; s?: string });
      const cannot = (fn: string, what: string, path: string) =>
        `learndyn sweep: ${fn}: cannot ${what} ${path} (EACCES: permission denied)`;
      expect(lines).toEqual([
        // sweep run (default --backend auto) says what it chose before the shard fails
        { code: null, s: "backend auto -> cpu (no simulation to calibrate on)" },
        { code: null, s: cannot("acquireShardLock", "create the lock folder", join(dir, "locks")) },
        { code: 2 },
        { code: null, s: cannot("mergeSweep", "write", join(dir, "merged.json")) },
        { code: 2 },
        { code: null, s: cannot("writeSbatch", "write", join(dir, "sweep.sbatch")) },
        { code: 2 },
      ]);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
