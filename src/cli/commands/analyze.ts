/**
 * `learndyn analyze <rule file | built-in name> [--param NAME=VALUE]... [--json]`: the symbolic
 * analysis of a rule.
 */
import { parseArgs } from "node:util";
import { analyze, DEFAULT_ANALYSIS_TIMEOUT_SECONDS, formatReport } from "../../analysis/index.ts";
import { BUILTIN_RULE_NAMES, loadRule } from "../../rules/index.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { ruleWithParams } from "../param-option.ts";

export const analyzeCommand: Command = {
  name: "analyze",
  summary: "symbolic analysis of a rule: Jacobian, charpoly, fixed points, invariants, gradient test",
  usage: [
    "usage: learndyn analyze <rule file | built-in name> [--param NAME=VALUE]... [--json] [--degree N] [--param-degree N] [--seed N] [--timeout S]",
    "",
    `built-in rules: ${BUILTIN_RULE_NAMES.join(", ")}`,
    "",
    "  --param NAME=V    a parameter value (decimal or fraction like 1/3), repeatable; parameters",
    "                    without a value stay symbolic (their points are not classified)",
    "  --json            print one JSON object instead of the readable report",
    "  --degree N        largest state degree of the invariant ansatz (default 2)",
    "  --param-degree N  largest parameter degree of the invariant ansatz (default 1)",
    "  --seed N          seed of Newton starts and family samples (default 1)",
    `  --timeout S       time budget of the analysis in seconds (default ${DEFAULT_ANALYSIS_TIMEOUT_SECONDS}); steps`,
    "                    that do not finish in time are listed with the step that hit it, and the",
    "                    results of the steps before (Jacobian, charpoly if done) are kept",
  ].join("\n"),
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        degree: { type: "string" },
        "param-degree": { type: "string" },
        seed: { type: "string" },
        param: { type: "string", multiple: true },
        timeout: { type: "string" },
      },
    });
    if (positionals.length !== 1) {
      throw new InvalidArgumentError(
        "analyze",
        "rule",
        `exactly one rule file or built-in name (${BUILTIN_RULE_NAMES.join(", ")})`,
        positionals.length === 0 ? "none" : positionals.join(" "),
      );
    }
    const { rule } = ruleWithParams("analyze", loadRule(positionals[0]!), values.param);
    const report = analyze(rule, {
      degree: numberOption("analyze", "degree", values.degree, { integer: true, min: 1, max: 8 }, 2),
      paramDegree: numberOption(
        "analyze",
        "param-degree",
        values["param-degree"],
        { integer: true, min: 0, max: 4 },
        1,
      ),
      seed: numberOption("analyze", "seed", values.seed, { integer: true }, 1),
      timeoutSeconds: numberOption(
        "analyze",
        "timeout",
        values.timeout,
        { greaterThan: 0, max: 86_400 },
        DEFAULT_ANALYSIS_TIMEOUT_SECONDS,
      ),
    });
    io.out(values.json ? toJson(report) : formatReport(report));
    return 0;
  },
};
