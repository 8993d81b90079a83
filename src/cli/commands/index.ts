/** The registry of `learndyn` commands, in the order `learndyn --help` lists them. */
import type { Command } from "../command.ts";
import { simulateCommand } from "./simulate.ts";

export const commands: Command[] = [simulateCommand];
