/**
 * The calibration cache of `--backend auto` (src/backend/auto.ts): a choice is stored under a key
 * of the machine (CPU model and count, platform, architecture, Node version), the learndyn
 * version, the candidates and the shape of the workload (the compiled rule: its programs, sizes
 * and choices; and the batch size), so a later run of the same shape on the same machine and version
 * skips the calibration. Parameter values and seeds are not in the key: they do not change which
 * kernels run nor their cost per epoch.
 *
 * The file is $LEARNDYN_CACHE_DIR/backend-auto.json, else $XDG_CACHE_HOME/learndyn/..., else
 * ~/.cache/learndyn/...; it keeps the {@link MAX_ENTRIES} most recent choices. A cache that cannot
 * be read or written is ignored (the calibration runs), never an error.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { arch, cpus, homedir, platform } from "node:os";
import { join } from "node:path";
import { writeJson } from "../util/io.ts";
import { PACKAGE_VERSION } from "../util/package-root.ts";
import type { BackendChoice } from "./auto.ts";
import type { NetworkInit } from "./backend.ts";

const MAX_ENTRIES = 200;
const FILE = "backend-auto.json";

/** The cache directory from the environment (see the module comment). */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEARNDYN_CACHE_DIR) return env.LEARNDYN_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "learndyn");
}

/** The key of a workload on `candidates` on this machine and version. */
export function calibrationKey(init: NetworkInit, candidates: readonly string[]): string {
  const machine = [cpus()[0]?.model ?? "unknown", cpus().length, platform(), arch(), process.version];
  // The compiled rule is plain data: its programs, sizes and choices, all that sets the cost.
  const text = JSON.stringify([machine, PACKAGE_VERSION, [...candidates], init.rule, init.runs.length]);
  return createHash("sha256").update(text).digest("hex");
}

interface CacheFile {
  entries: Record<string, { choice: BackendChoice; savedAt: string }>;
}

function readCache(dir: string): CacheFile {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, FILE), "utf8")) as CacheFile;
    return parsed && typeof parsed.entries === "object" && parsed.entries !== null ? parsed : { entries: {} };
  } catch {
    return { entries: {} };
  }
}

/** The cached choice under `key`, if any. */
export function cachedChoice(dir: string, key: string): BackendChoice | undefined {
  const entry = readCache(dir).entries[key];
  return entry && typeof entry.choice?.chosen === "string" ? entry.choice : undefined;
}

/** Stores `choice` under `key` (dropping the oldest entries past the limit); errors are ignored. */
export function storeChoice(dir: string, key: string, choice: BackendChoice): void {
  try {
    const cache = readCache(dir);
    cache.entries[key] = { choice, savedAt: new Date().toISOString() };
    const kept = Object.entries(cache.entries)
      .sort((a, b) => b[1].savedAt.localeCompare(a[1].savedAt))
      .slice(0, MAX_ENTRIES);
    writeJson(join(dir, FILE), { entries: Object.fromEntries(kept) });
  } catch {
    // A read-only or full disk costs a calibration next time, nothing else.
  }
}
