/**
 * Fixed points of a rule: zeros of f for a flow, solutions of f(x) = x for a map.
 *
 * Polynomial rules are solved exactly where elimination succeeds. A common factor G of all
 * components of g (multivariate gcd) vanishes on a whole family {G = 0} (for the toys, the
 * solution manifold w1*w2 = s, seed 001 sec. 4.1); the cofactors g_i / G are decomposed by
 * {@link solvePolynomialSystem}, which may give isolated points or further (explicit)
 * families. Whatever the exact steps cannot solve, and every non-polynomial rule, goes to
 * Newton's method with deflation from seeded starts.
 *
 * Each fixed point is classified from its Jacobian by system kind ({@link classifyEigenvalues}).
 * Eigenvalues are given symbolically where the characteristic polynomial factors into degrees
 * <= 2: at isolated points in the parameters, on a family after substituting the family's
 * equation (e.g. s = w1*w2), so the curl toy gives 0 and w1^2 - w2^2 on its manifold
 * (seed 001, text after eq. 9). Classification uses the default parameter values; a family is
 * sampled at seeded points on it to say where it is stable.
 */
import {
  type Complex,
  compileExpr,
  contentIn,
  numericRoots,
  Poly,
  polyGcdAll,
  Rational,
} from "../expr/index.ts";
import { defaultParams, type RuleSpec } from "../rules/spec.ts";
import type { Budget } from "../util/budget.ts";
import { NumericFailureError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { charpoly, closedFormEigenvalues, LAMBDA, numericEigenvalues } from "./charpoly.ts";
import {
  boundaryTolerance,
  classifyEigenvalues,
  growth,
  matrixEigenvalues,
  type PointClass,
} from "./classify.ts";
import { exactDefaults, type PolyField, polyField } from "./field.ts";
import { jacobian, jacobianExpr } from "./jacobian.ts";
import { newtonWithDeflation } from "./newton.ts";
import { type SolvedComponent, solvePolynomialSystem, stateFactor } from "./solve.ts";

export type FixedPointClass = PointClass | "normally hyperbolic family" | "non-hyperbolic family";

export interface FixedPoint {
  /** Exact coordinates (rule-language text, possibly in the parameters); absent for families. */
  point?: Record<string, string>;
  /** A family: its defining equations, e.g. "w1*w2 = s" or "a1 = 0, a2 = 0". */
  family?: string;
  /** 0 for a point, else the family's dimension. */
  dimension: number;
  /** Free coordinates of an explicit family. */
  free?: string[];
  /** Eigenvalues: closed forms (with i the imaginary unit) or numbers at the default parameters. */
  eigenvalues: string[];
  /** Whether `eigenvalues` are closed forms (in the parameters, unless `atDefaults`). */
  eigenvaluesSymbolic: boolean;
  /**
   * Points: from the eigenvalues at the default parameters. Families: "normally hyperbolic
   * family" when, at every sampled point, the eigenvalues beyond the family's `dimension`
   * tangent ones (0 for a flow, 1 for a map) are off the stability boundary.
   */
  class: FixedPointClass;
  /** Families: where the transverse eigenvalues are stable, as inequalities (flows: real parts < 0). */
  stableWhere?: string;
  /** Families: stability of the sampled points ("stable", "unstable" or "mixed"). */
  stability?: "stable" | "unstable" | "mixed";
  /** Numeric coordinates at the default parameters (points), or of a sample point (families). */
  value: Record<string, number>;
  /** max |g_i| at `value` (families: over all samples), with the bound it is accepted under. */
  residual: number;
  tolerance: number;
  /** "exact" if located symbolically, "newton" if found numerically. */
  method: "exact" | "newton";
  /** The location used the default parameter values (not valid for other values). */
  atDefaults: boolean;
}

export interface FixedPointOptions {
  /** Seed for Newton starts and family samples (default 1). */
  seed?: number;
  /** Newton starts (default 40). */
  starts?: number;
  /** Samples per family (default 24). */
  samples?: number;
  /** Time budget, checked in every loop (default: none). */
  budget?: Budget;
}

export interface FixedPointResult {
  fixedPoints: FixedPoint[];
  /** Parameter values used for classification. */
  params: Record<string, number>;
  /** Newton starts that did not converge, with where they stopped. */
  newtonFailures: { start: number[]; reason: string; at: number[] }[];
  /** Whether the exact decomposition was complete (no numeric fallback needed). */
  complete: boolean;
}

function absPoly(p: Poly): Poly {
  return Poly.fromTerms(
    p
      .terms()
      .map((t) => ({ coef: t.coef.abs(), exponents: Object.fromEntries(t.mono.map(([v, e]) => [v, e])) })),
  );
}

function complexText(z: Complex): string {
  if (Math.abs(z.im) <= boundaryTolerance(z)) return String(z.re);
  const im = Math.abs(z.im);
  const sign = z.im < 0 ? "-" : "+";
  return z.re === 0 ? `${sign === "-" ? "-" : ""}${im}*i` : `${z.re} ${sign} ${im}*i`;
}

/** Fixed points of a rule with their classification; see the module comment. */
export function fixedPoints(rule: RuleSpec, options: FixedPointOptions = {}): FixedPointResult {
  const params = defaultParams(rule);
  const isPolynomialRule = (() => {
    try {
      polyField(rule);
      return true;
    } catch {
      return false;
    }
  })();
  return isPolynomialRule
    ? polynomialFixedPoints(polyField(rule), params, options)
    : numericFixedPoints(rule, params, options);
}

function polynomialFixedPoints(
  pf: PolyField,
  params: Record<string, number>,
  options: FixedPointOptions,
): FixedPointResult {
  const { rule, states } = pf;
  const kind = rule.kind;
  const defaults = exactDefaults(rule);
  const J = jacobian(pf);
  const P = charpoly(J);
  const gAtDefaults = pf.g.map((p) => p.substituteAll(defaults));
  const gCompiled = gAtDefaults.map((p) => p.compile(states));
  const gMagnitude = gAtDefaults.map((p) => absPoly(p).compile(states));
  const residualAt = (x: readonly number[]) => Math.max(0, ...gCompiled.map((f) => Math.abs(f(x))));
  const toleranceAt = (x: readonly number[]) =>
    1e-10 * (1 + Math.max(0, ...gMagnitude.map((f) => f(x.map(Math.abs)))));
  const P0 = P.substituteAll(defaults);
  const rng = new Rng(options.seed ?? 1);
  const samples = options.samples ?? 24;
  const out: FixedPoint[] = [];

  // --- the family of a common factor
  const G = stateFactor(polyGcdAll(pf.g), states);
  const hasState = (p: Poly) => p.variables().some((v) => states.includes(v));
  // in one dimension the common factor is the whole field: its zeros are points, not a family
  const isFamily = hasState(G) && states.length > 1;
  const cofactors = isFamily ? pf.g.map((p) => p.exactQuotient(G)!) : [...pf.g];
  if (isFamily) for (const factor of splitFactors(G, states)) out.push(implicitFamily(factor));

  // --- the cofactor system, exactly
  const solved = solvePolynomialSystem(cofactors, states, {
    defaults,
    ...(options.budget ? { budget: options.budget } : {}),
  });
  for (const c of solved.components) out.push(c.free.length === 0 ? exactPoint(c) : explicitFamily(c));

  // --- numeric fallback for what elimination could not solve
  let newtonFailures: FixedPointResult["newtonFailures"] = [];
  if (solved.unsolved.length > 0) {
    const Jc = J.map((row) => row.map((p) => p.substituteAll(defaults).compile(states)));
    const { roots, failures } = newtonWithDeflation(
      {
        n: states.length,
        F: (x) => gCompiled.map((f) => f(x)),
        J: (x) =>
          rule.kind === "flow"
            ? Jc.map((row) => row.map((f) => f(x)))
            : Jc.map((row, i) => row.map((f, j) => f(x) - (i === j ? 1 : 0))),
        magnitude: (x) => Math.max(0, ...gMagnitude.map((f) => f(x.map(Math.abs)))),
      },
      {
        seed: options.seed ?? 1,
        starts: options.starts ?? 40,
        ...(options.budget ? { budget: options.budget } : {}),
      },
    );
    newtonFailures = failures;
    const known = out.filter((fp) => fp.dimension === 0).map((fp) => states.map((s) => fp.value[s]!));
    const familyEqs = out
      .filter((fp) => fp.dimension > 0)
      .map((fp) => familyResidual.get(fp)!)
      .filter(Boolean);
    for (const r of roots) {
      const x = r.point;
      if (known.some((k) => k.every((v, i) => Math.abs(v - x[i]!) <= 1e-6 * (1 + Math.abs(v))))) continue;
      if (familyEqs.some((f) => f(x) <= 1e-8)) continue; // on a family already reported
      const eig = matrixEigenvalues(Jc.map((row) => row.map((f) => f(x))));
      out.push({
        dimension: 0,
        eigenvalues: eig.map(complexText),
        eigenvaluesSymbolic: false,
        class: classifyEigenvalues(eig, kind),
        value: Object.fromEntries(states.map((s, i) => [s, x[i]!])),
        residual: r.residual,
        tolerance: r.tolerance,
        method: "newton",
        atDefaults: true,
      });
    }
  }
  return { fixedPoints: out, params, newtonFailures, complete: solved.unsolved.length === 0 };

  // ---------------------------------------------------------------------------------------
  function exactPoint(c: SolvedComponent): FixedPoint {
    const coords = states.map((s) => c.assignments[s]!);
    const at = coords.map((p) => p.substituteAll(defaults).constantValue()!.toNumber());
    const reduced = P.substituteAll(c.assignments);
    const closed = closedFormEigenvalues(c.atDefaults ? reduced.substituteAll(defaults) : reduced);
    const numeric = numericEigenvalues(reduced.substituteAll(defaults));
    return {
      point: Object.fromEntries(states.map((s, i) => [s, coords[i]!.toString()])),
      dimension: 0,
      eigenvalues: closed
        ? closed.flatMap((e) => Array.from({ length: e.multiplicity }, () => e.text))
        : numeric.map(complexText),
      eigenvaluesSymbolic: closed !== undefined,
      class: classifyEigenvalues(numeric, kind),
      value: Object.fromEntries(states.map((s, i) => [s, at[i]!])),
      residual: residualAt(at),
      tolerance: toleranceAt(at),
      method: "exact",
      atDefaults: c.atDefaults,
    };
  }

  function implicitFamily(g: Poly): FixedPoint {
    // eliminate a parameter (preferred: keeps the eigenvalues valid for all parameter values)
    // or a state that occurs linearly with a constant coefficient
    const candidates = [...pf.params, ...states].filter(
      (v) => g.degree(v) === 1 && g.coefficients(v)[1]!.isConstant(),
    );
    const v = candidates[0];
    let description = `${g} = 0`;
    let reduced: Poly | undefined;
    if (v !== undefined) {
      const [c0, c1] = g.coefficients(v);
      const value = (c0 as Poly).scale((c1 as Poly).constantValue()!.inv()).neg();
      description = states.includes(v) ? `${v} = ${value}` : `${value} = ${v}`;
      reduced = P.substitute(v, value);
    }
    const closed = reduced ? closedFormEigenvalues(reduced) : undefined;
    // sample points: random values of all states but one, then solve g = 0 for the last
    const solveFor = states.find((s) => g.degree(s) >= 1)!;
    const others = states.filter((s) => s !== solveFor);
    const gDef = g.substituteAll(defaults);
    const pts: number[][] = [];
    for (let tries = 0; pts.length < samples && tries < 20 * samples; tries++) {
      options.budget?.check();
      const vals = Object.fromEntries(
        others.map((s) => [s, Poly.constant(Rational.fromNumber(1.5 * rng.normal()))]),
      );
      const uni = gDef.substituteAll(vals);
      if (uni.degree(solveFor) < 1) continue;
      const coeffs = uni.coefficients(solveFor).map((c) => c.constantValue()!.toNumber());
      for (const z of sampledRoots(coeffs, { family: description, at: vals })) {
        if (Math.abs(z.im) > 1e-12 * (1 + Math.abs(z.re))) continue;
        pts.push(states.map((s) => (s === solveFor ? z.re : (vals[s] as Poly).constantValue()!.toNumber())));
      }
    }
    const fp = familyReport(
      description,
      states.length - 1,
      undefined,
      closed,
      pts,
      g.substituteAll(defaults),
    );
    return fp;
  }

  function explicitFamily(c: SolvedComponent): FixedPoint {
    const eqs = states
      .filter((s) => Object.hasOwn(c.assignments, s))
      .map((s) => `${s} = ${c.assignments[s]}`);
    const reduced = P.substituteAll(c.assignments);
    const closed = closedFormEigenvalues(c.atDefaults ? reduced.substituteAll(defaults) : reduced);
    const assignDef = states.map((s) =>
      Object.hasOwn(c.assignments, s) ? c.assignments[s]!.substituteAll(defaults).compile(c.free) : undefined,
    );
    const pts: number[][] = [];
    for (let k = 0; k < samples; k++) {
      options.budget?.check();
      const freeVals = c.free.map(() => 1.5 * rng.normal());
      pts.push(states.map((s, i) => (assignDef[i] ? assignDef[i]!(freeVals) : freeVals[c.free.indexOf(s)]!)));
    }
    const residualPoly = states
      .filter((s) => Object.hasOwn(c.assignments, s))
      .map((s) => Poly.variable(s).sub(c.assignments[s]!).substituteAll(defaults));
    const fp = familyReport(`${eqs.join(", ")}`, c.free.length, c.free, closed, pts, residualPoly);
    fp.atDefaults = c.atDefaults;
    return fp;
  }

  /**
   * A family's report: symbolic transverse eigenvalues where available, sampled stability at the
   * default parameters, and the maximal residual of g over the samples.
   */
  function familyReport(
    description: string,
    dimension: number,
    free: string[] | undefined,
    closed: ReturnType<typeof closedFormEigenvalues>,
    pts: number[][],
    equations: Poly | Poly[],
  ): FixedPoint {
    const tangent = kind === "flow" ? 0 : 1;
    let stable = 0;
    let unstable = 0;
    let hyperbolic = true;
    let residual = 0;
    let tolerance = 0;
    const pDef = P0.coefficients(LAMBDA).map((c) => c.compile(states));
    for (const x of pts) {
      options.budget?.check();
      residual = Math.max(residual, residualAt(x));
      tolerance = Math.max(tolerance, toleranceAt(x));
      const eig = sampledRoots(
        pDef.map((f) => f(x)),
        { family: description, at: x },
      );
      // the `dimension` eigenvalues nearest the tangent value belong to the family's directions
      const byDistance = [...eig].sort(
        (a, b) => Math.hypot(a.re - tangent, a.im) - Math.hypot(b.re - tangent, b.im),
      );
      const transverse = byDistance.slice(dimension);
      const gr = transverse.map((z) => growth(z, kind));
      // sampled eigenvalues come from a float64 charpoly of a float64 point: 1e-7 relative
      // separates "on the boundary" from stable or unstable at these O(1) samples
      if (gr.some((d, i) => Math.abs(d) <= 1e-7 * (1 + Math.hypot(transverse[i]!.re, transverse[i]!.im)))) {
        hyperbolic = false;
        continue;
      }
      if (gr.every((d) => d < 0)) stable++;
      else unstable++;
    }
    const stability = stable > 0 && unstable > 0 ? "mixed" : stable > 0 ? "stable" : "unstable";
    const eigenvalues = closed
      ? closed.flatMap((e) => Array.from({ length: e.multiplicity }, () => e.text))
      : ["(not in closed form; see stability of samples)"];
    const nontangent = closed
      ? closed
          .flatMap((e) => Array.from({ length: e.multiplicity }, () => e))
          .filter((e) => !(e.re?.equals(Poly.constant(tangent)) && e.im?.isZero()))
      : [];
    const stableWhere =
      closed && nontangent.every((e) => e.re)
        ? nontangent
            .map((e) =>
              kind === "flow"
                ? `${e.re} < 0`
                : e.im?.isZero()
                  ? `|${e.re}| < 1`
                  : `(${e.re})^2 + (${e.im})^2 < 1`,
            )
            .filter((s, i, a) => a.indexOf(s) === i)
            .join(" and ")
        : undefined;
    const eqList = Array.isArray(equations) ? equations : [equations];
    const eqCompiled = eqList.map((p) => p.compile(states));
    const fp: FixedPoint = {
      family: description,
      dimension,
      ...(free ? { free } : {}),
      eigenvalues,
      eigenvaluesSymbolic: closed !== undefined,
      class: hyperbolic && pts.length > 0 ? "normally hyperbolic family" : "non-hyperbolic family",
      ...(stableWhere !== undefined && stableWhere !== "" ? { stableWhere } : {}),
      ...(pts.length > 0 ? { stability } : {}),
      value: Object.fromEntries(states.map((s, i) => [s, pts[0]?.[i] ?? Number.NaN])),
      residual,
      tolerance,
      method: "exact",
      atDefaults: false,
    };
    familyResidual.set(fp, (x) => Math.max(0, ...eqCompiled.map((f) => Math.abs(f(x)))));
    return fp;
  }
}

/**
 * Factors of p found without general factorization: a factor that is p's content with respect
 * to one variable (e.g. (w1 - 1)(w2 - 1) = w1 (w2 - 1) - (w2 - 1)), applied recursively. Each
 * factor involves the states; the product of the returned factors is p up to a constant.
 */
function splitFactors(p: Poly, states: readonly string[], depth = 0): Poly[] {
  if (depth > 32) return [p]; // each split lowers the degree: 32 is beyond any field here
  for (const x of p.variables()) {
    if (!states.includes(x)) continue;
    const c = stateFactor(contentIn(p, x), states);
    if (!c.variables().some((v) => states.includes(v))) continue;
    return [...splitFactors(c, states, depth + 1), ...splitFactors(p.exactQuotient(c)!, states, depth + 1)];
  }
  // a variable dividing p is a factor too
  for (const x of p.variables()) {
    if (!states.includes(x) || p.size === 1) continue;
    const q = p.exactQuotient(Poly.variable(x));
    if (q) return [Poly.variable(x), ...splitFactors(q, states, depth + 1)];
  }
  return [p];
}

const familyResidual = new WeakMap<FixedPoint, (x: readonly number[]) => number>();

function numericFixedPoints(
  rule: RuleSpec,
  params: Record<string, number>,
  options: FixedPointOptions,
): FixedPointResult {
  const vars = [...rule.states, ...rule.params.map((p) => p.name)];
  const pvals = rule.params.map((p) => params[p.name]!);
  const f = rule.field.map((e) => compileExpr(e, vars));
  const Je = jacobianExpr(rule).map((row) => row.map((e) => compileExpr(e, vars)));
  const n = rule.states.length;
  const full = (x: readonly number[]) => [...x, ...pvals];
  const F = (x: readonly number[]) => f.map((fi, i) => fi(full(x)) - (rule.kind === "map" ? x[i]! : 0));
  const J = (x: readonly number[]) =>
    Je.map((row, i) => row.map((fij, j) => fij(full(x)) - (rule.kind === "map" && i === j ? 1 : 0)));
  const { roots, failures } = newtonWithDeflation(
    { n, F, J },
    {
      seed: options.seed ?? 1,
      starts: options.starts ?? 40,
      ...(options.budget ? { budget: options.budget } : {}),
    },
  );
  const fps: FixedPoint[] = roots.map((r) => {
    const eig = matrixEigenvalues(Je.map((row) => row.map((fij) => fij(full(r.point)))));
    return {
      dimension: 0,
      eigenvalues: eig.map(complexText),
      eigenvaluesSymbolic: false,
      class: classifyEigenvalues(eig, rule.kind),
      value: Object.fromEntries(rule.states.map((s, i) => [s, r.point[i]!])),
      residual: r.residual,
      tolerance: r.tolerance,
      method: "newton" as const,
      atDefaults: true,
    };
  });
  return { fixedPoints: fps, params, newtonFailures: failures, complete: false };
}

/**
 * Roots of a polynomial sampled in float64 at a point of a family; a coefficient that overflowed
 * there (huge parameters) decides nothing, so it is a NumericFailureError naming the family and
 * the point (the analysis lists the step as unfinished and keeps what it found before).
 */
function sampledRoots(coeffs: number[], where: Record<string, unknown>): Complex[] {
  const k = coeffs.findIndex((c) => !Number.isFinite(c));
  if (k >= 0) {
    throw new NumericFailureError(
      "fixedPoints",
      `a sampled polynomial's coefficient of degree ${k} is ${coeffs[k]} (outside float64's range)`,
      where,
    );
  }
  return numericRoots(coeffs);
}
