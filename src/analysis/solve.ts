/**
 * Exact decomposition of a polynomial system {p_1 = 0, ..., p_m = 0} in some unknowns (the
 * states), with the other variables (parameters) treated as generic. Returned components are
 * explicit: each unknown is either assigned a polynomial in the free unknowns and parameters,
 * or free. The steps, tried in order:
 *
 * 1. a variable factor: if x divides p, split into x = 0 or p / x^k = 0;
 * 2. a common factor of two equations: g a = g b = 0 splits into g = 0 or a = b = 0;
 * 3. an unknown of degree 1 with a constant coefficient: solve and substitute;
 * 4. an unknown of degree 1 whose coefficient involves parameters only, or an equation in a
 *    single unknown with parameters: substitute the default parameter values (the component is
 *    then marked `atDefaults`) and go on;
 * 4a. a last equation a x^2 + c in one unknown (a constant, c free of unknowns): the two
 *    components x = ±sqrt(-c/a), kept symbolic (the pitchfork's ±sqrt(mu));
 * 5. an equation in one unknown with rational coefficients: split off its rational roots (and
 *    drop the branch if it has no real root: only real solutions are sought);
 * 6. elimination: add the resultant of two equations with respect to a shared unknown when it
 *    leaves a single unknown (it lies in the ideal, so no solution is lost or gained);
 * otherwise the subsystem is returned unsolved, for the numeric fallback. A branch that ends
 * unsolved after step 6 returns the equations it had before the resultants were added: they
 * have the same solutions and a far smaller Bezout number for the homotopy (two bivariate
 * equations of degrees 3 and 4 have 12 paths; with their two univariate resultants of degree 8
 * the randomized square system has 64).
 *
 * Each branch is bounded by `maxBranches`; hitting it is reported, not guessed past.
 */
import {
  contentIn,
  Poly,
  polyGcd,
  polyGcdAll,
  polyRoots,
  Rational,
  rationalSqrt,
  resultant,
} from "../expr/index.ts";
import type { Budget } from "../util/budget.ts";
import { BoundExceededError } from "../util/errors.ts";
import { own, recordOf } from "../util/record.ts";

export interface SolvedComponent {
  /** Unknowns with a value: a polynomial in the free unknowns and parameters. */
  assignments: Record<string, Poly>;
  /** Unknowns left free (the component's coordinates); empty for a point. */
  free: string[];
  /** Whether default parameter values were substituted on the way. */
  atDefaults: boolean;
  /**
   * An unknown given by a square root instead of an assignment: x = sign * sqrt(square), with
   * `square` a polynomial in the parameters (e.g. the pitchfork's x = ±sqrt(mu)). Assignments
   * of other unknowns may contain x.
   */
  radical?: { unknown: string; square: Poly; sign: 1 | -1 };
}

export interface SolveResult {
  components: SolvedComponent[];
  /** Subsystems no exact step applies to (equations with the assignments made so far). */
  unsolved: { equations: Poly[]; assignments: Record<string, Poly>; atDefaults: boolean }[];
}

/**
 * Gcds and resultants of large multivariate polynomials can take very long (coefficient and
 * term growth); the elimination steps are tried only on polynomials this small, and larger
 * systems go to the numeric fallback.
 */
const SMALL = { terms: 40, degree: 8 };
function small(p: Poly): boolean {
  return p.size <= SMALL.terms && p.totalDegree() <= SMALL.degree;
}

export interface SolveOptions {
  /** Exact values of the parameters, used by step 4. */
  defaults: Record<string, Poly>;
  maxBranches?: number;
  /** Time budget, checked at every branch (default: none). */
  budget?: Budget;
}

/** Decomposes {eqs = 0} in `unknowns`; see the module comment. */
export function solvePolynomialSystem(
  eqs: readonly Poly[],
  unknowns: readonly string[],
  options: SolveOptions,
): SolveResult {
  const maxBranches = options.maxBranches ?? 256;
  const result: SolveResult = { components: [], unsolved: [] };
  let branches = 0;
  const unknownSet = new Set(unknowns);
  const hasUnknown = (p: Poly) => p.variables().some((v) => unknownSet.has(v));

  const substituteAll = (ps: readonly Poly[], x: string, value: Poly) =>
    ps.map((p) => p.substitute(x, value));

  /** `beforeElimination`: the equations of this branch before step 6 added resultants to them. */
  const rec = (
    eqsIn: readonly Poly[],
    assign: Record<string, Poly>,
    atDefaults: boolean,
    beforeElimination?: readonly Poly[],
  ): void => {
    options.budget?.check();
    if (++branches > maxBranches) {
      throw new BoundExceededError(
        "solvePolynomialSystem",
        "branch",
        maxBranches,
        branches,
        "the system splits into too many cases",
      );
    }
    const seen = new Set<string>();
    const eqs: Poly[] = [];
    for (const p of eqsIn) {
      if (p.isZero()) continue;
      // parameter-only factors are nonzero for generic parameters: drop them
      const q = stateFactor(p, unknowns);
      const k = q.toString();
      if (!seen.has(k)) {
        seen.add(k);
        eqs.push(q);
      }
    }
    // an equation free of unknowns: a nonzero constant, or a condition on generic parameters
    if (eqs.some((p) => !hasUnknown(p))) return;
    if (eqs.length === 0) {
      const free = unknowns.filter((x) => !Object.hasOwn(assign, x));
      result.components.push({ assignments: assign, free, atDefaults });
      return;
    }
    const assignWith = (x: string, value: Poly): Record<string, Poly> =>
      recordOf([...Object.entries(assign).map(([k, v]) => [k, v.substitute(x, value)] as const), [x, value]]);
    // 1. a variable factor: p = x^k q
    for (const p of eqs) {
      for (const x of p.variables()) {
        if (!unknownSet.has(x)) continue;
        const xPoly = Poly.variable(x);
        let k = 0;
        let q = p;
        for (let d = q.exactQuotient(xPoly); d; d = q.exactQuotient(xPoly)) {
          q = d;
          k++;
        }
        if (k === 0) continue;
        rec(substituteAll(eqs, x, Poly.ZERO), assignWith(x, Poly.ZERO), atDefaults);
        if (!q.isConstant())
          rec(
            eqs.map((e) => (e === p ? q : e)),
            assign,
            atDefaults,
          );
        return;
      }
    }
    // 1b. a factor that is the content of p in one unknown: p = c * (p / c)
    for (const p of eqs) {
      for (const x of p.variables()) {
        if (!unknownSet.has(x)) continue;
        const c = stateFactor(contentIn(p, x), unknowns);
        if (!hasUnknown(c)) continue;
        const rest = eqs.filter((e) => e !== p);
        rec([...rest, c], assign, atDefaults);
        rec([...rest, p.exactQuotient(c)!], assign, atDefaults);
        return;
      }
    }
    // 2. a common factor of two equations
    for (let i = 0; i < eqs.length; i++) {
      for (let j = i + 1; j < eqs.length; j++) {
        if (!small(eqs[i]!) || !small(eqs[j]!)) continue;
        const g = polyGcd(eqs[i]!, eqs[j]!);
        if (!hasUnknown(g)) continue;
        const rest = eqs.filter((_, k) => k !== i && k !== j);
        rec([...rest, g], assign, atDefaults);
        const [a, b] = [eqs[i] as Poly, eqs[j] as Poly];
        rec([...rest, a.exactQuotient(g)!, b.exactQuotient(g)!], assign, atDefaults);
        return;
      }
    }
    // 3. linear in an unknown with a constant coefficient
    for (const p of eqs) {
      for (const x of p.variables()) {
        if (!unknownSet.has(x) || p.degree(x) !== 1) continue;
        const [c0, c1] = p.coefficients(x);
        const c = c1!.constantValue();
        if (!c) continue;
        const value = c0!.scale(c.inv()).neg();
        rec(
          substituteAll(
            eqs.filter((e) => e !== p),
            x,
            value,
          ),
          assignWith(x, value),
          atDefaults,
        );
        return;
      }
    }
    // 4a. the last equation is a x^2 + c in one unknown with a, c free of unknowns and a
    // constant: x = ±sqrt(-c/a), kept symbolic (a rational square root is left to step 5)
    if (eqs.length === 1) {
      const p = eqs[0]!;
      const xs = p.variables().filter((v) => unknownSet.has(v));
      const x = xs[0];
      if (xs.length === 1 && p.degree(x!) === 2) {
        const [c0, c1, c2] = p.coefficients(x!);
        const a = c2!.constantValue();
        if (a && c1!.isZero() && !hasUnknown(c0!)) {
          const square = c0!.scale(a.inv()).neg();
          const value = square.constantValue();
          if (value && value.sign() < 0) return; // no real root
          if (!value || !rationalSqrt(value)) {
            const free = unknowns.filter((u) => !Object.hasOwn(assign, u) && u !== x);
            for (const sign of [1, -1] as const)
              result.components.push({
                assignments: assign,
                free,
                atDefaults,
                radical: { unknown: x!, square, sign },
              });
            return;
          }
        }
      }
    }
    // 4. linear in an unknown with a parameter-only coefficient, or an equation in a single
    // unknown with parameters: fix the parameters at their defaults
    if (!atDefaults) {
      const fixable = eqs.some((p) => {
        const xs = p.variables().filter((x) => unknownSet.has(x));
        return (
          (xs.length === 1 && p.variables().length > 1) ||
          xs.some((x) => p.degree(x) === 1 && !hasUnknown(p.coefficients(x)[1]!))
        );
      });
      if (fixable) {
        const fix = (p: Poly) => p.substituteAll(options.defaults);
        const fixedAssign = recordOf(Object.entries(assign).map(([k, v]) => [k, fix(v)]));
        rec(eqs.map(fix), fixedAssign, true);
        return;
      }
    }
    // 5. an equation in one unknown with rational coefficients: split off its rational roots
    for (const p of eqs) {
      if (p.variables().length !== 1) continue;
      const x = p.variables()[0]!;
      // fixed points are real: a univariate equation without real roots ends the branch
      if (!hasRealRoot(p, x)) return;
      const r = rationalRoot(p, x);
      if (!r) continue;
      const value = Poly.constant(r);
      rec(substituteAll(eqs, x, value), assignWith(x, value), atDefaults);
      const rest = p.exactQuotient(Poly.variable(x).sub(value))!;
      if (!rest.isConstant())
        rec(
          eqs.map((e) => (e === p ? rest : e)),
          assign,
          atDefaults,
        );
      return;
    }
    // 6. elimination: the resultant of two equations in a shared unknown lies in the ideal, so
    // adding it keeps the solutions; once it is univariate, step 5 splits its rational roots
    // (an unknown that already has a univariate equation is eliminated: its irrational roots
    // are left to the numeric fallback, and adding another resultant would cycle)
    const eliminated = new Set(
      eqs
        .map((p) => p.variables().filter((v) => unknownSet.has(v)))
        .filter((xs) => xs.length === 1)
        .map((xs) => xs[0]!),
    );
    for (let i = 0; i < eqs.length; i++) {
      for (let j = i + 1; j < eqs.length; j++) {
        const [p, q] = [eqs[i] as Poly, eqs[j] as Poly];
        if (!small(p) || !small(q)) continue;
        for (const x of p.variables()) {
          if (!unknownSet.has(x) || q.degree(x) < 1 || p.degree(x) + q.degree(x) > 8) continue;
          const r = resultant(p, q, x);
          if (r.isZero()) continue;
          const rn = stateFactor(r, unknowns);
          const left = rn.variables().filter((v) => unknownSet.has(v));
          if (left.length !== 1 || eliminated.has(left[0]!)) continue;
          rec([...eqs, rn], assign, atDefaults, beforeElimination ?? eqs);
          return;
        }
      }
    }
    result.unsolved.push({ equations: [...(beforeElimination ?? eqs)], assignments: assign, atDefaults });
  };
  rec(eqs, recordOf([]), false);
  result.components = dropContained(dedupe(result.components), options.defaults);
  return result;
}

function dedupe(cs: SolvedComponent[]): SolvedComponent[] {
  const seen = new Set<string>();
  return cs.filter((c) => {
    const key = JSON.stringify([
      Object.entries(c.assignments)
        .map(([k, v]) => `${k}=${v}`)
        .sort(),
      c.free,
      c.atDefaults,
      c.radical ? [c.radical.unknown, String(c.radical.square), c.radical.sign] : null,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The part of p that involves the given variables: p divided by its content over them (the gcd
 * of its coefficients as a polynomial in those variables), made primitive.
 */
export function stateFactor(p: Poly, variables: readonly string[]): Poly {
  let coeffs = [p];
  for (const x of variables) coeffs = coeffs.flatMap((c) => c.coefficients(x));
  const content = polyGcdAll(coeffs);
  return content.isZero() ? p : p.exactQuotient(content)!.primitive();
}

/** Drops components contained in a larger one (compared at the default parameter values). */
function dropContained(cs: SolvedComponent[], defaults: Record<string, Poly>): SolvedComponent[] {
  const at = (p: Poly) => p.substituteAll(defaults);
  const contains = (d: SolvedComponent, c: SolvedComponent) =>
    d.free.length > c.free.length &&
    !d.radical &&
    !c.radical &&
    Object.entries(d.assignments).every(([x, value]) => {
      const lhs = own(c.assignments, x) ?? Poly.variable(x);
      return at(lhs).equals(at(value.substituteAll(c.assignments)));
    });
  return cs.filter((c) => !cs.some((d) => d !== c && contains(d, c)));
}

/**
 * A rational root of a univariate polynomial with rational coefficients, if one exists among
 * its real numeric roots: each is rounded to the best fraction with denominator <= 10^6
 * (continued fractions) and kept only if it is an exact root.
 */
function rationalRoot(p: Poly, x: string): Rational | undefined {
  for (const { root } of polyRoots(p, x)) {
    if (Math.abs(root.im) > 1e-9 * (1 + Math.abs(root.re))) continue;
    const q = bestFraction(root.re, 1_000_000);
    if (q && p.evaluateExact({ [x]: q }).isZero()) return q;
  }
  return undefined;
}

/**
 * Whether a univariate polynomial with rational coefficients has a real root. Roots come from
 * the exact square-free factors, so they are simple: an imaginary part above 1e-9 (1 + |re|)
 * is far beyond the float64 error of a simple root of these small polynomials.
 */
function hasRealRoot(p: Poly, x: string): boolean {
  return polyRoots(p, x).some(({ root }) => Math.abs(root.im) <= 1e-9 * (1 + Math.abs(root.re)));
}

function bestFraction(y: number, maxDen: number): Rational | undefined {
  if (!Number.isFinite(y) || Math.abs(y) > 1e15) return undefined;
  let [h0, h1, k0, k1] = [0n, 1n, 1n, 0n];
  let z = y;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(z);
    const ab = BigInt(a);
    [h0, h1] = [h1, ab * h1 + h0];
    [k0, k1] = [k1, ab * k1 + k0];
    if (k1 > BigInt(maxDen)) return Rational.of(h0, k0);
    const frac = z - a;
    if (frac < 1e-12) break;
    z = 1 / frac;
  }
  return Rational.of(h1, k1);
}
