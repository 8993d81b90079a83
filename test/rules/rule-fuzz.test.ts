/**
 * Fuzzing the scalar rule language end to end: seeded mutations of the built-in rules (and a few
 * more: a map, a non-polynomial rule, names plain objects inherit), with the abusive constructs
 * that once crashed or hung the parser and the analysis inserted among the mutations, must each
 * end in an analysis that its numeric twins confirm (complete, or partial with the bound it hit)
 * or in a LearndynError, parser errors with line and column; never in a stack trace, and each
 * within a time bound. This is the fast subset; bench/rule-fuzz.ts runs the full corpus.
 * A failure prints the seed and the mutated text, so it can be replayed alone.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/util/random.ts";
import { exercise, mutate, type Outcome, scalarSources } from "./rule-fuzz-corpus.ts";

/** Seed of the first mutation; mutation k uses seed FUZZ_SEED + k (bench/rule-fuzz.ts uses the same). */
const FUZZ_SEED = 20_261_205;
const MUTATIONS = 400;
/** Time budget of each analysis, in seconds. */
const BUDGET = 1;

describe("mutated scalar rule files", () => {
  it(`end in a confirmed analysis or a positioned LearndynError (${MUTATIONS} mutations, seeds ${FUZZ_SEED}...)`, () => {
    const sources = scalarSources();
    const counts: Record<Outcome, number> = { analyzed: 0, partial: 0, refused: 0 };
    for (let k = 0; k < MUTATIONS; k++) {
      const seed = FUZZ_SEED + k;
      const rng = new Rng(seed);
      const text = mutate(sources[rng.int(sources.length)]!, rng);
      const start = performance.now();
      let outcome: Outcome;
      try {
        outcome = exercise(text, seed, BUDGET);
      } catch (e) {
        expect.fail(`seed ${seed}: ${(e as Error).stack}\n--- mutated text ---\n${text.slice(0, 3000)}`);
      }
      const ms = performance.now() - start;
      // the budget bounds the analysis; 10 s more is far beyond parsing and the twins' checks
      // of a small rule and still catches a hang
      expect(ms, `seed ${seed} took ${ms} ms`).toBeLessThan(1000 * BUDGET + 10_000);
      counts[outcome]++;
    }
    expect(counts.analyzed).toBeGreaterThan(MUTATIONS / 20);
    expect(counts.refused).toBeGreaterThan(MUTATIONS / 20);
  });
});
