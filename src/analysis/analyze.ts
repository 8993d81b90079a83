/**
 * The whole symbolic analysis of a rule as one plain, JSON-ready report: Jacobian,
 * characteristic polynomial, fixed points with classification, polynomial invariants and the
 * gradient test. Expressions are strings in the rule language's syntax (eigenvalues may use
 * `i`, the imaginary unit). A rational field is analyzed over its common denominator (see
 * {@link polyField}); rules with functions (exp, tanh, ...) get the Jacobian and numeric fixed
 * points, the parts that need polynomials left out with a note saying why. Every step runs under a
 * time budget ({@link Budget}); what a step could not finish is listed with the bound it hit.
 */
import { type Expr, formatExpr, Poly, toRationalFunction } from "../expr/index.ts";
import { paramValues, type RuleSpec, symbolicParams } from "../rules/spec.ts";
import { Budget, BudgetExceededError } from "../util/budget.ts";
import { InvalidArgumentError, LearndynError, requirePositiveInteger } from "../util/errors.ts";
import { charpoly, formatByPowers, LAMBDA } from "./charpoly.ts";
import { isRationalField, polyField } from "./field.ts";
import { type FixedPoint, type FixedPointOptions, fixedPoints } from "./fixed-points.ts";
import { gradientTest } from "./gradient.ts";
import { type InvariantOptions, searchInvariants } from "./invariants.ts";
import { jacobian, jacobianExpr } from "./jacobian.ts";

export interface AnalysisReport {
  rule: string;
  kind: "flow" | "map";
  source?: string;
  description?: string;
  states: string[];
  /** Parameter names with the values used for classification. */
  params: Record<string, number>;
  /** Parameters without a value: they stay symbolic, and points are not classified. */
  symbolicParams: string[];
  field: string[];
  /** Rows of the Jacobian d f_i / d x_j. */
  jacobian: string[][];
  /**
   * det(lambda I - J), or null for rules with functions and when the step did not finish. For a
   * rational field f = F / D it is the characteristic polynomial of F's Jacobian (see
   * `denominator`).
   */
  charpoly: string | null;
  /** A rational field's common denominator D (f = F / D); absent for polynomial fields. */
  denominator?: string;
  fixedPoints: FixedPoint[];
  /** Whether every fixed point is proven found (exactly, or every root certified and counted). */
  fixedPointsComplete: boolean;
  /** How completeness was proven, or why not. */
  fixedPointsCompleteness: string;
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
   * the numeric failure that stopped it; empty when the analysis is complete. A step stopped
   * before it produced anything leaves its part of the report empty (charpoly null, gradient
   * undecided); the fixed-point search and the invariant search keep what they found before
   * the bound (the reason names the stage that hit it, e.g. homotopy path tracking).
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
  const params = paramValues(rule);
  const symbolic = symbolicParams(rule);
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
  const polynomial = isRationalField(rule);
  const notes: string[] = [];
  const unfinished: AnalysisReport["unfinished"] = [];
  let outOfTime = false;
  /** The reason of a bound: the stage that hit it when it is inside the step. */
  const reasonOf = (name: AnalysisStep, e: LearndynError) =>
    e instanceof BudgetExceededError ? (e.step === name ? e.detail : `${e.step}: ${e.detail}`) : e.message;
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
      unfinished.push({ step: name, reason: reasonOf(name, e) });
      return undefined;
    }
  };
  /** Records a bound that stopped a step which kept its partial results. */
  const stoppedInside = (name: AnalysisStep, e: LearndynError | undefined, kept: string) => {
    if (!e) return;
    outOfTime ||= e instanceof BudgetExceededError;
    unfinished.push({ step: name, reason: `${reasonOf(name, e)}; ${kept}` });
  };
  const of = rule.kind === "flow" ? "f" : "f(x) - x";
  const strings = (m: { toString(): string }[][]) => m.map((row) => row.map(String));

  const pf = polynomial ? step("field", () => polyField(rule, "analyze", { rational: true })) : undefined;
  const D = pf?.denominator;
  const rational = D !== undefined && !D.equals(Poly.ONE);
  const dependsOnStates = D?.variables().some((v) => rule.states.includes(v)) ?? false;
  // the cleared field F = D f: for a flow it has the same orbits and first integrals; when D is
  // free of the states, f's Jacobian is F's divided by D and a potential of F divided by D is one of f
  const cleared = pf && rational ? { ...pf, g: rule.kind === "flow" ? pf.f : pf.g } : pf;
  const J = cleared ? step("jacobian", () => jacobian(cleared)) : undefined;
  const jacobianText =
    (J &&
      (rational
        ? step("jacobian", () => jacobianExpr(rule).map((row) => row.map(rationalText)))
        : strings(J))) ??
    jacobianExpr(rule).map((row) => row.map(formatExpr));
  const P = J ? step("charpoly", () => formatByPowers(charpoly(J), LAMBDA)) : undefined;
  const gradientUndecidable = rational && (dependsOnStates || rule.kind === "map");
  const g = cleared && !gradientUndecidable ? step("gradient", () => gradientTest(cleared)) : undefined;
  const fp = step("fixedPoints", () => fixedPoints(rule, { ...options, budget }));
  stoppedInside("fixedPoints", fp?.stoppedBy, "the fixed points found before it are kept");
  const invariantsSearched = cleared !== undefined && (rule.kind === "flow" || !rational);
  const inv = invariantsSearched
    ? step("invariants", () =>
        searchInvariants(cleared, {
          degree,
          paramDegree,
          budget,
          ...(options.maxMonomials ? { maxMonomials: options.maxMonomials } : {}),
        }),
      )
    : undefined;
  stoppedInside("invariants", inv?.stoppedBy, "the invariants found at lower degrees are kept");

  if (fp && fp.newtonFailures.length > 0) {
    notes.push(
      `${fp.newtonFailures.length} Newton starts did not converge (${[...new Set(fp.newtonFailures.map((f) => f.reason))].join("; ")})`,
    );
  }
  if (fp) notes.push(...fp.notes);
  if (!polynomial) {
    notes.push(
      "field with functions: charpoly, invariants and the exact gradient test need polynomials or rational functions; fixed points are numeric",
    );
  } else {
    if (rule.kind === "map")
      notes.push(
        "map: eigenvalues are multipliers (stable inside the unit circle); the gradient test is of f(x) - x",
      );
    if (rational) {
      notes.push(
        `rational field f = F / D with D = ${D}: the Jacobian shown is f's; charpoly${g?.potential ? ", potential" : ""} and invariants are of F = D f ` +
          `(${dependsOnStates ? "f's orbits are F's, time rescaled by D, where D != 0" : `f's eigenvalues are F's divided by ${D}`})`,
      );
      if (rule.kind === "map") notes.push("invariants not searched for a rational map");
    }
    notes.push(
      symbolic.length > 0
        ? `parameters without value (${symbolic.join(", ")}) stay symbolic: points are not classified; set values with --param NAME=VALUE`
        : `fixed points classified at ${rule.params.map((p) => `${p.name} = ${p.default}`).join(", ") || "no parameters"}`,
    );
  }
  const undecided = !polynomial
    ? "not decided for fields with functions"
    : gradientUndecidable
      ? "not decided for a rational field whose denominator depends on the states, or a rational map"
      : (unfinished.find((u) => u.step === "gradient" || u.step === "field" || u.step === "jacobian")
          ?.reason ?? "not decided");
  const potential = g?.potential
    ? rational
      ? `(${g.potential})/(${D})`
      : g.potential.toString()
    : undefined;
  return {
    rule: rule.name,
    kind: rule.kind,
    ...(rule.source ? { source: rule.source } : {}),
    ...(rule.description ? { description: rule.description } : {}),
    states: [...rule.states],
    params,
    symbolicParams: symbolic,
    field: rule.field.map(formatExpr),
    jacobian: jacobianText,
    charpoly: P ?? null,
    ...(rational ? { denominator: D!.toString() } : {}),
    fixedPoints: fp?.fixedPoints ?? [],
    fixedPointsComplete: fp?.complete ?? false,
    fixedPointsCompleteness: fp?.completeness ?? "not searched to the end (see unfinished)",
    invariants: inv?.invariants.map(String) ?? [],
    invariantSearch: { degree, paramDegree },
    gradient: g
      ? {
          isGradient: g.isGradient,
          of,
          ...(potential ? { potential } : {}),
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

/** An expression as one reduced quotient "N" or "(N)/(D)". */
function rationalText(e: Expr): string {
  const { num, den } = toRationalFunction(e);
  if (den.equals(Poly.ONE)) return num.toString();
  const paren = (p: Poly) => (p.size > 1 ? `(${p})` : `${p}`);
  return `${paren(num)}/${paren(den)}`;
}

/** A readable multi-line report of an analysis. */
export function formatReport(r: AnalysisReport): string {
  const L: string[] = [];
  L.push(`rule ${r.rule} (${r.kind}${r.source ? `; ${r.source}` : ""})`);
  if (r.description) L.push(`  ${r.description}`);
  L.push(`states: ${r.states.join(", ")}`);
  L.push(
    `params: ${
      [
        ...Object.entries(r.params).map(([k, v]) => `${k} = ${v}`),
        ...r.symbolicParams.map((k) => `${k} (symbolic)`),
      ].join(", ") || "none"
    }`,
  );
  for (const [i, s] of r.states.entries())
    L.push(`  ${r.kind === "flow" ? `d/dt ${s}` : `${s}'`} = ${r.field[i]}`);
  L.push("", "Jacobian:");
  for (const row of r.jacobian) L.push(`  [ ${row.join(", ")} ]`);
  if (r.charpoly) L.push("", `characteristic polynomial det(${LAMBDA} I - J):`, `  ${r.charpoly}`);
  L.push(
    "",
    `fixed points (${r.fixedPointsComplete ? "complete" : "not proven complete"}: ${r.fixedPointsCompleteness}):`,
  );
  for (const fp of r.fixedPoints) {
    const where = fp.point
      ? `point (${r.states.map((s) => fp.point![s]).join(", ")})`
      : `family ${fp.family}${fp.free ? ` (free: ${fp.free.join(", ")})` : ""}, dimension ${fp.dimension}`;
    const numeric =
      fp.method !== "exact"
        ? `point (${r.states.map((s) => fp.value[s]!.toPrecision(12)).join(", ")})`
        : where;
    const how = fp.certified
      ? ` [certified: unique real root within ±${fp.certified.radius.toExponential(1)}]`
      : "";
    L.push(`  ${numeric}${fp.atDefaults ? " [at the parameter values]" : ""}${how}`);
    L.push(`    class: ${fp.class}${fp.stability ? `, samples ${fp.stability}` : ""}`);
    L.push(`    eigenvalues: ${fp.eigenvalues.join(", ")}${fp.eigenvaluesSymbolic ? "" : " (numeric)"}`);
    if (fp.stableWhere === "never") L.push(`    linearly stable nowhere: ${fp.neverStableBecause}`);
    else if (fp.stableWhere) L.push(`    stable where: ${fp.stableWhere}`);
    if (Number.isFinite(fp.residual))
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
