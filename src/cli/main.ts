/**
 * `learndyn <command> [options]`: dispatches to the registered commands. Deliberate errors
 * (LearndynError) print their message and exit with code 2, as do failed file-system calls on
 * a path (the path given or made from an argument: a full disk, a folder removed meanwhile);
 * anything else is a bug and keeps its stack.
 */

import { LearndynError } from "../util/errors.ts";
import { PACKAGE_VERSION } from "../util/package-root.ts";
import { joinNegativeNumberValues } from "./args.ts";
import type { CliIO } from "./command.ts";
import { commands } from "./commands/index.ts";

const defaultIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

/** Runs the CLI with `argv` (arguments after the program name); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = joinNegativeNumberValues(argv);
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(helpText());
    return name === undefined ? 1 : 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    io.out(`learndyn ${PACKAGE_VERSION}`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`learndyn: unknown command "${name}" (commands: ${commands.map((c) => c.name).join(", ")})`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (
      e instanceof LearndynError ||
      (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      io.err(`learndyn ${name}: ${(e as Error).message}`);
      return 2;
    }
    const fsFailure = fileSystemFailure(e);
    if (fsFailure !== undefined) {
      io.err(`learndyn ${name}: ${fsFailure}`);
      return 2;
    }
    throw e;
  }
}

/** What a failed file-system call on a path says, without the stack; undefined for other errors. */
function fileSystemFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, syscall, path } = e as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof syscall !== "string" || typeof path !== "string") return undefined;
  const meaning: Record<string, string> = {
    ENOENT: "no such file or folder",
    ENOTDIR: "a part of the path is a file, not a folder",
    EISDIR: "it is a folder",
    EEXIST: "it exists already",
    EACCES: "no permission",
    EPERM: "no permission",
    EROFS: "a read-only file system",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
  };
  return `${syscall} "${path}" failed: ${code} (${meaning[code] ?? "see the system's error codes"})`;
}

function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  return [
    "usage: learndyn <command> [options]   (learndyn <command> --help for its options; learndyn --version)",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}
