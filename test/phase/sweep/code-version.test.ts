import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.ts";
import {
  CodeChangedError,
  codePath,
  mergeSweep,
  parseGrid,
  planSweep,
  readResult,
  recordedCode,
  runShard,
  writePlan,
} from "../../../src/phase/sweep/index.ts";
import { codeVersion } from "../../../src/util/code-version.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-sweep-code-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the code version of a sweep's results", () => {
  it("is recorded in every result; a sweep begun by other code is refused unless the change is accepted, and merge lists both", async () => {
    const dir = join(tmp, "sweep");
    const plan = planSweep({
      task: "ode-final",
      grid: parseGrid("mu=1"),
      constants: { t1: 1 },
      seeds: 4,
      shards: 2,
    });
    writePlan(dir, plan);
    await runShard(dir, 0);
    expect(readResult(dir, plan, 0)!.code).toEqual(codeVersion());
    expect(recordedCode(dir)).toEqual([codeVersion()]);

    // The same results as if shard 0 had run before an update of the code.
    const older = { version: "0.0.9", commit: "a".repeat(40), sourceHash: "b".repeat(64) };
    writeFileSync(codePath(dir), JSON.stringify({ versions: [older] }));
    for (const id of [0, 2]) {
      const path = join(dir, "results", `task-00000${id}.json`);
      writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), code: older }));
    }
    await expect(runShard(dir, 1)).rejects.toThrow(CodeChangedError);
    await expect(runShard(dir, 1)).rejects.toThrow(
      /were computed by learndyn 0\.0\.9 \(commit aaaaaaaaaaaa, sources bbbbbbbbbbbb\); this is .*--accept-code-change/,
    );
    expect(mergeSweep(dir).counts.missing).toBe(2);

    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => err.push(s) };
    // status says so before anything is submitted.
    expect(await main(["sweep", "status", dir], io)).toBe(1);
    expect(err.pop()).toMatch(
      /^note: the results in .* were computed by learndyn 0\.0\.9 .*--accept-code-change/,
    );
    expect(await main(["sweep", "run", dir, "--shard", "1", "--accept-code-change"], io)).toBe(0);
    expect(recordedCode(dir).map((v) => v.sourceHash)).toEqual([older.sourceHash, codeVersion().sourceHash]);
    const merged = mergeSweep(dir);
    expect(merged.code).toEqual([
      { ...older, tasks: 2 },
      { ...codeVersion(), tasks: 2 },
    ]);
    expect(await main(["sweep", "merge", dir], io)).toBe(0);
    expect(err.pop()).toMatch(/^results of 2 code versions are merged: 2 tasks by 0\.0\.9 .*; 2 tasks by /);
  });
});
