/**
 * The whole symbolic analysis of a rule as one plain, JSON-ready report: Jacobian,
 * characteristic polynomial, fixed points with classification, polynomial invariants and the
 * gradient test. Expressions are strings in the rule language's syntax (eigenvalues may use
 * `i`, the imaginary unit). Non-polynomial rules get the Jacobian and numeric fixed points;
 * the parts that need polynomials are left out with a note saying why.
 */
import { formatExpr, isPolynomial } from "../expr/index.ts";
import { defaultParams, type RuleSpec } from "../rules/spec.ts";
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
  /** det(lambda I - J), or null for non-polynomial rules. */
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
  const params = defaultParams(rule);
  const polynomial = rule.field.every(isPolynomial);
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
    field: rule.field.map(formatExpr),
    fixedPoints: fp.fixedPoints,
    fixedPointsComplete: fp.complete,
    invariantSearch: { degree, paramDegree },
  };
  if (fp.newtonFailures.length > 0) {
    notes.push(
      `${fp.newtonFailures.length} Newton starts did not converge (${[...new Set(fp.newtonFailures.map((f) => f.reason))].join("; ")})`,
    );
  }
  if (!polynomial) {
    notes.push(
      "non-polynomial field: charpoly, invariants and the exact gradient test need polynomials; fixed points are numeric",
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
  const pf = polyField(rule, "analyze");
  const J = jacobian(pf);
  const g = gradientTest(pf);
  const strings = (m: { toString(): string }[][]) => m.map((row) => row.map(String));
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
  return {
    ...base,
    jacobian: strings(J),
    charpoly: formatByPowers(charpoly(J), LAMBDA),
    invariants: findInvariants(pf, {
      degree,
      paramDegree,
      ...(options.maxMonomials ? { maxMonomials: options.maxMonomials } : {}),
    }).map(String),
    gradient: {
      isGradient: g.isGradient,
      of: rule.kind === "flow" ? "f" : "f(x) - x",
      ...(g.potential ? { potential: g.potential.toString() } : {}),
      ...(g.symmetricPart ? { symmetricPart: strings(g.symmetricPart) } : {}),
      ...(g.antisymmetricPart ? { antisymmetricPart: strings(g.antisymmetricPart) } : {}),
      ...(g.witness ? { witness: g.witness } : {}),
    },
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
