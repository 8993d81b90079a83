/**
 * `learndyn demo`: the main job, a list of named steps run in order, each writing its results
 * under the output folder and a readable summary to stdout. A later part adds its step as one
 * line in {@link demoSteps}.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { analyze, formatReport } from "../../analysis/index.ts";
import { builtinRule } from "../../rules/index.ts";
import { writeJson } from "../../util/io.ts";
import type { CliIO, Command } from "../command.ts";

export interface DemoContext {
  /** Folder for results (default "out"). */
  outDir: string;
  io: CliIO;
}

export interface DemoStep {
  name: string;
  run(ctx: DemoContext): void | Promise<void>;
}

/** A step that analyses a built-in rule and writes `<outDir>/<rule>.json`. */
export function analysisStep(ruleName: string): DemoStep {
  return {
    name: `analysis of ${ruleName}`,
    run({ outDir, io }) {
      const report = analyze(builtinRule(ruleName));
      const path = join(outDir, `${ruleName}.json`);
      writeJson(path, report);
      io.out(formatReport(report));
      io.out(`(written to ${path})`);
    },
  };
}

/** The demo's steps, in order. */
export const demoSteps: DemoStep[] = [analysisStep("curl-toy")];

export const demoCommand: Command = {
  name: "demo",
  summary: "run the main analyses and write their results to out/",
  usage: "usage: learndyn demo [--out DIR]\n\n  --out DIR   folder for results (default out)",
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { out: { type: "string", default: "out" } } });
    const ctx: DemoContext = { outDir: values.out!, io };
    for (const [k, step] of demoSteps.entries()) {
      io.out(`\n== step ${k + 1}/${demoSteps.length}: ${step.name}\n`);
      await step.run(ctx);
    }
    return 0;
  },
};
