/**
 * The package as a user gets it: `npm pack` of this checkout, installed into an empty project
 * with no dev dependencies; the README's library example runs against it, and the `learndyn` bin
 * runs the compiled CLI (no TypeScript loader: tsx is a dev dependency and must be absent).
 * Needs the compiled dist/ (`npm test` builds it first) and the npm cache that `npm ci` filled.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { criticalRatio } from "../../src/phase/boundary.ts";
import { marchenkoPasturEdges } from "../../src/spectra/marchenko-pastur.ts";

const root = join(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};
const work = mkdtempSync(join(tmpdir(), "learndyn-pack-"));
const project = join(work, "project");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });

/** The README's ```js readme-example block. */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const m = /```js readme-example\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error("README.md has no ```js readme-example block");
  return m[1]!;
}

beforeAll(() => {
  if (!existsSync(join(root, "dist/src/index.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  // dist/ is current (npm test builds it), so pack without running `prepare` again.
  const tarball = npm(["pack", "--ignore-scripts", "--pack-destination", work], root)
    .trim()
    .split("\n")
    .pop()!;
  execFileSync("mkdir", [project]);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "user-project", private: true, type: "module" }),
  );
  npm(["install", "--omit=dev", "--prefer-offline", join(work, tarball)], project);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed package in an empty project", () => {
  it("installs without any of learndyn's dev dependencies", () => {
    for (const dev of Object.keys(manifest.devDependencies)) {
      expect(existsSync(join(project, "node_modules", dev)), dev).toBe(false);
    }
    expect(existsSync(join(project, "node_modules/learndyn/dist/src/index.d.ts"))).toBe(true);
  });

  it("runs the README's library example", () => {
    writeFileSync(join(project, "example.mjs"), readmeExample());
    const lines = execFileSync(process.execPath, ["example.mjs"], { cwd: project, encoding: "utf8" })
      .trim()
      .split("\n");
    expect(lines[0]).toBe(`learndyn ${manifest.version}: invariants of the curl toy: w1^2 + w2^2`);
    // The printed numbers are the same computations as in this process (same code, compiled).
    const edges = lines
      .slice(1, -1)
      .join(" ")
      .match(/[-\d.e]+/g)!
      .map(Number);
    expect(edges).toEqual(marchenkoPasturEdges(0.5));
    expect(Number(lines.at(-1))).toBe(criticalRatio(0.5, 0).value);
  });

  it("runs the bin: --version and a command, with no TypeScript loader", () => {
    const bin = join(project, "node_modules/.bin/learndyn");
    expect(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim()).toBe(
      `learndyn ${manifest.version}`,
    );
    const report = JSON.parse(execFileSync(bin, ["analyze", "curl-toy", "--json"], { encoding: "utf8" })) as {
      invariants: string[];
    };
    expect(report.invariants).toEqual(["w1^2 + w2^2"]);
  });

  it("runs the native backend with the headers it installed, and names a missing C compiler", () => {
    const bin = join(project, "node_modules/.bin/learndyn");
    const args = ["simulate", "curl-descent", "--set", "M=6", "--set", "N=5", "--set", "P=12"];
    const sizes = [...args, "--set", "Q=4", "--set", "S=3", "--epochs", "2", "--backend", "cpu-native"];
    const env = { ...process.env, LEARNDYN_CACHE_DIR: join(work, "cache") };
    const missing = spawnSync(bin, sizes, { env: { ...env, CC: "/nonexistent/cc" }, encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cpu-native needs a C compiler: none of \/nonexistent\/cc runs here/);
    if (spawnSync("cc", ["--version"]).status !== 0) return; // no compiler here: nothing more to run
    const ran = spawnSync(bin, sizes, { env, encoding: "utf8" });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/curl-descent on cpu-native \(compiled\)/);
  });
});
