/**
 * A backend from a `--backend` option: a registered name, or `auto` (the default of the
 * commands that simulate), which calibrates the registered backends on the caller's workload
 * (src/backend/auto.ts) or reuses a cached calibration (src/backend/auto-cache.ts).
 *
 * LEARNDYN_AUTO_BACKENDS=NAME[,NAME...] restricts the candidates of `auto` (e.g. `cpu` makes the
 * choice deterministic, for tests); LEARNDYN_AUTO_CACHE=0 turns the cache off.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { type BackendCandidate, type BackendChoice, calibrateBackends, choiceSummary } from "./auto.ts";
import { cacheDirectory, cachedChoice, calibrationKey, storeChoice } from "./auto-cache.ts";
import type { Backend, NetworkInit } from "./backend.ts";
import { backendByName, backendDtypes, backendNames } from "./registry.ts";

/** The names a `--backend` option takes: auto and the registered backends. */
export function backendOptionNames(): string[] {
  return ["auto", ...backendNames()];
}

export interface ChooseBackendOptions {
  /** The element type of a named backend (auto chooses among float64 engines only). */
  dtype?: string;
  /** The candidates of auto (default: the registered backends, or LEARNDYN_AUTO_BACKENDS). */
  candidates?: readonly BackendCandidate[];
  /** Cache directory; null turns the cache off (default: cacheDirectory(), or off with LEARNDYN_AUTO_CACHE=0). */
  cacheDir?: string | null;
  /** Minimum timed measurement per candidate in ms (src/backend/auto.ts). */
  budgetMs?: number;
  /** Forwarded to the calibration's startNetwork. */
  fastPath?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** The candidates of auto from the environment, checked by name. */
export function autoCandidates(env: NodeJS.ProcessEnv = process.env): BackendCandidate[] {
  const known = backendNames();
  const names = env.LEARNDYN_AUTO_BACKENDS
    ? env.LEARNDYN_AUTO_BACKENDS.split(",").map((s) => s.trim())
    : known;
  for (const name of names) {
    if (!known.includes(name)) {
      throw new InvalidArgumentError("LEARNDYN_AUTO_BACKENDS", "name", `one of ${known.join(", ")}`, name);
    }
  }
  return names.map((name) => ({ name, make: () => backendByName(name) }));
}

/**
 * Refuses `dtype` for the `--backend` option `name` unless name is a registered backend that
 * computes in it (auto chooses among float64 engines, so it takes no dtype): checked where a
 * command or script is set up, before anything runs.
 */
export function requireDtypeFor(fn: string, name: string, dtype: string): void {
  if (name === "auto") {
    throw new InvalidArgumentError(
      fn,
      "--dtype",
      "a named --backend with it (e.g. --backend cpu-wasm --dtype float32); auto chooses among float64 engines",
      dtype,
    );
  }
  const dtypes = backendDtypes(name);
  if (!dtypes.includes(dtype as never)) {
    throw new InvalidArgumentError(fn, "--dtype", `for ${name}, one of ${dtypes.join(", ")}`, dtype);
  }
}

/**
 * The backend `name` names; for `auto`, the one calibrated on `workload()` (called only then;
 * null when the work runs on no tensor backend, which gives the cpu backend), with the choice.
 * An unknown name is refused with the list of known ones.
 */
export async function chooseBackend(
  fn: string,
  name: string,
  workload: () => NetworkInit | null,
  options: ChooseBackendOptions = {},
): Promise<{ backend: Backend; choice: BackendChoice | null }> {
  if (name === "auto" && options.dtype !== undefined) requireDtypeFor(fn, name, options.dtype);
  if (name !== "auto") {
    if (!backendNames().includes(name)) {
      throw new InvalidArgumentError(fn, "--backend", `one of ${backendOptionNames().join(", ")}`, name);
    }
    return { backend: await backendByName(name, options.dtype), choice: null };
  }
  const env = options.env ?? process.env;
  const candidates = options.candidates ?? autoCandidates(env);
  const init = workload();
  if (init === null) {
    const backend = await backendByName("cpu");
    const reports = [
      { name: "cpu", status: "ok" as const, msPerEpoch: null, deviation: null, tolerance: null },
    ];
    const summary = "backend auto -> cpu (no simulation to calibrate on)";
    return {
      backend,
      choice: { requested: "auto", chosen: "cpu", summary, cached: false, seconds: 0, candidates: reports },
    };
  }
  const dir =
    options.cacheDir !== undefined
      ? options.cacheDir
      : env.LEARNDYN_AUTO_CACHE === "0"
        ? null
        : cacheDirectory(env);
  const key =
    dir !== null && candidates.length > 1
      ? calibrationKey(
          init,
          candidates.map((c) => c.name),
        )
      : null;
  const hit = key !== null ? cachedChoice(dir!, key) : undefined;
  const made = hit && candidates.find((c) => c.name === hit.chosen);
  if (hit && made) {
    try {
      const summary = choiceSummary(hit.chosen, hit.candidates, true);
      return { backend: await made.make(), choice: { ...hit, summary, cached: true, seconds: 0 } };
    } catch {
      // The cached backend cannot be made any more (e.g. no adapter): calibrate again.
    }
  }
  const { backend, choice } = await calibrateBackends(init, candidates, {
    ...(options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    ...(options.fastPath !== undefined ? { fastPath: options.fastPath } : {}),
  });
  if (key !== null) storeChoice(dir!, key, choice);
  return { backend, choice };
}
