/**
 * The README's structure: each section once, the command table lists commands only (the folders
 * are in the Layout table), and no example command writes a file into the repository root.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
const lines = readme.split("\n");

describe("README.md", () => {
  it("has every section heading once", () => {
    const headings = lines.filter((l) => /^##+ /.test(l));
    expect(headings.length).toBeGreaterThan(5);
    expect(headings.filter((h, k) => headings.indexOf(h) !== k)).toEqual([]);
  });

  it("has no table row twice, and only learndyn commands in the command table", () => {
    const rows = lines.filter((l) => l.startsWith("| `"));
    expect(rows.filter((r, k) => rows.indexOf(r) !== k)).toEqual([]);
    const start = lines.indexOf("| command | what it does |");
    expect(start).toBeGreaterThan(0);
    const end = lines.findIndex((l, k) => k > start && l.trim() === "");
    const commands = lines.slice(start + 2, end);
    expect(commands.length).toBeGreaterThan(5);
    for (const row of commands) expect(row).toMatch(/^\| `learndyn /);
  });

  it("writes the example outputs under out/ (ignored by git) or reports/ (committed results), not into the repository root", () => {
    const ignored = readFileSync(join(import.meta.dirname, "..", ".gitignore"), "utf8").split("\n");
    expect(ignored).toContain("out/");
    const code = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join("\n");
    const targets = [...code.matchAll(/--out (\S+)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(3);
    for (const t of targets) expect(t).toMatch(/^(out|reports)(\/|$)/);
  });
});
