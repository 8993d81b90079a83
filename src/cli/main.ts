/**
 * `learndyn <command> [options]`: dispatches to the registered commands. Deliberate errors
 * (LearndynError) print their message and exit with code 2; anything else is a bug and keeps
 * its stack.
 */

import { LearndynError } from "../util/errors.ts";
import { PACKAGE_VERSION } from "../util/package-root.ts";
import type { CliIO } from "./command.ts";
import { commands } from "./commands/index.ts";

const defaultIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

/** Runs the CLI with `argv` (arguments after the program name); resolves to the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
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
    throw e;
  }
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
