/**
 * Reading and writing the files of a sweep directory with errors that say which file, what went
 * wrong and what to do: a file that is not JSON, or a directory that cannot be written (read-only,
 * no space, a file where a folder should be), is a {@link SweepFileError}, never a raw stack.
 */
import { readFileSync } from "node:fs";
import { LearndynError } from "../../util/errors.ts";
import { writeJson } from "../../util/io.ts";

/** A file of a sweep directory could not be read, parsed or written. */
export class SweepFileError extends LearndynError {
  override name = "SweepFileError";
}

/** What an operating-system error code means, in words. */
function explain(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    ENOTDIR: "a path component is a file, not a directory",
    EISDIR: "is a directory",
    ENOENT: "no such file or directory",
  };
  return code ? `${code}: ${words[code] ?? (e as Error).message}` : (e as Error).message;
}

/** Whether `e` is an operating-system error (it has an errno code). */
export const isSystemError = (e: unknown): e is NodeJS.ErrnoException =>
  e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string";

/** Writes JSON atomically; an OS error becomes a SweepFileError naming `path` and `fn`. */
export function writeSweepJson(fn: string, path: string, value: unknown): void {
  try {
    writeJson(path, value);
  } catch (e) {
    if (!isSystemError(e)) throw e;
    throw new SweepFileError(
      `${fn}: cannot write ${path} (${explain(e)}); the sweep directory must be writable (or copy it somewhere writable)`,
    );
  }
}

/** Runs an OS call on `path`; an OS error becomes a SweepFileError saying what could not be done. */
export function onSweepFile<T>(fn: string, what: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (!isSystemError(e)) throw e;
    throw new SweepFileError(`${fn}: cannot ${what} ${path} (${explain(e)})`);
  }
}

/**
 * The parsed JSON of `path`, or `{ error }` saying why there is none (unreadable, empty, not JSON).
 * Missing files are `{ error: "missing" }`.
 */
export function readJsonFile(path: string): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (isSystemError(e) && e.code === "ENOENT") return { error: "missing" };
    if (isSystemError(e)) return { error: `unreadable (${explain(e)})` };
    throw e;
  }
  if (text.trim() === "") return { error: "empty" };
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `not valid JSON (${(e as Error).message})` };
  }
}

/** Whether `v` is a plain JSON object (not null, not an array). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
