/** The registry of `learndyn` commands, in the order `learndyn --help` lists them. */
import type { Command } from "../command.ts";

export const commands: Command[] = [];
