/**
 * The contract every `learndyn <command>` implements. One command per file in
 * src/cli/commands/, registered in src/cli/commands/index.ts.
 */
export interface CliIO {
  /** Writes to standard output (results: text report or one JSON document). */
  out(text: string): void;
  /** Writes to standard error (diagnostics, warnings). */
  err(text: string): void;
}

export interface Command {
  /** The word after `learndyn`, e.g. "analyze". */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text printed by `learndyn <command> --help`. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}
