/**
 * Which code produced a result: the package version, the git commit when the package is a git
 * checkout with git at hand, and a SHA-256 of the package's sources (every file under src/, with
 * package.json and package-lock.json, so dependency versions count too). The source hash is the
 * identity: two runs with equal hashes ran the same code, whatever git says; the commit is there
 * for people.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export interface CodeVersion {
  /** package.json's version. */
  readonly version: string;
  /** `git rev-parse HEAD` of the package root, or null without git or outside a checkout. */
  readonly commit: string | null;
  /** SHA-256 (hex) of the sources (see module comment). */
  readonly sourceHash: string;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

function gitCommit(root: string): string | null {
  try {
    const out = execFileSync("git", ["-C", root, "rev-parse", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    }).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

/** The version of the code under `root` (default: this package). */
export function codeVersionOf(root: string = ROOT): CodeVersion {
  const hash = createHash("sha256");
  const files = [
    ...filesUnder(join(root, "src")),
    ...["package.json", "package-lock.json"].map((f) => join(root, f)).filter((f) => existsSync(f)),
  ];
  for (const file of files) {
    // The path and the length delimit each file, so moving bytes between files changes the hash.
    const bytes = readFileSync(file);
    hash.update(`${relative(root, file)}\0${bytes.length}\0`).update(bytes);
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string };
  return { version: pkg.version ?? "unknown", commit: gitCommit(root), sourceHash: hash.digest("hex") };
}

let cached: CodeVersion | undefined;

/** The version of the running code (computed once per process). */
export function codeVersion(): CodeVersion {
  cached ??= codeVersionOf();
  return cached;
}

/** A short label: "0.1.0 (commit d7ff601af67e, sources 3f2a...)". */
export function codeLabel(v: CodeVersion): string {
  return `${v.version} (${v.commit ? `commit ${v.commit.slice(0, 12)}, ` : ""}sources ${v.sourceHash.slice(0, 12)})`;
}
