/** The registry of `learndyn` commands, in the order `learndyn --help` lists them. */
import type { Command } from "../command.ts";
import { hessianCommand } from "./hessian.ts";
import { rnnCommand } from "./rnn.ts";

export const commands: Command[] = [rnnCommand, hessianCommand];
