/**
 * The "Arrays for NumPy" section of README.md: its commands run, and its Python snippet loads
 * what they wrote (where python3 has NumPy).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

const README = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
const start = README.indexOf("## Arrays for NumPy");
const SECTION = README.slice(start, README.indexOf("\n## ", start + 1));
const COMMANDS = /```sh\n([\s\S]*?)```/.exec(SECTION)![1]!.trim().split("\n");
const PYTHON = /```python\n([\s\S]*?)```/.exec(SECTION)![1]!;

const tmp = mkdtempSync(join(tmpdir(), "learndyn-readme-npz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const numpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;

describe("README: arrays for NumPy", () => {
  it("runs its commands, and its Python snippet loads the arrays they wrote", async () => {
    expect(COMMANDS).toHaveLength(3);
    for (const line of COMMANDS) {
      const [learndyn, ...args] = line.split(/\s+/);
      expect(learndyn).toBe("learndyn");
      // Paths are relative to where the snippet runs: here, the temporary directory.
      const inTmp = args.map((a) => (a.endsWith(".npz") || a === "out" ? join(tmp, a) : a));
      const err: string[] = [];
      expect(await main(inTmp, { out: () => {}, err: (t) => err.push(t) }), err.join("\n")).toBe(0);
    }
    if (!numpy) return;
    const run = spawnSync("python3", ["-c", PYTHON], { cwd: tmp, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^\(4, \d+\)$/);
  });
});
