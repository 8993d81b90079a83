/**
 * Checks of `--out` paths before any work is done, so a run is not lost at its end to a path
 * that cannot be written: a folder where a file is needed, a file where a folder is needed (the
 * path itself or one of its parents), a folder that cannot be written (permissions, a read-only
 * file system), and an existing file that would be replaced without --force.
 *
 * Policy: an `--out FILE` that exists is refused unless --force is given. An `--out DIR` may
 * exist; the command writes its files into it under fixed names, replacing files of those
 * names (the usage text of each command lists them).
 */
import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InvalidArgumentError } from "../util/errors.ts";

/** Checks that `path` can be written as a file; refuses an existing file unless `force`. */
export function outputFileOption(command: string, option: string, path: string, force: boolean): string {
  const expected = "a file path that can be written";
  const kind = kindOf(path);
  if (kind === "folder") throw new InvalidArgumentError(command, option, expected, path, "it is a folder");
  if (kind === "file" && !force) {
    throw new InvalidArgumentError(
      command,
      option,
      "a path with no file yet",
      path,
      "the file exists; give --force to replace it",
    );
  }
  if (kind === "other")
    throw new InvalidArgumentError(command, option, expected, path, "it is not a regular file");
  requireWritableFolder(command, option, expected, path, dirname(resolve(path)));
  return path;
}

/** Checks that `path` is a folder that exists and can be written, or can be made. */
export function outputFolderOption(command: string, option: string, path: string): string {
  const expected = "a folder that can be written";
  const kind = kindOf(path);
  if (kind === "file" || kind === "other") {
    throw new InvalidArgumentError(command, option, expected, path, "it is a file, not a folder");
  }
  requireWritableFolder(command, option, expected, path, resolve(path));
  return path;
}

type Kind = "missing" | "file" | "folder" | "other";

function kindOf(path: string): Kind {
  try {
    const s = statSync(path);
    return s.isDirectory() ? "folder" : s.isFile() ? "file" : "other";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file; reported with that parent below.
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    throw e;
  }
}

/**
 * `folder` is (or would be made as) the folder the output goes into: its nearest existing
 * ancestor must be a folder, and a probe file must be creatable there (so read-only file systems
 * are caught as well as permissions, also for a process running as root).
 */
function requireWritableFolder(
  command: string,
  option: string,
  expected: string,
  path: string,
  folder: string,
): void {
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  // existsSync is false below a file (ENOTDIR), so `existing` is the file itself in that case.
  if (kindOf(existing) !== "folder") {
    throw new InvalidArgumentError(command, option, expected, path, `${existing} is a file, not a folder`);
  }
  const probe = join(existing, `.learndyn-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    writeFileSync(probe, "");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    const why =
      code === "EROFS"
        ? "a read-only file system"
        : code === "EACCES" || code === "EPERM"
          ? "no permission"
          : code;
    throw new InvalidArgumentError(command, option, expected, path, `${existing} cannot be written: ${why}`);
  }
  rmSync(probe, { force: true });
}
