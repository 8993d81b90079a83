/**
 * The code a sweep's results come from. The first shard that runs records its code version in
 * code.json; a later runner with other code (an update between two submissions) is refused unless
 * it is told to go on with the change, which is then recorded too. Each result also records its
 * code (results.ts) and merge lists the versions with their task counts, so mixed versions are
 * never silent.
 */
import { type CodeVersion, codeLabel, codeVersion } from "../../util/code-version.ts";
import { LearndynError } from "../../util/errors.ts";
import { codePath } from "./layout.ts";
import { isRecord, readJsonFile, writeSweepJson } from "./sweep-files.ts";

/** Raised when a sweep's results come from other code than the running one. */
export class CodeChangedError extends LearndynError {
  override name = "CodeChangedError";
}

/** The code versions recorded in `dir` (empty before any shard ran). */
export function recordedCode(dir: string): CodeVersion[] {
  const r = readJsonFile(codePath(dir));
  if (!("value" in r) || !isRecord(r.value) || !Array.isArray(r.value.versions)) return [];
  return r.value.versions as CodeVersion[];
}

/**
 * Why the running code may not add results to the sweep in `dir` (other code computed its
 * results), or null when it may.
 */
export function codeChange(dir: string, current: CodeVersion = codeVersion()): string | null {
  const versions = recordedCode(dir);
  if (versions.length === 0 || versions.some((v) => v.sourceHash === current.sourceHash)) return null;
  return (
    `the results in ${dir} were computed by learndyn ${versions.map(codeLabel).join(", ")}; this is ${codeLabel(current)}. ` +
    "Use a fresh directory for results of the new code, or go on mixing versions with --accept-code-change " +
    "(on `sweep run`, or on `sweep sbatch` before resubmitting); each result records its code and merge lists the versions"
  );
}

/**
 * Checks that the running code is one the sweep in `dir` accepts; records it when the sweep has
 * none yet, or when `acceptChange` (then beside the earlier versions).
 */
export function checkSweepCode(
  dir: string,
  acceptChange = false,
  current: CodeVersion = codeVersion(),
): void {
  const versions = recordedCode(dir);
  if (versions.some((v) => v.sourceHash === current.sourceHash)) return;
  const change = codeChange(dir, current);
  if (change !== null && !acceptChange) throw new CodeChangedError(change);
  writeSweepJson("checkSweepCode", codePath(dir), { versions: [...versions, current] });
}
