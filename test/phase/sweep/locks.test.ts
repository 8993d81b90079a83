import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  acquireShardLock,
  lockPath,
  PACKAGE_ROOT,
  parseGrid,
  planSweep,
  resultsDir,
  runShard,
  runSweep,
  SHARD_MAIN,
  ShardLockedError,
  sweepStatus,
  writePlan,
} from "../../../src/phase/sweep/index.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-locks-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Tasks of ~0.1 s (stiff van der Pol) so that processes overlap and can be stopped mid-way.
const slow = {
  task: "ode-final",
  grid: parseGrid("mu=2000|3000"),
  constants: { t1: 20 },
  seeds: 4,
  shards: 2,
};
const quick = { task: "ode-final", grid: parseGrid("mu=1"), constants: { t1: 1 }, seeds: 2, shards: 1 };
const resultCount = (dir: string) =>
  existsSync(resultsDir(dir)) ? readdirSync(resultsDir(dir)).filter((f) => f.startsWith("task-")).length : 0;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (what: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return what();
};
const writeLock = (dir: string, owner: object, ageMs = 0) => {
  mkdirSync(join(dir, "locks"), { recursive: true });
  writeFileSync(lockPath(dir, 0), JSON.stringify(owner));
  const t = new Date(Date.now() - ageMs);
  utimesSync(lockPath(dir, 0), t, t);
};

describe("the stale-lock rule", () => {
  it("a live holder on this host, or a fresh one on another host, keeps the shard; dead, reused or silent ones do not", async () => {
    const dir = join(tmp, "rule");
    writePlan(dir, planSweep(quick));
    const started = new Date().toISOString();
    // A live process on this host (this one) holds shard 0.
    writeLock(dir, { pid: process.pid, host: hostname(), started });
    await expect(runShard(dir, 0)).rejects.toThrow(
      new RegExp(`^shard 0 is being run by pid ${process.pid} on host ${hostname()} since ${started}`),
    );
    // Another host's holder with a heartbeat 1 min old: alive as far as we know.
    writeLock(dir, { pid: 1, host: "elsewhere", started }, 60_000);
    await expect(runShard(dir, 0, { staleMs: 120_000 })).rejects.toBeInstanceOf(ShardLockedError);
    expect(sweepStatus(dir).finished).toBe(0);
    // ... with no heartbeat for longer than staleMs: dead with its node, taken over.
    writeLock(dir, { pid: 1, host: "elsewhere", started }, 180_000);
    expect((await runShard(dir, 0, { staleMs: 120_000 })).ran).toBe(2);
    expect(existsSync(lockPath(dir, 0))).toBe(false); // released at the end
    // A holder on this host whose pid is not alive: taken over at once.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeLock(dir, { pid: dead, host: hostname(), started });
    const lock = acquireShardLock(dir, 0);
    expect(JSON.parse(readFileSync(lockPath(dir, 0), "utf8")).pid).toBe(process.pid);
    lock.release();
    // A pid alive but reused by another program (not node): the holder is gone.
    const sleeper = spawn("sleep", ["30"]);
    try {
      writeLock(dir, { pid: sleeper.pid, host: hostname(), started });
      acquireShardLock(dir, 0).release();
    } finally {
      sleeper.kill();
    }
    // A lock file that cannot be read (a crash while it was made) is stale too.
    writeFileSync(lockPath(dir, 0), "");
    acquireShardLock(dir, 0).release();
    expect(existsSync(lockPath(dir, 0))).toBe(false);
  });
});

describe("two runners on one directory", () => {
  it("run every task once: a shard locked by one is left to it by the other", async () => {
    const dir = join(tmp, "two");
    const plan = planSweep(slow);
    writePlan(dir, plan);
    const [a, b] = await Promise.all([runSweep(dir, { workers: 2 }), runSweep(dir, { workers: 2 })]);
    const runs = [...a.processes, ...b.processes];
    expect(runs.reduce((n, p) => n + p.tasks, 0)).toBe(plan.tasks.length);
    for (const p of runs) {
      if (p.exitCode === 3) expect(p.stderr).toMatch(`shard ${p.shard} is being run by pid`);
      else expect(p.exitCode).toBe(0);
    }
    expect(sweepStatus(dir).missing).toBe(0);
  });
});

describe("killing the runner", () => {
  it("kills its shard processes too (even with SIGKILL), and a resumed runner finishes the sweep", async () => {
    const dir = join(tmp, "killed-runner");
    const plan = planSweep(slow);
    writePlan(dir, plan);
    const runner = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { runSweep } from ${JSON.stringify(join(PACKAGE_ROOT, "src/phase/sweep/run-sweep.ts"))};
         await runSweep(${JSON.stringify(dir)}, { workers: 2 });`,
      ],
      { cwd: PACKAGE_ROOT, stdio: "ignore" },
    );
    const exited = new Promise<void>((done) => runner.on("exit", () => done()));
    expect(await until(() => resultCount(dir) >= 2)).toBe(true);
    const shardPids = [0, 1]
      .filter((s) => existsSync(lockPath(dir, s)))
      .map((s) => JSON.parse(readFileSync(lockPath(dir, s), "utf8")).pid as number);
    expect(shardPids.length).toBeGreaterThan(0);
    runner.kill("SIGKILL");
    await exited;
    // Each shard process notices within its 200 ms poll, removes its lock and dies.
    expect(await until(() => shardPids.every((pid) => !alive(pid)), 10_000)).toBe(true);
    expect([0, 1].filter((s) => existsSync(lockPath(dir, s)))).toEqual([]);
    const left = resultCount(dir);
    expect(left).toBeLessThan(plan.tasks.length);
    const resumed = await runSweep(dir, { workers: 2 });
    expect(resumed.processes.every((p) => p.exitCode === 0)).toBe(true);
    expect(resumed.ran).toBe(plan.tasks.length - left);
  });
});

describe("SIGTERM (a Slurm time limit, scancel)", () => {
  it("stops a shard process at once with its results saved and its lock released (exit 143)", async () => {
    const dir = join(tmp, "sigterm");
    const plan = planSweep(slow);
    writePlan(dir, plan);
    const child = spawn(process.execPath, ["--import", "tsx", SHARD_MAIN, dir, "0"], {
      cwd: PACKAGE_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    expect(await until(() => resultCount(dir) >= 2)).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(stdout).toContain('{"event":"stopped","shard":0,"signal":"SIGTERM"}');
    expect(existsSync(lockPath(dir, 0))).toBe(false);
    const s = sweepStatus(dir);
    expect(s.finished).toBeGreaterThanOrEqual(2);
    expect(s.finished).toBeLessThan(plan.tasks.length / 2); // stopped mid-way
    expect(s.invalid).toEqual({});
  });
});
