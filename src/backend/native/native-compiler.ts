/**
 * Compiling generated C (rule-source.ts) into a Node-API addon and loading it.
 *
 * The compiler is $CC, else `cc`, else `gcc`, found on PATH; the Node-API headers come from the
 * npm package node-api-headers, else /usr/include/node. Flags: `-O3 -march=native` (full vector
 * width on this CPU) with `-ffp-contract=off -fno-fast-math` (no fused multiply-add, no
 * reassociation: every operation of the source, in its order, correctly rounded) and
 * `-fno-math-errno` (sqrt need not set errno, so it vectorizes; its value is the same).
 *
 * An addon is cached as <cache>/<hash>.node, the hash covering the source, the compiler's
 * version, the flags and what -march=native means on this CPU (so a cache shared by machines
 * never loads code built for another instruction set), in $LEARNDYN_CACHE_DIR (or ~/.cache/learndyn)/native, else the OS
 * temporary directory; a process compiles a source at most once and loads it at most once. A
 * compilation is bounded by {@link COMPILE_TIMEOUT_MS}. Without a compiler or headers the backend
 * is unavailable: {@link NativeUnavailableError} says what is missing.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import { LearndynError } from "../../util/errors.ts";
import { cacheDirectory } from "../auto-cache.ts";

/** Longest a compilation may take. */
export const COMPILE_TIMEOUT_MS = 120_000;

export const NATIVE_FLAGS: readonly string[] = [
  "-O3",
  "-march=native",
  "-ffp-contract=off",
  "-fno-fast-math",
  "-fno-math-errno",
  "-fPIC",
  "-shared",
];

/** The native backend cannot run here (no compiler, no headers, a failed compilation or load). */
export class NativeUnavailableError extends LearndynError {
  override name = "NativeUnavailableError";
}

export interface Toolchain {
  /** The compiler command. */
  readonly cc: string;
  /** First line of `cc --version`. */
  readonly version: string;
  /** Directory of node_api.h. */
  readonly include: string;
  /** Bytes of the widest vector the compiler targets on this CPU (-march=native). */
  readonly vectorBytes: 16 | 32 | 64;
  /** The compiler's predefined macros with -march=native: the instruction sets of this CPU. */
  readonly target: string;
}

let toolchain: Toolchain | NativeUnavailableError | undefined;

function run(cmd: string, args: readonly string[], input?: string) {
  return spawnSync(cmd, args, { encoding: "utf8", timeout: COMPILE_TIMEOUT_MS, input });
}

function findHeaders(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve("node-api-headers/package.json");
    const include = join(dirname(pkg), "include");
    if (existsSync(join(include, "node_api.h"))) return include;
  } catch {
    // not installed: try the system headers
  }
  return existsSync("/usr/include/node/node_api.h") ? "/usr/include/node" : null;
}

/** The compiler, headers and vector width of this machine; throws NativeUnavailableError without them. */
export function nativeToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  if (toolchain === undefined) toolchain = probeToolchain(env);
  if (toolchain instanceof NativeUnavailableError) throw toolchain;
  return toolchain;
}

/** What nativeToolchain finds for `env`, looked for afresh: the toolchain, or why there is none. */
export function probeToolchain(env: NodeJS.ProcessEnv): Toolchain | NativeUnavailableError {
  const candidates = env.CC ? [env.CC] : ["cc", "gcc"];
  let cc: string | null = null;
  let version = "";
  for (const c of candidates) {
    const r = run(c, ["--version"]);
    if (!r.error && r.status === 0) {
      cc = c;
      version = r.stdout.split("\n")[0]!.trim();
      break;
    }
  }
  if (cc === null) {
    return new NativeUnavailableError(
      `cpu-native needs a C compiler: none of ${candidates.join(", ")} runs here (set CC, or install gcc)`,
    );
  }
  const include = findHeaders();
  if (include === null) {
    return new NativeUnavailableError(
      "cpu-native needs the Node-API headers: neither the npm package node-api-headers nor /usr/include/node/node_api.h is present",
    );
  }
  const macros = run(cc, ["-march=native", "-dM", "-E", "-x", "c", "-"], "");
  if (macros.error || macros.status !== 0) {
    return new NativeUnavailableError(
      `cpu-native: ${cc} -march=native failed: ${macros.error?.message ?? macros.stderr.trim().slice(-500)}`,
    );
  }
  const has = (m: string) => macros.stdout.includes(`#define ${m} `);
  const vectorBytes = has("__AVX512F__") ? 64 : has("__AVX__") ? 32 : 16;
  return { cc, version, include, vectorBytes, target: macros.stdout };
}

const loaded = new Map<string, unknown>();

/** The directory compiled addons are kept in (created). */
function cacheDir(): string {
  for (const dir of [
    join(cacheDirectory(), "native"),
    join(tmpdir(), `learndyn-native-${process.getuid?.() ?? 0}`),
  ]) {
    try {
      mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      // not writable: the next one
    }
  }
  throw new NativeUnavailableError("cpu-native: no writable directory to keep compiled addons in");
}

/** The addon compiled from `code` (see the module comment for caching), loaded into this process. */
export function loadAddon<T>(code: string): T {
  const tc = nativeToolchain();
  const hash = createHash("sha256")
    .update(JSON.stringify([code, tc.cc, tc.version, tc.include, tc.target, NATIVE_FLAGS, process.version]))
    .digest("hex")
    .slice(0, 32);
  const cached = loaded.get(hash);
  if (cached) return cached as T;
  const dir = cacheDir();
  const file = join(dir, `${hash}.node`);
  if (!existsSync(file)) {
    const own = `${process.pid}-${threadId}`;
    const source = join(dir, `${hash}.${own}.c`);
    const partial = join(dir, `${hash}.${own}.node`);
    writeFileSync(source, code);
    const r = run(tc.cc, [...NATIVE_FLAGS, `-I${tc.include}`, "-o", partial, source, "-lm"]);
    rmSync(source, { force: true });
    if (r.error || r.status !== 0) {
      rmSync(partial, { force: true });
      const why = r.error
        ? (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT"
          ? `did not finish within ${COMPILE_TIMEOUT_MS / 1000} s`
          : r.error.message
        : `exited with ${r.status}: ${r.stderr.trim().slice(-2000)}`;
      throw new NativeUnavailableError(`cpu-native: compiling the generated C with ${tc.cc} ${why}`);
    }
    // Atomic: another process compiling the same source writes the same file.
    renameSync(partial, file);
  }
  const module = { exports: {} as T };
  try {
    process.dlopen(module, file);
  } catch (e) {
    throw new NativeUnavailableError(`cpu-native: loading ${file} failed: ${(e as Error).message}`);
  }
  loaded.set(hash, module.exports);
  return module.exports;
}
