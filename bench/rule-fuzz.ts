/**
 * The full fuzz run of both rule languages: seeded mutations of the scalar and network rule
 * files (test/rules/rule-fuzz-corpus.ts: the mutations and the oracle) through the parser and,
 * for the files that parse, the symbolic analysis under a time budget with its numeric twins, or
 * the network compiler and one step. Counts outcomes, stack traces (any exception that is not a
 * LearndynError), oracle violations (a silent wrong answer, an error without line:column) and
 * the slowest file; writes bench/results/rule-fuzz.json (or --out FILE) and prints it.
 *
 * Run: nice npx tsx bench/rule-fuzz.ts [--scalar N] [--network N] [--budget SECONDS]
 * (defaults 8000, 4000 and 1 s). The test test/rules/rule-fuzz.test.ts runs the first 400 scalar
 * seeds of this corpus; test/rules/network-fuzz.test.ts runs network mutations.
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  builtinNetworkRuleNames,
  builtinNetworkRulePath,
} from "../src/rules/network/builtin-network-rules.ts";
import { Rng } from "../src/util/random.ts";
import {
  exercise,
  mutate,
  OracleViolation,
  type Outcome,
  scalarSources,
} from "../test/rules/rule-fuzz-corpus.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const scalarCount = arg("--scalar", 8000);
const networkCount = arg("--network", 4000);
const budget = arg("--budget", 1);
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1]! : "bench/results/rule-fuzz.json";

/** The seeds of test/rules/rule-fuzz.test.ts continue here, so the test is this run's prefix. */
const SCALAR_SEED = 20_261_205;
const NETWORK_SEED = 30_261_205;

function run(kind: string, sources: string[], count: number, firstSeed: number) {
  const counts: Record<Outcome, number> = { analyzed: 0, partial: 0, refused: 0 };
  const stackTraces: { seed: number; error: string }[] = [];
  const violations: { seed: number; error: string }[] = [];
  let slowest = { seed: 0, ms: 0 };
  for (let k = 0; k < count; k++) {
    const seed = firstSeed + k;
    const rng = new Rng(seed);
    const text = mutate(sources[rng.int(sources.length)]!, rng);
    const start = performance.now();
    try {
      counts[exercise(text, seed, budget)]++;
    } catch (e) {
      const entry = { seed, error: String((e as Error).stack ?? e).slice(0, 1500) };
      (e instanceof OracleViolation ? violations : stackTraces).push(entry);
    }
    const ms = performance.now() - start;
    if (ms > slowest.ms) slowest = { seed, ms: Math.round(ms) };
    if ((k + 1) % 1000 === 0) console.error(`${kind}: ${k + 1}/${count}`);
  }
  return {
    kind,
    mutations: count,
    firstSeed,
    counts,
    stackTraces: stackTraces.length,
    violations: violations.length,
    slowest,
    failures: [...stackTraces, ...violations].slice(0, 20),
  };
}

const started = performance.now();
const scalar = run("scalar", scalarSources(), scalarCount, SCALAR_SEED);
const network = run(
  "network",
  builtinNetworkRuleNames().map((n) => readFileSync(builtinNetworkRulePath(n), "utf8")),
  networkCount,
  NETWORK_SEED,
);
const result = {
  bench: "rule-fuzz",
  budgetSeconds: budget,
  totalMutations: scalarCount + networkCount,
  stackTraces: scalar.stackTraces + network.stackTraces,
  violations: scalar.violations + network.violations,
  wallSeconds: Math.round((performance.now() - started) / 1000),
  node: process.version,
  runs: [scalar, network],
};
writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
