/**
 * The whole symbolic analysis of a rule as one plain, JSON-ready report: Jacobian,
 * characteristic polynomial, fixed points with classification, polynomial invariants and the
 * gradient test. Expressions are strings in the rule language's syntax (eigenvalues may use
 * `i`, the imaginary unit). Non-polynomial rules get the Jacobian and numeric fixed points;
 * the parts that need polynomials are left out with a note saying why.
 */
import { type Expr, formatExpr, Poly, toRationalFunction } from "../expr/index.ts";
import { paramValues, type RuleSpec, symbolicParams } from "../rules/index.ts";
import { charpoly, formatByPowers, LAMBDA } from "./charpoly.ts";
import { isRationalField, polyField } from "./field.ts";
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
  /** Parameter names with the values used for classification. */
  params: Record<string, number>;
  /** Parameters without a value: they stay symbolic, and points are not classified. */
  symbolicParams: string[];
  field: string[];
  /** Rows of the Jacobian d f_i / d x_j. */
  jacobian: string[][];
  /**
   * det(lambda I - J), or null for rules with functions. For a rational field f = F / D it is
   * the characteristic polynomial of F's Jacobian (see `denominator`).
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
    potential?: string;
    symmetricPart?: string[][];
    antisymmetricPart?: string[][];
    witness?: { point: Record<string, string>; row: number; column: number; value: string };
  };
  notes: string[];
}

export interface AnalyzeOptions extends FixedPointOptions, InvariantOptions {}

/** Runs every analysis on the rule; see the module comment. */
export function analyze(rule: RuleSpec, options: AnalyzeOptions = {}): AnalysisReport {
  const params = paramValues(rule);
  const symbolic = symbolicParams(rule);
  const polynomial = isRationalField(rule);
  const notes: string[] = [];
  const fp = fixedPoints(rule, options);
  const degree = options.degree ?? 2;
  const paramDegree = options.paramDegree ?? 1;
  const base = {
    rule: rule.name,
    kind: rule.kind,
    ...(rule.source ? { source: rule.source } : {}),
    ...(rule.description ? { description: rule.description } : {}),
    states: [...rule.states],
    params,
    symbolicParams: symbolic,
    field: rule.field.map(formatExpr),
    fixedPoints: fp.fixedPoints,
    fixedPointsComplete: fp.complete,
    fixedPointsCompleteness: fp.completeness,
    invariantSearch: { degree, paramDegree },
  };
  if (fp.newtonFailures.length > 0) {
    notes.push(
      `${fp.newtonFailures.length} Newton starts did not converge (${[...new Set(fp.newtonFailures.map((f) => f.reason))].join("; ")})`,
    );
  }
  notes.push(...fp.notes);
  if (!polynomial) {
    notes.push(
      "field with functions: charpoly, invariants and the exact gradient test need polynomials or rational functions; fixed points are numeric",
    );
    return {
      ...base,
      jacobian: jacobianExpr(rule).map((row) => row.map(formatExpr)),
      charpoly: null,
      invariants: [],
      gradient: { isGradient: false, of: rule.kind === "flow" ? "f" : "f(x) - x" },
      notes: [...notes, "gradient test not decided for non-polynomial fields (reported false)"],
    };
  }
  const pf = polyField(rule, "analyze", { rational: true });
  const D = pf.denominator;
  const rational = !D.equals(Poly.ONE);
  const dependsOnStates = D.variables().some((v) => rule.states.includes(v));
  // the cleared field F = D f: for a flow it has the same orbits and first integrals; when D is
  // free of the states, f's Jacobian is F's divided by D and a potential of F divided by D is one of f
  const cleared = rational ? { ...pf, g: rule.kind === "flow" ? pf.f : pf.g } : pf;
  const J = jacobian(cleared);
  const g = rational && (dependsOnStates || rule.kind === "map") ? undefined : gradientTest(cleared);
  const strings = (m: { toString(): string }[][]) => m.map((row) => row.map(String));
  if (rule.kind === "map")
    notes.push(
      "map: eigenvalues are multipliers (stable inside the unit circle); the gradient test is of f(x) - x",
    );
  if (rational) {
    notes.push(
      `rational field f = F / D with D = ${D}: the Jacobian shown is f's; charpoly${g ? ", potential" : ""} and invariants are of F = D f ` +
        `(${dependsOnStates ? "f's orbits are F's, time rescaled by D, where D != 0" : `f's eigenvalues are F's divided by ${D}`})`,
    );
    if (!g) notes.push("gradient test not decided for a rational field whose denominator depends on the states (or a map)");
  }
  notes.push(
    symbolic.length > 0
      ? `parameters without value (${symbolic.join(", ")}) stay symbolic: points are not classified; set values with --param NAME=VALUE`
      : `fixed points classified at ${
          rule.params.map((p) => `${p.name} = ${p.default}`).join(", ") || "no parameters"
        }`,
  );
  const potential = g?.potential ? (rational ? `(${g.potential})/(${D})` : g.potential.toString()) : undefined;
  const invariants =
    rule.kind === "flow" || !rational
      ? findInvariants(cleared, {
          degree,
          paramDegree,
          ...(options.maxMonomials ? { maxMonomials: options.maxMonomials } : {}),
        }).map(String)
      : [];
  if (rule.kind === "map" && rational) notes.push("invariants not searched for a rational map");
  return {
    ...base,
    jacobian: rational ? jacobianExpr(rule).map((row) => row.map(rationalText)) : strings(J),
    charpoly: formatByPowers(charpoly(J), LAMBDA),
    ...(rational ? { denominator: D.toString() } : {}),
    invariants,
    gradient: {
      isGradient: g?.isGradient ?? false,
      of: rule.kind === "flow" ? "f" : "f(x) - x",
      ...(potential ? { potential } : {}),
      ...(g?.symmetricPart ? { symmetricPart: strings(g.symmetricPart) } : {}),
      ...(g?.antisymmetricPart ? { antisymmetricPart: strings(g.antisymmetricPart) } : {}),
      ...(g?.witness ? { witness: g.witness } : {}),
    },
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
    const how = fp.certified ? ` [certified: unique real root within ±${fp.certified.radius.toExponential(1)}]` : "";
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
    `gradient test (of ${r.gradient.of}): ${r.gradient.isGradient ? "a gradient" : "not a gradient"}`,
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
  if (r.notes.length > 0) L.push("", "notes:", ...r.notes.map((n) => `  ${n}`));
  return L.join("\n");
}
