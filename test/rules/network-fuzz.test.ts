/**
 * Fuzzing the network rule language: thousands of seeded random mutations of the built-in rule
 * files (characters, tokens and lines deleted, duplicated or swapped; tokens of the language,
 * names that plain objects inherit and abusive constructs inserted: see rule-fuzz-corpus.ts)
 * must each end in a parsed and compiled rule (drawn and stepped once at small sizes) or in a
 * LearndynError (a parser error with a line and column inside the file, or a refused
 * argument), never in another exception, and each within a time bound. A mutation that turns
 * the file into a scalar rule is analyzed under a 0.5 s budget. A failure prints the seed and
 * the mutated text, so it can be replayed alone.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  builtinNetworkRuleNames,
  builtinNetworkRulePath,
} from "../../src/rules/network/builtin-network-rules.ts";
import { Rng } from "../../src/util/random.ts";
import { exercise, mutate, type Outcome } from "./rule-fuzz-corpus.ts";

/** Seed of the first mutation; mutation k uses seed FUZZ_SEED + k. */
const FUZZ_SEED = 20_240_601;
const MUTATIONS = 3000;

const SOURCES = builtinNetworkRuleNames().map((n) => readFileSync(builtinNetworkRulePath(n), "utf8"));

describe("mutated rule files", () => {
  it(`end in a compiled rule or a LearndynError, each within its time bound (${MUTATIONS} mutations, seeds ${FUZZ_SEED}...)`, () => {
    const counts: Record<Outcome, number> = { analyzed: 0, partial: 0, refused: 0 };
    let slowest = 0;
    for (let k = 0; k < MUTATIONS; k++) {
      const seed = FUZZ_SEED + k;
      const rng = new Rng(seed);
      const text = mutate(SOURCES[rng.int(SOURCES.length)]!, rng);
      const start = performance.now();
      let outcome: Outcome;
      try {
        outcome = exercise(text, seed, 0.5);
      } catch (e) {
        expect.fail(`seed ${seed}: ${(e as Error).stack}\n--- mutated text ---\n${text}`);
      }
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      // A 40-line rule is parsed and compiled in about a millisecond and drawn at sizes <= 12 in
      // a few more (a scalar analysis stops at its 0.5 s budget); 3 s is far beyond any linear
      // pass over it and catches a hang or a blow-up.
      expect(ms, `seed ${seed} took ${ms} ms`).toBeLessThan(3000);
      counts[outcome]++;
    }
    // Both outcomes occur: the mutations neither all break the files nor all leave them intact.
    expect(counts.analyzed).toBeGreaterThan(MUTATIONS / 20);
    expect(counts.refused).toBeGreaterThan(MUTATIONS / 20);
  });
});
