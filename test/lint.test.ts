/**
 * `npm run lint` passes on a fresh clone: biome's linter and formatter over the same folders as
 * the npm script (read from package.json, so the two cannot drift apart).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("npm run lint", () => {
  it("reports no errors", { timeout: 120_000 }, () => {
    const script: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.lint;
    const [command, ...args] = script.split(/\s+/);
    expect(command).toBe("biome");
    let output = "";
    let status = 0;
    try {
      output = execFileSync(join(root, "node_modules", ".bin", "biome"), args, {
        cwd: root,
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      status = err.status;
      output = `${err.stdout}\n${err.stderr}`;
    }
    expect(output.slice(0, 4000), "biome check output").not.toMatch(/Found \d+ errors?/);
    expect(status).toBe(0);
  });
});
