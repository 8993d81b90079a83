/** The registry of `learndyn` commands, in the order `learndyn --help` lists them. */
import type { Command } from "../command.ts";
import { check } from "./check.ts";
import { sweepCommand } from "./sweep.ts";

export const commands: Command[] = [sweepCommand, check];
