/**
 * The child process of bench/rule-fuzz.ts: receives one mutated rule file at a time over IPC,
 * runs it through test/rules/rule-fuzz-corpus.ts's `exercise` (parser, then the analysis under
 * its time budget with the numeric twins, or the network compiler and one step) and answers
 * with the case's outcome class. The parent kills this process when a case runs past its hard
 * bound, so a hang or an exhausted heap costs one case, not the run.
 */
import { BoundExceededError, LearndynError } from "../src/util/errors.ts";
import { type ExerciseDetail, exercise, OracleViolation } from "../test/rules/rule-fuzz-corpus.ts";

/** What the parent sends: one case. */
export interface FuzzCase {
  kind: "scalar" | "network";
  seed: number;
  text: string;
  budgetSeconds: number;
}

/** The outcome classes of one case. */
export type FuzzClass =
  | "ok"
  | "errorAtPosition"
  | "errorTyped"
  | "partial"
  | "crash"
  | "hang"
  | "wrongAnswer";

/** What the child answers. */
export interface FuzzAnswer {
  seed: number;
  class: FuzzClass;
  /** The error's name and message, the unfinished steps, or the stack: short. */
  detail?: string;
  ms: number;
}

function classify(c: FuzzCase): Omit<FuzzAnswer, "ms"> {
  const detail: ExerciseDetail = {};
  try {
    const outcome = exercise(c.text, c.seed, c.budgetSeconds, detail);
    if (outcome === "analyzed") return { seed: c.seed, class: "ok" };
    if (outcome === "partial") {
      const steps = (detail.unfinished ?? []).map((u) => `${u.step}: ${u.reason}`);
      return { seed: c.seed, class: "partial", detail: steps.join("; ").slice(0, 400) };
    }
    const e = detail.error!;
    const at = "line" in e && "column" in e ? `${e.line}:${e.column} ` : "";
    // a size bound of the parser or the compiler is a bound hit with its step named, too
    const cls = e instanceof BoundExceededError && !at ? "partial" : at ? "errorAtPosition" : "errorTyped";
    return { seed: c.seed, class: cls, detail: `${at}${e.name}: ${e.message}`.slice(0, 400) };
  } catch (e) {
    if (e instanceof OracleViolation)
      return { seed: c.seed, class: "wrongAnswer", detail: e.message.slice(0, 4000) };
    const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    // exercise rethrows only what is not a LearndynError; a LearndynError here is a bug of this file
    return {
      seed: c.seed,
      class: e instanceof LearndynError ? "errorTyped" : "crash",
      detail: stack.slice(0, 3000),
    };
  }
}

process.on("message", (c: FuzzCase) => {
  const start = performance.now();
  const answer = classify(c);
  process.send!({ ...answer, ms: Math.round(performance.now() - start) } satisfies FuzzAnswer);
});
// the parent gone (killed), nothing is left to answer
process.on("disconnect", () => process.exit(0));
