import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  mergedCsvPath,
  mergedJsonPath,
  mergeSweep,
  parseGrid,
  planSweep,
  resultsDir,
  resumeCommand,
  runSweep,
  SHARD_MAIN,
  sbatchScript,
  shardPath,
  sweepStatus,
  writePlan,
  writeSbatch,
} from "../../../src/phase/sweep/index.ts";
import { PACKAGE_ROOT } from "../../../src/util/package-root.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-resume-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Tasks of ~0.1 s (stiff van der Pol, ~50k steps) so a shard can be killed mid-way, and cheap
// failing ones (step bound 2000) so failures are part of what must survive the kill.
const spec = {
  task: "ode-final",
  grid: parseGrid("mu=2000|3000,maxSteps=1000000|2000"),
  constants: { t1: 20 },
  seeds: 4,
  shards: 2,
};

const resultFiles = (dir: string) =>
  existsSync(resultsDir(dir)) ? readdirSync(resultsDir(dir)).filter((f) => f.startsWith("task-")) : [];

describe("a killed sweep resumes without redoing finished tasks", () => {
  it("kill a shard process mid-way, resume, and merge to the same result as an uninterrupted run", async () => {
    const killed = join(tmp, "killed");
    const plan = planSweep(spec);
    writePlan(killed, plan);

    // Run shard 0 as its own process and kill it (SIGKILL: no cleanup) after three results.
    const child = spawn(process.execPath, ["--import", "tsx", SHARD_MAIN, killed, "0"], {
      cwd: PACKAGE_ROOT,
      stdio: "ignore",
    });
    const exited = new Promise<void>((done) => child.on("exit", () => done()));
    const deadline = Date.now() + 30_000;
    while (resultFiles(killed).length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await exited;

    const before = new Map(
      resultFiles(killed).map((f) => {
        const path = join(resultsDir(killed), f);
        return [f, { text: readFileSync(path, "utf8"), mtime: statSync(path).mtimeMs }];
      }),
    );
    const shard0 = plan.tasks.filter((t) => t.shard === 0).length;
    expect(before.size).toBeGreaterThanOrEqual(3);
    expect(before.size).toBeLessThan(shard0); // it really was killed mid-way
    expect(sweepStatus(killed).finished).toBe(before.size);

    const resumed = await runSweep(killed, { workers: 2 });
    expect(resumed.finishedBefore).toBe(before.size);
    expect(resumed.ran).toBe(plan.tasks.length - before.size);
    expect(resumed.missing).toBe(0);
    expect(resumed.processes.map((p) => [p.shard, p.exitCode])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    // Finished tasks were not redone: same bytes, same modification time, same process id.
    for (const [f, { text, mtime }] of before) {
      const path = join(resultsDir(killed), f);
      expect(readFileSync(path, "utf8")).toBe(text);
      expect(statSync(path).mtimeMs).toBe(mtime);
    }

    const clean = join(tmp, "clean");
    writePlan(clean, planSweep(spec));
    const drawn: string[] = [];
    const stream = { write: (s: string) => drawn.push(s) > 0, isTTY: false } as unknown as NodeJS.WriteStream;
    const straight = await runSweep(clean, { workers: 2, progress: { enabled: true, stream } });
    expect(straight.ran).toBe(plan.tasks.length);
    // The bar counted every task reported by the shard processes, with a rate and an ETA.
    expect(drawn.at(-1)).toMatch(/sweep ode-final \[#{24}\] 16\/16 [0-9.]+\/s ETA/);

    const a = mergeSweep(killed);
    const b = mergeSweep(clean);
    expect(a.counts).toEqual({ tasks: 16, ok: 8, failed: 8, missing: 0 });
    expect(readFileSync(mergedJsonPath(killed), "utf8")).toBe(readFileSync(mergedJsonPath(clean), "utf8"));
    expect(readFileSync(mergedCsvPath(killed), "utf8")).toBe(readFileSync(mergedCsvPath(clean), "utf8"));
    expect(a.rows).toEqual(b.rows);
  });
});

describe("a shard process that refuses its input", () => {
  it("is reported with its exit code and message while the other shards finish", async () => {
    const dir = join(tmp, "foreign-shard");
    writePlan(
      dir,
      planSweep({ task: "ode-final", grid: parseGrid("mu=1"), constants: { t1: 1 }, seeds: 4, shards: 2 }),
    );
    writeFileSync(shardPath(dir, 1), JSON.stringify({ planHash: "0".repeat(64), shard: 1, tasks: [1, 3] }));
    const summary = await runSweep(dir, { workers: 2 });
    expect(summary.processes.map((p) => [p.shard, p.exitCode])).toEqual([
      [0, 0],
      [1, 2],
    ]);
    expect(summary.processes[1]!.stderr).toMatch(/shard 1: shardTasks: .* belongs to another plan/);
    expect(summary.ran).toBe(2);
    expect(summary.missing).toBe(2);
  });
});

describe("Slurm job array", () => {
  it("writes one array task per shard, and the script runs a shard when Slurm sets the index", () => {
    // A path with a space and a percent sign: quoted, with % written %% in the #SBATCH lines.
    const dir = join(tmp, "my sweeps", "100% done");
    writePlan(
      dir,
      planSweep({ task: "ode-final", grid: parseGrid("mu=0|1"), constants: { t1: 1 }, seeds: 3, shards: 3 }),
    );
    const text = sbatchScript(dir, { partition: "short", time: "00:10:00", maxConcurrent: 2 });
    expect(text).toMatch(/^#!\/bin\/bash/);
    expect(text).toContain("#SBATCH --array=0-2%2");
    expect(text).toContain("#SBATCH --partition=short");
    const logs = join(tmp, "my sweeps", "100%% done", "logs");
    // Logs named by array task and job: a resubmission writes new files beside the old ones.
    expect(text).toContain(
      `#SBATCH --output="${logs}/shard-%a.job-%A.out"\n#SBATCH --error="${logs}/shard-%a.job-%A.err"`,
    );
    expect(text).toContain('"$SLURM_ARRAY_TASK_ID"');
    expect(() => sbatchScript(dir, { partition: "a; rm -rf /" })).toThrow(/"partition" must be letters/);
    const quoted = join(tmp, 'say "hi"');
    writePlan(
      quoted,
      planSweep({ task: "ode-final", grid: parseGrid("mu=0"), constants: { t1: 1 }, seeds: 1, shards: 1 }),
    );
    expect(() => sbatchScript(quoted)).toThrow(/"sweep directory" must be a path without double quotes/);

    const path = writeSbatch(dir, {
      maxConcurrent: 2,
      node: process.execPath,
      setup: ["export LEARNDYN_SETUP_RAN=yes", "echo setup $LEARNDYN_SETUP_RAN"],
    });
    // bash reads #SBATCH lines as comments: this is exactly what array task 1 executes.
    const r = spawnSync("bash", [path], {
      env: { ...process.env, SLURM_ARRAY_TASK_ID: "1" },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^setup yes\n/); // the setup lines ran first
    expect(r.stdout).toContain('"event":"shard","shard":1,"ran":2');
    expect(sweepStatus(dir).unfinished).toEqual({ 0: [0, 3], 2: [2, 5] });
    // The rest goes back to Slurm, not to the login node, with the script's concurrency bound.
    expect(resumeCommand(dir, sweepStatus(dir))).toBe(`sbatch --array=0,2%2 '${path}'`);

    // A node that is not there is said so, with the options that fix it.
    writeSbatch(dir, { node: "/nonexistent/node" });
    const missing = spawnSync("bash", [path], {
      env: { ...process.env, SLURM_ARRAY_TASK_ID: "0" },
      encoding: "utf8",
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /^learndyn: no node on .*: \/nonexistent\/node \(use sweep sbatch --node PATH or --setup/,
    );
  });
});
