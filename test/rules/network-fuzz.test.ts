/**
 * Fuzzing the network rule language: thousands of seeded random mutations of the built-in rule
 * files (characters, tokens and lines deleted, duplicated or swapped; tokens of the language and
 * names that plain objects inherit inserted) must each end in a parsed
 * and compiled rule (drawn and stepped once at small sizes) or in a LearndynError (a RuleError
 * with line and column, or a refused argument), never in another exception, and each within a
 * time bound. A failure prints the seed and the mutated text, so it can be replayed alone.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { prepareProgram } from "../../src/ir/interpret.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { parseRuleFile } from "../../src/rules/load.ts";
import {
  builtinNetworkRuleNames,
  builtinNetworkRulePath,
} from "../../src/rules/network/builtin-network-rules.ts";
import { LearndynError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/random.ts";
import { smallSizes } from "../backend/network-conformance.ts";

/** Seed of the first mutation; mutation k uses seed FUZZ_SEED + k. */
const FUZZ_SEED = 20_240_601;
const MUTATIONS = 3000;

const SOURCES = builtinNetworkRuleNames().map((n) => readFileSync(builtinNetworkRulePath(n), "utf8"));

/** Names, numbers, runs of blanks and single other characters, so that tokens join back exactly. */
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[ \t]+|\r?\n|./g;

/**
 * Tokens inserted by the fourth kind of mutation: operators, keywords, functions and laws of the
 * language, names that plain objects inherit, and numbers at the edges of what is accepted.
 */
const VOCABULARY = [
  "(",
  ")",
  "'",
  ".*",
  "./",
  ".^",
  "^",
  "^T",
  "*",
  "/",
  "+",
  "-",
  ",",
  "=",
  "[",
  "]",
  "~",
  "|",
  "ᵀ",
  "⊙",
  "mean",
  "sum",
  "diag",
  "tanh",
  "phi",
  "phi'",
  "normal",
  "signs",
  "zeros",
  "identity",
  "sd",
  "fraction",
  "d/dt",
  "state",
  "random",
  "input",
  "target",
  "error",
  "sizes",
  "params",
  "choice",
  "minibatch",
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "0",
  "-1",
  "1e400",
  "1e-400",
  "1000001",
  "65",
  "0.5",
];

function mutateParts(parts: string[], rng: Rng, insert?: () => string): string[] {
  if (parts.length === 0) return parts;
  const out = [...parts];
  const i = rng.int(out.length);
  switch (rng.int(insert ? 4 : 3)) {
    case 3:
      out.splice(i, 0, insert!());
      break;
    case 0:
      out.splice(i, 1);
      break;
    case 1:
      out.splice(i, 0, out[i]!);
      break;
    default: {
      const j = rng.int(out.length);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
  }
  return out;
}

/** One to three mutations, each of characters, tokens or lines. */
function mutate(text: string, rng: Rng): string {
  let t = text;
  const count = 1 + rng.int(3);
  for (let k = 0; k < count; k++) {
    const level = rng.int(3);
    if (level === 0) t = mutateParts([...t], rng).join("");
    else if (level === 1)
      t = mutateParts(t.match(TOKEN) ?? [], rng, () => VOCABULARY[rng.int(VOCABULARY.length)]!).join("");
    else t = mutateParts(t.split("\n"), rng).join("\n");
  }
  return t;
}

type Outcome = "compiled" | "refused";

/** Parses, compiles at the defaults, then draws and steps once at small sizes. */
function exercise(text: string, seed: number): Outcome {
  try {
    const parsed = parseRuleFile(text, "fuzz.rule");
    if (parsed.kind === "scalar") return "compiled";
    compileModel(parsed.rule);
    const model = compileModel(parsed.rule, { sizes: smallSizes(parsed.rule, new Rng(seed)) });
    const [run] = drawRuns(model, [{ seed }]);
    const c = model.compiled;
    const data = c.samples
      ? run!.train.map((d, k) => d.subarray(0, c.minibatch * c.data[k]!.rows * c.data[k]!.cols))
      : [];
    prepareProgram(c.step).run({ states: run!.states, fixed: run!.fixed, params: run!.params, data });
    if (c.error)
      prepareProgram(c.error.test).run({
        states: run!.states,
        fixed: run!.fixed,
        params: run!.params,
        data: run!.test,
      });
    return "compiled";
  } catch (e) {
    if (e instanceof LearndynError) return "refused";
    throw e;
  }
}

describe("mutated rule files", () => {
  it(`end in a compiled rule or a LearndynError, each within its time bound (${MUTATIONS} mutations, seeds ${FUZZ_SEED}...)`, () => {
    const counts = { compiled: 0, refused: 0 };
    let slowest = 0;
    for (let k = 0; k < MUTATIONS; k++) {
      const seed = FUZZ_SEED + k;
      const rng = new Rng(seed);
      const text = mutate(SOURCES[rng.int(SOURCES.length)]!, rng);
      const start = performance.now();
      let outcome: Outcome;
      try {
        outcome = exercise(text, seed);
      } catch (e) {
        expect.fail(`seed ${seed}: ${(e as Error).stack}\n--- mutated text ---\n${text}`);
      }
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      // A 40-line rule is parsed and compiled in about a millisecond and drawn at sizes <= 12 in
      // a few more; 2 s is far beyond any linear pass over it and catches a hang or a blow-up.
      expect(ms, `seed ${seed} took ${ms} ms`).toBeLessThan(2000);
      counts[outcome]++;
    }
    // Both outcomes occur: the mutations neither all break the files nor all leave them intact.
    expect(counts.compiled).toBeGreaterThan(MUTATIONS / 20);
    expect(counts.refused).toBeGreaterThan(MUTATIONS / 20);
  });
});
