/**
 * `learndyn demo`: the main job, a list of named steps run in order, each writing its results
 * under the output folder and a readable summary to stdout. A later part adds its step as one
 * line in {@link demoSteps}.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { analyze, criticalLevels, formatReport } from "../../analysis/index.ts";
import { parsePoly } from "../../expr/index.ts";
import { builtinRule } from "../../rules/index.ts";
import { writeJson } from "../../util/io.ts";
import { plainNumber } from "../../util/plain-number.ts";
import type { CliIO, Command } from "../command.ts";
import { outputFolderOption } from "../output-path.ts";
import { networkRulesDemoStep } from "./network-demo.ts";
import { phaseDiagramDemoStep } from "./phase.ts";

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

/**
 * Checks seed 001's separatrix claim (text after eq. 9: heteroclinic orbits on the circle
 * w1^2 + w2^2 = s) against the critical levels of the invariant on the solution manifold,
 * computed at s = 1, 2, 3; writes `<outDir>/curl-toy-separatrix.json`.
 */
export const curlToySeparatrixStep: DemoStep = {
  name: "curl-toy separatrix versus seed 001",
  run({ outDir, io }) {
    const base = builtinRule("curl-toy");
    const invariant = parsePoly("w1^2 + w2^2");
    const manifold = parsePoly("w1*w2 - s");
    const rows = [1, 2, 3].map((s) => {
      const rule = { ...base, params: [{ name: "s", default: String(s) }] };
      const { levels } = criticalLevels(rule, invariant, manifold);
      return {
        s,
        levels: levels.map((l) => ({ point: l.point, level: l.value, numericPoint: l.numericPoint })),
      };
    });
    const ratios = rows.flatMap((r) => r.levels.map((l) => l.level / r.s));
    // levels at irrational points come from Newton: equal to float64 rounding (1e-12 relative)
    const ratio =
      ratios.length > 0 && ratios.every((x) => Math.abs(x - ratios[0]!) <= 1e-12 * ratios[0]!)
        ? Math.round(ratios[0]! * 1e6) / 1e6
        : undefined;
    const result = {
      claim:
        "seed 001, text after eq. 9: regimes separated by heteroclinic orbits on the circle w1^2 + w2^2 = s",
      computed: rows,
      separatrix: ratio !== undefined ? `w1^2 + w2^2 = ${ratio}*s` : "level not proportional to s",
      agreesWithPaper: ratio === 1,
    };
    const path = join(outDir, "curl-toy-separatrix.json");
    writeJson(path, result);
    io.out(`critical levels of w1^2 + w2^2 on the manifold w1*w2 = s:`);
    for (const r of rows)
      io.out(
        `  s = ${r.s}: ${r.levels.map((l) => `${plainNumber(l.level)} at (${plainNumber(l.numericPoint.w1!)}, ${plainNumber(l.numericPoint.w2!)})`).join(", ")}`,
      );
    io.out(`separatrix: ${result.separatrix}`);
    io.out(
      result.agreesWithPaper
        ? "agrees with seed 001"
        : "seed 001 states w1^2 + w2^2 = s: a slip (circles with s < c < 2s never reach the manifold)",
    );
    io.out(`(written to ${path})`);
  },
};

/** The demo's steps, in order. */
export const demoSteps: DemoStep[] = [
  analysisStep("curl-toy"),
  curlToySeparatrixStep,
  phaseDiagramDemoStep,
  networkRulesDemoStep,
];

export const demoCommand: Command = {
  name: "demo",
  summary: "run the main analyses and write their results to out/",
  usage: "usage: learndyn demo [--out DIR]\n\n  --out DIR   folder for results (default out)",
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { out: { type: "string", default: "out" } } });
    const ctx: DemoContext = { outDir: outputFolderOption("demo", "--out", values.out!), io };
    for (const [k, step] of demoSteps.entries()) {
      io.out(`\n== step ${k + 1}/${demoSteps.length}: ${step.name}\n`);
      await step.run(ctx);
    }
    return 0;
  },
};
