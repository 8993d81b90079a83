/** The registry of `learndyn` commands, in the order `learndyn --help` lists them. */
import type { Command } from "../command.ts";
import { analyzeCommand } from "./analyze.ts";
import { checkCommand } from "./check.ts";
import { compileCommand } from "./compile.ts";
import { continueCommand } from "./continue.ts";
import { demoCommand } from "./demo.ts";
import { exploreCommand } from "./explore.ts";
import { hessianCommand } from "./hessian.ts";
import { jacobianCommand } from "./jacobian.ts";
import { lyapunovCommand } from "./lyapunov.ts";
import { phaseCommand } from "./phase.ts";
import { portraitCommand } from "./portrait.ts";
import { reportCommand } from "./report.ts";
import { reproduceSimulationsCommand } from "./reproduce-simulations.ts";
import { rnnCommand } from "./rnn.ts";
import { simulateCommand } from "./simulate.ts";
import { spectrumCommand } from "./spectrum.ts";
import { sweepCommand } from "./sweep.ts";

export const commands: Command[] = [
  analyzeCommand,
  continueCommand,
  portraitCommand,
  lyapunovCommand,
  compileCommand,
  jacobianCommand,
  spectrumCommand,
  phaseCommand,
  simulateCommand,
  sweepCommand,
  reproduceSimulationsCommand,
  rnnCommand,
  hessianCommand,
  checkCommand,
  reportCommand,
  exploreCommand,
  demoCommand,
];
