/**
 * Rule files the fuzz run (bench/rule-fuzz.ts) found failing, kept in test/rules/fuzz-cases/ as
 * `<language>-<seed>.rule` (the mutated file as the run generated it): each must now pass the
 * run's oracle (a confirmed analysis, a partial one with the bound it hit, or a LearndynError,
 * parser errors with line and column), and each has its own check of the defect it showed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.ts";
import { parseRuleFile } from "../../src/rules/load.ts";
import { exercise } from "./rule-fuzz-corpus.ts";

const DIR = new URL("./fuzz-cases/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DIR), "utf8");

describe("rule files the fuzz run found failing", () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith(".rule")))("%s passes the fuzz oracle", (name) => {
    const seed = Number(/-(\d+)\.rule$/.exec(name)![1]);
    expect(["analyzed", "partial", "refused"]).toContain(exercise(read(name), seed, 1));
  });

  it("scalar-20266644 (eta = 1.1e308): fixed points unfinished with the overflow named, charpoly kept", () => {
    // sampling the family w1*w2 = s overflows the sampled charpoly's coefficients to NaN; the
    // analysis once threw numericRoots' InvalidArgumentError and lost the whole report
    const parsed = parseRuleFile(read("scalar-20266644.rule"), "scalar-20266644.rule");
    if (parsed.kind !== "scalar") throw new Error("expected a scalar rule");
    const report = analyze(parsed.rule, { timeoutSeconds: 5, seed: 1 });
    expect(report.unfinished).toEqual([
      { step: "fixedPoints", reason: expect.stringMatching(/outside float64's range.*w1\*w2 = s/) },
    ]);
    expect(report.charpoly).toMatch(/^lambda\^2 /);
    expect(report.fixedPoints).toEqual([]);
  });
});
