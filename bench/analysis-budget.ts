/**
 * The analysis time budget on rules that ran for minutes without it: wall time of
 * `learndyn analyze RULE --json` (a child process, startup included) under the default budget,
 * the steps that did not finish and why, and whether the Jacobian and the characteristic
 * polynomial came back. The same run first times the CLI on the gradient toy (a rule analyzed in
 * milliseconds) as the baseline of startup and output, and records the machine's load average:
 * wall times on a loaded machine are mostly waiting for a core.
 * Writes bench/results/analysis-budget.json (or --out FILE) and prints it.
 * Run: nice npx tsx bench/analysis-budget.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ANALYSIS_TIMEOUT_SECONDS } from "../src/analysis/index.ts";
import { cycleRuleText, denseRuleText } from "../test/analysis/abusive-rules.ts";

const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1]! : "bench/results/analysis-budget.json";

const cases: [string, string][] = [
  [
    "baseline: gradient-toy",
    "rule gradient-toy\nparams s = 1\nstate w1, w2\nd/dt w1 = w2*(s - w1*w2)\nd/dt w2 = w1*(s - w1*w2)",
  ],
  ["dense 6 states, degree 3", denseRuleText(6, 3)],
  ["dense 6 states, degree 5", denseRuleText(6, 5)],
  ["(w+1)^999999", "rule pow\nstate w\nd/dt w = (w+1)^999999"],
  ["linear cycle of 45 states", cycleRuleText(45)],
  ["1,000 nested sin", `rule sin\nstate w\nd/dt w = ${"sin(".repeat(1000)}w${")".repeat(1000)}`],
];

const dir = mkdtempSync(join(tmpdir(), "learndyn-budget-"));
const loadBefore = loadavg();
const results = cases.map(([name, text]) => {
  const file = join(dir, "case.rule");
  writeFileSync(file, text);
  const t = performance.now();
  let exitCode = 0;
  let stdout = "";
  let stderr = "";
  try {
    stdout = execFileSync("node", ["bin/learndyn.js", "analyze", file, "--json"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    exitCode = err.status;
    stdout = err.stdout;
    stderr = err.stderr;
  }
  const wallSeconds = Number(((performance.now() - t) / 1000).toFixed(1));
  if (exitCode !== 0) return { name, wallSeconds, exitCode, error: stderr.trim().slice(0, 300) };
  const r = JSON.parse(stdout);
  return {
    name,
    wallSeconds,
    exitCode,
    analysisSeconds: r.budget.elapsedSeconds ?? null,
    jacobian: `${r.jacobian.length}x${r.jacobian[0].length}`,
    charpoly: r.charpoly === null ? null : `${r.charpoly.length} characters`,
    unfinished: r.unfinished.map((u: { step: string; reason: string }) => `${u.step}: ${u.reason}`),
  };
});
rmSync(dir, { recursive: true });
const out = {
  bench: "analysis-budget",
  defaultBudgetSeconds: DEFAULT_ANALYSIS_TIMEOUT_SECONDS,
  node: process.version,
  cores: availableParallelism(),
  loadAverage1mBeforeAndAfter: [loadBefore[0], loadavg()[0]],
  results,
};
writeFileSync(outFile, `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
