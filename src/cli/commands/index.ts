/** The registry of `learndyn` commands, in the order `learndyn --help` lists them. */
import type { Command } from "../command.ts";
import { check } from "./check.ts";

export const commands: Command[] = [check];
