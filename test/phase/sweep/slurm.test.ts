/**
 * A sweep on a real Slurm cluster (in CI: the single node of .ci/slurm-single-node.sh): planned
 * in a directory whose path has a space and a percent sign, submitted with `sbatch --wait`,
 * resubmitted (nothing runs again, the first logs stay), merged, and compared with the same sweep
 * run locally. Skipped with the reason when sbatch is not installed, unless
 * LEARNDYN_REQUIRE_SLURM=1 (CI), where that is a failure.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  logsDir,
  mergedCsvPath,
  mergedJsonPath,
  mergeSweep,
  parseGrid,
  planSweep,
  runShard,
  sweepStatus,
  writePlan,
  writeSbatch,
} from "../../../src/phase/sweep/index.ts";

const required = process.env.LEARNDYN_REQUIRE_SLURM === "1";
const sbatchMissing = (() => {
  try {
    execFileSync("sbatch", ["--version"], { stdio: "pipe" });
    return undefined;
  } catch (e) {
    return `sbatch is not available (${(e as Error).message.split("\n")[0]}); .ci/slurm-single-node.sh start installs a single-node cluster`;
  }
})();

const spec = { task: "ode-final", grid: parseGrid("mu=0.5|1"), constants: { t1: 3 }, seeds: 2, shards: 2 };

if (sbatchMissing !== undefined && !required) {
  console.warn(`Slurm sweep test skipped: ${sbatchMissing}`);
  describe.skip(`a sweep on Slurm (skipped: ${sbatchMissing})`, () => {
    it("submits, resubmits and merges", () => {});
  });
} else {
  const tmp = mkdtempSync(join(tmpdir(), "learndyn slurm "));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  describe("a sweep on Slurm", () => {
    it("has sbatch (LEARNDYN_REQUIRE_SLURM=1)", () => {
      expect(sbatchMissing).toBeUndefined();
    });

    it("submitted with sbatch --wait from a path with a space and a %, merges to the same files as a local run", async () => {
      const dir = join(tmp, "sweep 100%");
      writePlan(dir, planSweep(spec));
      const script = writeSbatch(dir, { node: process.execPath, time: "00:05:00", memory: "1G" });
      const submit = () => {
        const r = spawnSync("sbatch", ["--wait", "--parsable", script], {
          encoding: "utf8",
          timeout: 240_000,
        });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        return r.stdout.trim().split(";")[0]!;
      };
      const first = submit();
      expect(sweepStatus(dir).missing).toBe(0);
      const logs = () => readdirSync(logsDir(dir)).sort();
      expect(logs()).toEqual(
        [0, 1].flatMap((a) => [`shard-${a}.job-${first}.err`, `shard-${a}.job-${first}.out`]),
      );
      expect(readFileSync(join(logsDir(dir), `shard-1.job-${first}.out`), "utf8")).toContain(
        '{"event":"shard","shard":1,"ran":2,"skipped":0,"failed":0}',
      );
      // A resubmission runs nothing again and keeps the first job's logs.
      const second = submit();
      expect(logs()).toHaveLength(8);
      expect(readFileSync(join(logsDir(dir), `shard-1.job-${second}.out`), "utf8")).toContain(
        '{"event":"shard","shard":1,"ran":0,"skipped":2,"failed":0}',
      );
      expect(mergeSweep(dir).complete).toBe(true);

      const local = join(tmp, "local");
      mkdirSync(local);
      writePlan(local, planSweep(spec));
      for (let s = 0; s < spec.shards; s++) await runShard(local, s);
      mergeSweep(local);
      expect(readFileSync(mergedJsonPath(dir), "utf8")).toBe(readFileSync(mergedJsonPath(local), "utf8"));
      expect(readFileSync(mergedCsvPath(dir), "utf8")).toBe(readFileSync(mergedCsvPath(local), "utf8"));
      expect(existsSync(join(dir, "locks", "shard-0000.lock"))).toBe(false);
    }, 300_000);

    it("scancel (SIGTERM) stops a shard with its results saved and its lock released; the rest resumes", async () => {
      const dir = join(tmp, "cancelled");
      // Tasks of ~0.1 s (stiff van der Pol), so the job is cancelled mid-way.
      const slow = {
        task: "ode-final",
        grid: parseGrid("mu=2000|3000"),
        constants: { t1: 20 },
        seeds: 8,
        shards: 1,
      };
      writePlan(dir, planSweep(slow));
      const script = writeSbatch(dir, { node: process.execPath, time: "00:05:00", memory: "1G" });
      const job = execFileSync("sbatch", ["--parsable", script], { encoding: "utf8" }).trim().split(";")[0]!;
      const deadline = Date.now() + 120_000;
      while (sweepStatus(dir).finished < 1 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      execFileSync("scancel", [job]);
      const gone = () => execFileSync("squeue", ["-h", "-j", job], { encoding: "utf8" }).trim() === "";
      while (!gone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(gone()).toBe(true);
      const log = readFileSync(join(logsDir(dir), `shard-0.job-${job}.out`), "utf8");
      expect(log).toContain('{"event":"stopped","shard":0,"signal":"SIGTERM"}');
      expect(existsSync(join(dir, "locks", "shard-0000.lock"))).toBe(false);
      const s = sweepStatus(dir);
      expect(s.finished).toBeGreaterThanOrEqual(1);
      expect(s.finished).toBeLessThan(16);
      expect(s.invalid).toEqual({});
      expect(await runShard(dir, 0)).toMatchObject({ ran: 16 - s.finished, skipped: s.finished });
    }, 300_000);
  });
}
