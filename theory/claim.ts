/**
 * A claim of a seed paper as an executable statement, and the runner that checks it.
 *
 * A claim carries its statement in words, where it is printed, the assumptions it is checked
 * under, a fast-check generator of instances, a check that returns the slack of one instance
 * (>= 0: the instance satisfies the claim; < 0: it violates it, by that much), and the argument
 * for its tolerance. The runner checks `runs` instances from a recorded seed; a violation is
 * shrunk by fast-check to the smallest instance that still violates the claim, and reported.
 *
 * A claim that is false as printed is kept, with its verdict recorded as "fails"; when a
 * corrected form holds it is a second claim whose `correctionOf` names the first, and whose
 * `addedAssumption` (if any) says what had to be added.
 */
import fc from "fast-check";
import type { Citation, ClaimReport, SeedId, VerdictKind } from "../src/cli/claim-catalog.ts";

/** The result of checking one instance. */
export interface Outcome {
  /** >= 0 when the instance satisfies the claim; the amount of violation when < 0. NaN = numeric failure. */
  slack: number;
  /** What was measured, in words and numbers (shown with a counterexample). */
  note?: string;
}

export interface Claim<T = unknown> {
  id: string;
  seed: SeedId;
  statement: string;
  citation: Citation;
  /** Assumptions the instances satisfy (the paper's, made explicit). */
  assumptions: string[];
  /** The verdict this catalog finds and records; test/theory asserts it. */
  recorded: VerdictKind;
  /** For a claim that holds only with an assumption the paper does not state. */
  addedAssumption?: string;
  /** Id of the as-printed claim this one corrects. */
  correctionOf?: string;
  /** Why the claim cannot be checked here (then no generator or check is given). */
  notCheckable?: string;
  /** Why the tolerance in `check` is what it is. */
  tolerance: string;
  /** The unit of the slack, e.g. "relative error below 1e-9" or "loss difference". */
  marginUnit: string;
  arbitrary?: fc.Arbitrary<T>;
  check?: (instance: T) => Outcome;
  /** Instances checked and the fast-check seed, recorded so every run is reproducible. */
  runs: number;
  runSeed: number;
  /** A hand-picked counterexample of a false claim, checkable by hand; the runner verifies it fails. */
  witness?: T;
  /** An exact (symbolic or exact-arithmetic) part of the check, run once. */
  exact?: () => { ok: boolean; note: string };
  /** Takes seconds rather than milliseconds (a statistical simulation); the tests run it in its own file. */
  heavy?: boolean;
  /** Skip fast-check's shrinking (for expensive statistical checks whose instance is only a seed). */
  noShrink?: boolean;
  /** Renders an instance for the report (defaults to the instance itself). */
  show?: (instance: T) => unknown;
}

/** Checks one claim and reports the verdict, the worst margin and any counterexample. */
export function runClaim<T>(claim: Claim<T>, runSeed: number = claim.runSeed): ClaimReport {
  const base = {
    id: claim.id,
    seed: claim.seed,
    statement: claim.statement,
    citation: claim.citation,
    recorded: claim.recorded,
    marginUnit: claim.marginUnit,
    tolerance: claim.tolerance,
    runSeed,
    ...(claim.correctionOf ? { correctionOf: claim.correctionOf } : {}),
  };
  if (claim.notCheckable !== undefined || !claim.arbitrary || !claim.check) {
    return {
      ...base,
      verdict: "not-checkable",
      margin: null,
      runs: 0,
      reason: claim.notCheckable ?? "no generator or check is defined",
    };
  }
  const check = claim.check;
  const show = claim.show ?? ((x: T) => x);
  const safeCheck = (x: T): Outcome => {
    try {
      return check(x);
    } catch (e) {
      return { slack: Number.NaN, note: `numeric failure: ${(e as Error).message}` };
    }
  };
  let worst = Number.POSITIVE_INFINITY;
  const property = fc.property(claim.arbitrary, (x) => {
    const o = safeCheck(x);
    if (Number.isNaN(o.slack)) return false;
    worst = Math.min(worst, o.slack);
    return o.slack >= 0;
  });
  const result = fc.check(property, {
    seed: runSeed,
    numRuns: claim.runs,
    endOnFailure: claim.noShrink === true,
  });
  const exact = claim.exact?.();
  const exactField = exact ? { exact: `${exact.ok ? "ok" : "FAILS"}: ${exact.note}` } : {};
  let witnessField = {};
  if (claim.witness !== undefined) {
    const w = safeCheck(claim.witness);
    witnessField = { witness: { instance: show(claim.witness), slack: w.slack, note: w.note } };
  }
  if (result.failed && result.counterexample) {
    const cx = result.counterexample[0] as T;
    const o = safeCheck(cx);
    if (Number.isNaN(o.slack)) {
      // a numeric failure (NaN, divergence, a thrown NumericFailureError) is no verdict on the claim
      return {
        ...base,
        verdict: "not-checkable",
        margin: null,
        runs: result.numRuns,
        reason: `${o.note ?? "the check returned NaN"} at instance ${JSON.stringify(show(cx))}`,
      };
    }
    return {
      ...base,
      ...exactField,
      ...witnessField,
      verdict: "fails",
      margin: o.slack,
      runs: result.numRuns,
      counterexample: show(cx),
      ...(o.note ? { counterexampleNote: o.note } : {}),
    };
  }
  if (result.failed) {
    // fast-check failed without an instance (e.g. a generator error): not a verdict on the claim.
    return {
      ...base,
      verdict: "not-checkable",
      margin: null,
      runs: result.numRuns,
      reason: String(result.errorInstance),
    };
  }
  if (claim.witness !== undefined) {
    const w = safeCheck(claim.witness);
    if (!(w.slack >= 0)) {
      return {
        ...base,
        ...exactField,
        ...witnessField,
        verdict: "fails",
        margin: w.slack,
        runs: result.numRuns,
        counterexample: show(claim.witness),
        ...(w.note ? { counterexampleNote: w.note } : {}),
      };
    }
  }
  if (exact && !exact.ok) {
    return {
      ...base,
      ...exactField,
      verdict: "fails",
      margin: worst,
      runs: result.numRuns,
      counterexampleNote: exact.note,
    };
  }
  return {
    ...base,
    ...exactField,
    ...witnessField,
    verdict: claim.addedAssumption ? "holds-under-assumption" : "holds",
    margin: worst,
    runs: result.numRuns,
    ...(claim.addedAssumption ? { assumption: claim.addedAssumption } : {}),
  };
}
