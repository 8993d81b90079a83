/**
 * The whole symbolic analysis of a rule as one plain, JSON-ready report: Jacobian,
 * characteristic polynomial, fixed points with classification, polynomial invariants and the
 * gradient test. Expressions are strings in the rule language's syntax (eigenvalues may use
 * `i`, the imaginary unit). Non-polynomial rules get the Jacobian and numeric fixed points;
 * the parts that need polynomials are left out with a note saying why. Every step runs under a
 * time budget ({@link Budget}); what a step could not finish is listed with the bound it hit.
 */
import { formatExpr, isPolynomial } from "../expr/index.ts";
import { defaultParams, type RuleSpec } from "../rules/spec.ts";
import { Budget, BudgetExceededError } from "../util/budget.ts";
import { InvalidArgumentError, LearndynError, requirePositiveInteger } from "../util/errors.ts";
import { charpoly, formatByPowers, LAMBDA } from "./charpoly.ts";
import { polyField } from "./field.ts";
import { type FixedPoint, type FixedPointOptions, fixedPoints } from "./fixed-points.ts";
import { gradientTest } from "./gradient.ts";
import { findInvariants, type InvariantOptions } from "./invariants.ts";
import { jacobian, jacobianExpr } from "./jacobian.ts";

export interface AnalysisReport {
  rule: string;
  kind: "flow" | "map";
  source?: string;
  description?: string;
  states: string[];
  /** Parameter names with the default values used for classification. */
  params: Record<string, number>;
  field: string[];
  /** Rows of the Jacobian d f_i / d x_j. */
  jacobian: string[][];
  /** det(lambda I - J), or null for non-polynomial rules and when the step did not finish. */
  charpoly: string | null;
  fixedPoints: FixedPoint[];
  /** Whether fixed points were found exactly and completely (no numeric fallback). */
  fixedPointsComplete: boolean;
  invariants: string[];
  /** Ansatz used for the invariant search. */
  invariantSearch: { degree: number; paramDegree: number };
  gradient: {
    isGradient: boolean;
    /** The test's subject: "f" for a flow, "f(x) - x" (displacement) for a map. */
    of: string;
    /** Why the test was not decided (then `isGradient` is false and means nothing). */
    undecided?: string;
    potential?: string;
    symmetricPart?: string[][];
    antisymmetricPart?: string[][];
    witness?: { point: Record<string, string>; row: number; column: number; value: string };
  };
  /** The time budget, and the time spent when a step did not finish (seconds). */
  budget: { limitSeconds: number; elapsedSeconds?: number };
  /**
   * Steps that did not finish, each with the bound it hit (the time budget, a size bound) or
   * the numeric failure that stopped it; empty when the analysis is complete. Their parts of
   * the report are empty (charpoly null, no fixed points, no invariants, gradient undecided).
   */
  unfinished: { step: AnalysisStep; reason: string }[];
  notes: string[];
}

/** The steps of an analysis, in the order they run. */
export type AnalysisStep = "field" | "jacobian" | "charpoly" | "gradient" | "fixedPoints" | "invariants";

/** Time budget of an analysis when none is given, in seconds. */
export const DEFAULT_ANALYSIS_TIMEOUT_SECONDS = 20;

export interface AnalyzeOptions extends FixedPointOptions, InvariantOptions {
  /**
   * Time budget in seconds for the whole analysis (default
   * {@link DEFAULT_ANALYSIS_TIMEOUT_SECONDS}); ignored when `budget` is given.
   */
  timeoutSeconds?: number;
}

/**
 * Runs every analysis on the rule; see the module comment. Each step runs under the time budget;
 * a step that hits it, a size bound or a numeric failure is listed in `unfinished` with the
 * reason, and the steps before it keep their results. After the time budget runs out no further
 * step starts; after another bound the remaining steps still run.
 */
export function analyze(rule: RuleSpec, options: AnalyzeOptions = {}): AnalysisReport {
  const params = defaultParams(rule);
  const degree = options.degree ?? 2;
  const paramDegree = options.paramDegree ?? 1;
  requirePositiveInteger("analyze", "degree", degree);
  if (!Number.isInteger(paramDegree) || paramDegree < 0) {
    throw new InvalidArgumentError("analyze", "paramDegree", "a non-negative integer", paramDegree);
  }
  const timeout = options.timeoutSeconds ?? DEFAULT_ANALYSIS_TIMEOUT_SECONDS;
  if (options.budget === undefined && !(timeout > 0)) {
    throw new InvalidArgumentError("analyze", "timeoutSeconds", "a positive number of seconds", timeout);
  }
  const budget = options.budget ?? new Budget(timeout);
  const polynomial = rule.field.every(isPolynomial);
  const notes: string[] = [];
  const unfinished: AnalysisReport["unfinished"] = [];
  let outOfTime = false;
  /** fn's result, or undefined (recorded in `unfinished`) when it hits a bound. */
  const step = <T>(name: AnalysisStep, fn: () => T): T | undefined => {
    if (outOfTime) {
      unfinished.push({ step: name, reason: "not started: the time budget was spent" });
      return undefined;
    }
    try {
      return budget.run(name, fn);
    } catch (e) {
      if (!(e instanceof LearndynError) || e instanceof InvalidArgumentError) throw e;
      outOfTime ||= e instanceof BudgetExceededError;
      unfinished.push({ step: name, reason: e instanceof BudgetExceededError ? e.detail : e.message });
      return undefined;
    }
  };
  const of = rule.kind === "flow" ? "f" : "f(x) - x";
  const strings = (m: { toString(): string }[][]) => m.map((row) => row.map(String));

  const pf = polynomial ? step("field", () => polyField(rule, "analyze")) : undefined;
  const J = pf ? step("jacobian", () => jacobian(pf)) : undefined;
  const jacobianText = J ? strings(J) : jacobianExpr(rule).map((row) => row.map(formatExpr));
  const P = J ? step("charpoly", () => formatByPowers(charpoly(J), LAMBDA)) : undefined;
  const g = pf ? step("gradient", () => gradientTest(pf)) : undefined;
  const fp = step("fixedPoints", () => fixedPoints(rule, { ...options, budget }));
  const invariants = pf
    ? step("invariants", () =>
        findInvariants(pf, {
          degree,
          paramDegree,
          budget,
          ...(options.maxMonomials ? { maxMonomials: options.maxMonomials } : {}),
        }).map(String),
      )
    : undefined;

  if (fp && fp.newtonFailures.length > 0) {
    notes.push(
      `${fp.newtonFailures.length} Newton starts did not converge (${[...new Set(fp.newtonFailures.map((f) => f.reason))].join("; ")})`,
    );
  }
  if (!polynomial) {
    notes.push(
      "non-polynomial field: charpoly, invariants and the exact gradient test need polynomials; fixed points are numeric",
    );
  } else {
    if (rule.kind === "map")
      notes.push(
        "map: eigenvalues are multipliers (stable inside the unit circle); the gradient test is of f(x) - x",
      );
    notes.push(
      `fixed points classified at ${
        Object.entries(params)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ") || "no parameters"
      }`,
    );
  }
  const undecided = !polynomial
    ? "not decided for non-polynomial fields"
    : (unfinished.find((u) => u.step === "gradient" || u.step === "field")?.reason ?? "not decided");
  return {
    rule: rule.name,
    kind: rule.kind,
    ...(rule.source ? { source: rule.source } : {}),
    ...(rule.description ? { description: rule.description } : {}),
    states: [...rule.states],
    params,
    field: rule.field.map(formatExpr),
    jacobian: jacobianText,
    charpoly: P ?? null,
    fixedPoints: fp?.fixedPoints ?? [],
    fixedPointsComplete: fp?.complete ?? false,
    invariants: invariants ?? [],
    invariantSearch: { degree, paramDegree },
    gradient: g
      ? {
          isGradient: g.isGradient,
          of,
          ...(g.potential ? { potential: g.potential.toString() } : {}),
          ...(g.symmetricPart ? { symmetricPart: strings(g.symmetricPart) } : {}),
          ...(g.antisymmetricPart ? { antisymmetricPart: strings(g.antisymmetricPart) } : {}),
          ...(g.witness ? { witness: g.witness } : {}),
        }
      : { isGradient: false, of, undecided },
    budget: {
      limitSeconds: budget.limitSeconds,
      ...(unfinished.length > 0 ? { elapsedSeconds: budget.elapsedSeconds() } : {}),
    },
    unfinished,
    notes,
  };
}

/** A readable multi-line report of an analysis. */
export function formatReport(r: AnalysisReport): string {
  const L: string[] = [];
  L.push(`rule ${r.rule} (${r.kind}${r.source ? `; ${r.source}` : ""})`);
  if (r.description) L.push(`  ${r.description}`);
  L.push(`states: ${r.states.join(", ")}`);
  L.push(
    `params: ${
      Object.entries(r.params)
        .map(([k, v]) => `${k} = ${v}`)
        .join(", ") || "none"
    }`,
  );
  for (const [i, s] of r.states.entries())
    L.push(`  ${r.kind === "flow" ? `d/dt ${s}` : `${s}'`} = ${r.field[i]}`);
  L.push("", "Jacobian:");
  for (const row of r.jacobian) L.push(`  [ ${row.join(", ")} ]`);
  if (r.charpoly) L.push("", `characteristic polynomial det(${LAMBDA} I - J):`, `  ${r.charpoly}`);
  L.push(
    "",
    `fixed points${r.fixedPointsComplete ? "" : " (exact decomposition incomplete: numeric search added)"}:`,
  );
  for (const fp of r.fixedPoints) {
    const where = fp.point
      ? `point (${r.states.map((s) => fp.point![s]).join(", ")})`
      : `family ${fp.family}${fp.free ? ` (free: ${fp.free.join(", ")})` : ""}, dimension ${fp.dimension}`;
    const numeric =
      fp.method === "newton"
        ? `point (${r.states.map((s) => fp.value[s]!.toPrecision(8)).join(", ")})`
        : where;
    L.push(`  ${numeric}${fp.atDefaults ? " [at default params]" : ""}`);
    L.push(`    class: ${fp.class}${fp.stability ? `, samples ${fp.stability}` : ""}`);
    L.push(`    eigenvalues: ${fp.eigenvalues.join(", ")}${fp.eigenvaluesSymbolic ? "" : " (numeric)"}`);
    if (fp.stableWhere) L.push(`    stable where: ${fp.stableWhere}`);
    L.push(`    residual ${fp.residual.toExponential(2)} (tolerance ${fp.tolerance.toExponential(2)})`);
  }
  L.push(
    "",
    `invariants (polynomial, state degree <= ${r.invariantSearch.degree}, parameter degree <= ${r.invariantSearch.paramDegree}):`,
  );
  if (r.invariants.length === 0) L.push("  none");
  for (const inv of r.invariants) L.push(`  ${inv}`);
  L.push(
    "",
    `gradient test (of ${r.gradient.of}): ${
      r.gradient.undecided
        ? `undecided (${r.gradient.undecided})`
        : r.gradient.isGradient
          ? "a gradient"
          : "not a gradient"
    }`,
  );
  if (r.gradient.potential)
    L.push(`  potential L = ${r.gradient.potential}   (${r.gradient.of} = -grad L, up to a constant)`);
  if (r.gradient.antisymmetricPart) {
    L.push("  antisymmetric part of the Jacobian:");
    for (const row of r.gradient.antisymmetricPart) L.push(`    [ ${row.join(", ")} ]`);
  }
  if (r.gradient.witness) {
    const w = r.gradient.witness;
    L.push(
      `  at ${Object.entries(w.point)
        .map(([k, v]) => `${k} = ${v}`)
        .join(", ")}: antisymmetric entry (${w.row + 1}, ${w.column + 1}) = ${w.value}`,
    );
  }
  if (r.unfinished.length > 0) {
    L.push(
      "",
      `unfinished steps (time budget ${r.budget.limitSeconds} s, ${r.budget.elapsedSeconds?.toFixed(1)} s spent):`,
    );
    for (const u of r.unfinished) L.push(`  ${u.step}: ${u.reason}`);
  }
  if (r.notes.length > 0) L.push("", "notes:", ...r.notes.map((n) => `  ${n}`));
  return L.join("\n");
}
