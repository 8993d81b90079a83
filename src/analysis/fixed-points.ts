/**
 * Fixed points of a rule: zeros of f for a flow, solutions of f(x) = x for a map.
 *
 * Polynomial and rational rules (a rational field f = F / D is solved through its numerators,
 * where D != 0; see {@link polyField}) are decomposed exactly where elimination succeeds. A
 * common factor G of all components (multivariate gcd) vanishes on a whole family {G = 0}
 * (for the toys, the solution manifold w1*w2 = s, seed 001 sec. 4.1); the cofactors are
 * decomposed by {@link solvePolynomialSystem}, which gives isolated points (possibly with a
 * square root in the parameters, such as the pitchfork's x = ±sqrt(mu)) or further explicit
 * families. Whatever the exact steps leave unsolved goes, at the parameter values, to
 * {@link polynomialSystemRoots}: every isolated root by homotopy continuation, real ones
 * certified by the Krawczyk test, positive-dimensional sets reported with their dimension, and
 * completeness proven or the reason given. Rules with functions (exp, tanh, ...) go to Newton's
 * method with deflation from seeded starts and are never called complete.
 *
 * Each fixed point is classified from its Jacobian by system kind ({@link classifyEigenvalues}).
 * Eigenvalues are given symbolically where the characteristic polynomial factors into degrees
 * <= 2: at isolated points in the parameters, on a family after substituting the family's
 * equation (e.g. s = w1*w2), so the curl toy gives 0 and w1^2 - w2^2 on its manifold
 * (seed 001, text after eq. 9). Classification needs numbers: it uses the parameter values;
 * with a parameter without value a point is "unclassified" (its eigenvalues stay symbolic). A
 * family is sampled at seeded points on it to say where it is stable.
 */
import {
  type Complex,
  call,
  compileExpr,
  contentIn,
  formatExpr,
  fromPoly,
  groebnerBasis,
  normalForm,
  numericRoots,
  Poly,
  polyGcdAll,
  Rational,
} from "../expr/index.ts";
import { paramValues, type RuleSpec, symbolicParams } from "../rules/spec.ts";
import { type Budget, BudgetExceededError, runStep } from "../util/budget.ts";
import { InvalidArgumentError, LearndynError, NumericFailureError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { own, recordOf } from "../util/record.ts";
import {
  type ClosedFormEigenvalue,
  charpoly,
  complexText as closedComplexText,
  closedFormEigenvalues,
  LAMBDA,
  numericEigenvalues,
} from "./charpoly.ts";
import {
  boundaryTolerance,
  classifyEigenvalues,
  growth,
  matrixEigenvalues,
  type PointClass,
} from "./classify.ts";
import { exactDefaults, isRationalField, type PolyField, polyField } from "./field.ts";
import { polynomialSystemRoots } from "./isolated-roots.ts";
import { jacobianExpr } from "./jacobian.ts";
import { newtonWithDeflation } from "./newton.ts";
import { type SolvedComponent, type SolveResult, solvePolynomialSystem, stateFactor } from "./solve.ts";
import { stabilityConditions } from "./stability-conditions.ts";

export type FixedPointClass =
  | PointClass
  | "normally hyperbolic family"
  | "non-hyperbolic family"
  | "family of linear centers"
  | "unclassified";

export interface FixedPoint {
  /** Exact coordinates (rule-language text, possibly in the parameters); absent for families. */
  point?: Record<string, string>;
  /** A family: its defining equations, e.g. "w1*w2 = s" or "a1 = 0, a2 = 0". */
  family?: string;
  /** 0 for a point, else the family's dimension. */
  dimension: number;
  /** Free coordinates of an explicit family. */
  free?: string[];
  /** Eigenvalues: closed forms (with i the imaginary unit) or numbers at the parameter values. */
  eigenvalues: string[];
  /** Whether `eigenvalues` are closed forms (in the parameters, unless `atDefaults`). */
  eigenvaluesSymbolic: boolean;
  /**
   * Points: from the eigenvalues at the parameter values ("unclassified" when a parameter has
   * no value). Families: "normally hyperbolic family" when, at every sampled point, the
   * eigenvalues beyond the family's `dimension` tangent ones (0 for a flow, 1 for a map) are
   * off the stability boundary; "family of linear centers" when they are all on it and none
   * is tangent-like (a flow's purely imaginary pairs ±i w, w != 0: a conservative family whose
   * linearization neither attracts nor repels).
   */
  class: FixedPointClass;
  /**
   * Where the (families: transverse) eigenvalues are stable, from their closed forms and
   * simplified (flows: real parts < 0); "never" when that cannot hold (see
   * `neverStableBecause`), "always" when it holds for every parameter value.
   */
  stableWhere?: string;
  /** Why `stableWhere` is "never". */
  neverStableBecause?: string;
  /**
   * Families: linear stability of the sampled points: "stable", "unstable", "mixed", or
   * "neutral" (every sample's transverse eigenvalues on the stability boundary).
   */
  stability?: "stable" | "unstable" | "mixed" | "neutral";
  /** Numeric coordinates at the parameter values (points), or of a sample point (families). */
  value: Record<string, number>;
  /** max |g_i| at `value` (families: over all samples), with the bound it is accepted under. */
  residual: number;
  tolerance: number;
  /**
   * "exact" if located symbolically, "homotopy" if found by homotopy continuation (then
   * `certified` gives the Krawczyk box), "newton" if found by Newton's method (non-polynomial
   * rules).
   */
  method: "exact" | "homotopy" | "newton";
  /** Half-width of the box in which the Krawczyk test proved a unique real fixed point. */
  certified?: { radius: number };
  /** The location used the parameter values (not valid for other values). */
  atDefaults: boolean;
}

export interface FixedPointOptions {
  /** Seed for homotopy, Newton starts and family samples (default 1). */
  seed?: number;
  /** Newton starts for non-polynomial rules (default 40). */
  starts?: number;
  /** Samples per family (default 24). */
  samples?: number;
  /**
   * Predictor-corrector steps of the homotopy per subsystem (default 30000: a few seconds; the
   * deterministic bound, so that results do not depend on the machine's load).
   */
  maxTotalSteps?: number;
  /**
   * Time budget (default: none), checked in every stage: common factor, exact decomposition,
   * Gröbner basis, homotopy path tracking, Krawczyk certification, minimal generators, Newton
   * starts. When it runs out the search stops and returns what it found, with `stoppedBy`.
   */
  budget?: Budget;
}

export interface FixedPointResult {
  fixedPoints: FixedPoint[];
  /** Parameter values used for classification (parameters with a value). */
  params: Record<string, number>;
  /** Parameters without a value: symbolic where the analysis allows. */
  symbolicParams: string[];
  /** Newton starts that did not converge (non-polynomial rules), with where they stopped. */
  newtonFailures: { start: number[]; reason: string; at: number[] }[];
  /**
   * Whether every fixed point is proven found: by the exact decomposition, or with every
   * isolated root certified and counted (see {@link polynomialSystemRoots}).
   */
  complete: boolean;
  /** How completeness was proven, or why it was not. */
  completeness: string;
  /** The common denominator of a rational field (absent for a polynomial one): f = F / D. */
  denominator?: string;
  /** Notes: points dropped where the denominator vanishes, branches without real points, ... */
  notes: string[];
  /**
   * The time budget ran out in the stage it names: `fixedPoints` holds what was found before,
   * and `complete` is false.
   */
  stoppedBy?: BudgetExceededError;
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
  return isRationalField(rule)
    ? polynomialFixedPoints(polyField(rule, "fixedPoints", { rational: true }), options)
    : numericFixedPoints(rule, options);
}

/**
 * Fixed points of a polynomial vector field at given parameter values: the zeros of
 * `equations` (polynomials in `states` with rational coefficients), each real isolated one
 * certified, positive-dimensional sets with their dimension. A thin entry to
 * {@link polynomialSystemRoots} for callers with numbers (continuation, portraits).
 */
export { polynomialSystemRoots as polynomialFieldRoots } from "./isolated-roots.ts";

function polynomialFixedPoints(pf: PolyField, options: FixedPointOptions): FixedPointResult {
  const { rule, states } = pf;
  const kind = rule.kind;
  const params = paramValues(rule);
  const symbolic = symbolicParams(rule);
  const numeric = symbolic.length === 0;
  const defaults = exactDefaults(rule);
  const D = pf.denominator;
  const rational = !D.equals(Poly.ONE);
  const notes: string[] = [];
  // at a fixed point the Jacobian of f is Jfix / D: for a flow Jfix = F', for a map
  // Jfix = F' - x grad(D)^T (both reduce to f' when D = 1)
  const Jfix = pf.f.map((fi, i) =>
    states.map((x) => {
      const d = fi.derivative(x);
      return kind === "map" && rational ? d.sub(Poly.variable(states[i]!).mul(D.derivative(x))) : d;
    }),
  );
  const P = charpoly(Jfix);
  const gAtDefaults = pf.g.map((p) => p.substituteAll(defaults));
  const DAtDefaults = D.substituteAll(defaults);
  const compiles = numeric;
  const gCompiled = compiles ? gAtDefaults.map((p) => p.compile(states)) : [];
  const gMagnitude = compiles ? gAtDefaults.map((p) => absPoly(p).compile(states)) : [];
  const Dc = compiles ? DAtDefaults.compile(states) : () => 1;
  const residualAt = (x: readonly number[]) => Math.max(0, ...gCompiled.map((f) => Math.abs(f(x))));
  const toleranceAt = (x: readonly number[]) =>
    1e-10 * (1 + Math.max(0, ...gMagnitude.map((f) => f(x.map(Math.abs)))));
  const P0 = P.substituteAll(defaults);
  const rng = new Rng(options.seed ?? 1);
  const samples = options.samples ?? 24;
  const out: FixedPoint[] = [];
  const reasons: string[] = [];
  let complete = true;
  const denominatorZero = (x: readonly number[]) =>
    // D's value against the size of its terms: below that it is zero within rounding
    rational && Math.abs(Dc(x)) <= 1e-10 * (1 + absPoly(DAtDefaults).compile(states)(x.map(Math.abs)));
  if (rational)
    notes.push(`rational field over the common denominator D = ${D}; fixed points only where D != 0`);

  let stoppedBy: BudgetExceededError | undefined;
  /** fn as stage `name` under the time budget; undefined once it has run out (see stoppedBy). */
  const stage = <T>(name: string, fn: () => T): T | undefined => {
    if (stoppedBy) return undefined;
    try {
      return runStep(options.budget, name, fn);
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      stoppedBy = e;
      return undefined;
    }
  };

  // --- the family of a common factor
  const G = stage("common factor", () => stateFactor(polyGcdAll(pf.g), states)) ?? Poly.ONE;
  const hasState = (p: Poly) => p.variables().some((v) => states.includes(v));
  // in one dimension the common factor is the whole field: its zeros are points, not a family
  const isFamily = hasState(G) && states.length > 1;
  const cofactors = isFamily ? pf.g.map((p) => p.exactQuotient(G)!) : [...pf.g];
  if (isFamily)
    stage("families of the common factor", () => {
      for (const factor of splitFactors(G, states)) out.push(implicitFamily(factor));
    });

  // --- the cofactor system, exactly
  const solved: SolveResult = stage("exact decomposition", () => {
    try {
      return solvePolynomialSystem(cofactors, states, {
        defaults,
        ...(options.budget ? { budget: options.budget } : {}),
      });
    } catch (e) {
      if (e instanceof BudgetExceededError || !(e instanceof LearndynError)) throw e;
      reasons.push(`exact decomposition stopped (${e.message}); the whole system went to homotopy`);
      return {
        components: [],
        unsolved: [{ equations: cofactors, assignments: recordOf([]), atDefaults: false }],
      };
    }
  }) ?? { components: [], unsolved: [] };
  stage("exact points and families", () => {
    for (const c of solved.components) {
      const fp = c.free.length === 0 ? exactPoint(c) : explicitFamily(c);
      if (fp) out.push(fp);
    }
  });

  // --- what elimination left: homotopy continuation with certified roots
  for (const u of solved.unsolved) {
    if (stoppedBy) break;
    const eqs = u.equations.map((p) => p.substituteAll(defaults));
    const leftSymbolic = [...new Set(eqs.flatMap((p) => p.variables()))].filter((v) => !states.includes(v));
    if (leftSymbolic.length > 0) {
      complete = false;
      reasons.push(`a subsystem needs values for ${leftSymbolic.join(", ")} (give them with --param)`);
      continue;
    }
    const vars = states.filter((s) => !Object.hasOwn(u.assignments, s) && eqs.some((p) => p.degree(s) > 0));
    const freeStates = states.filter((s) => !Object.hasOwn(u.assignments, s) && !vars.includes(s));
    const r = stage("isolated roots", () =>
      polynomialSystemRoots(eqs, vars, {
        seed: options.seed ?? 1,
        maxTotalSteps: options.maxTotalSteps ?? 30000,
        ...(options.budget ? { budget: options.budget } : {}),
      }),
    );
    if (!r) break;
    stoppedBy ??= r.stoppedBy;
    if (!r.complete) {
      complete = false;
      reasons.push(r.reason);
    }
    const full = (x: readonly number[], freeVals: readonly number[]) => {
      // assignments are polynomials in the free unknowns and the parameters
      const env = recordOf([
        ...Object.entries(params),
        ...vars.map((v, i) => [v, x[i]!] as const),
        ...freeStates.map((v, i) => [v, freeVals[i]!] as const),
      ]);
      return states.map((s) => own(env, s) ?? u.assignments[s]!.evaluate(env));
    };
    let ownFamily: FixedPoint | undefined;
    if ((r.dimension ?? 0) > 0 || freeStates.length > 0) {
      const dimension = (r.dimension ?? 0) + freeStates.length;
      const pts = r.real.flatMap((root) =>
        Array.from({ length: freeStates.length > 0 ? 4 : 1 }, () =>
          full(
            root.x,
            freeStates.map(() => 1.5 * rng.normal()),
          ),
        ),
      );
      const assigned = Object.entries(u.assignments).map(([s, p]) => `${s} = ${p}`);
      const generators = stage("minimal generators", () => minimalGenerators(eqs, options.budget)) ?? eqs;
      const description = [...generators.map((p) => `${p} = 0`), ...assigned].join(", ");
      const fp = familyReport(
        description,
        dimension,
        freeStates.length > 0 ? freeStates : undefined,
        undefined,
        pts,
        [
          ...eqs,
          ...Object.entries(u.assignments).map(([s, p]) => Poly.variable(s).sub(p.substituteAll(defaults))),
        ],
      );
      fp.atDefaults = true;
      out.push(fp);
      ownFamily = fp;
    }
    const isolated = (r.dimension ?? 0) > 0 ? (r.isolated ?? []) : freeStates.length > 0 ? [] : r.real;
    for (const root of isolated) {
      const x = full(root.x, []);
      if (denominatorZero(x)) {
        notes.push(`(${x.join(", ")}) dropped: the denominator vanishes there`);
        continue;
      }
      // on a family already reported (not this subsystem's own set: its equations are the
      // subsystem's, which every root satisfies, and these roots are certified isolated)
      if (
        out.some((fp) => fp !== ownFamily && fp.dimension > 0 && (familyResidual.get(fp)?.(x) ?? 1) <= 1e-8)
      )
        continue;
      out.push(numericPoint(x, root.radius));
    }
  }
  // a family inside a larger one (a branch of the decomposition that split the larger one),
  // or reported twice, is dropped: its sample points satisfy the larger family's equations
  const onFamily = (fp: FixedPoint, x: readonly number[]) => {
    const res = familyResidual.get(fp);
    return res !== undefined && res(x) <= 1e-8 * (1 + Math.max(0, ...x.map(Math.abs)));
  };
  const samplesOf = (fp: FixedPoint) => familySamples.get(fp) ?? [];
  const kept = out.filter((fp, k) => {
    if (fp.dimension === 0 || samplesOf(fp).length === 0) return true;
    return !out.some(
      (big, l) =>
        l !== k &&
        big.dimension > 0 &&
        (big.dimension > fp.dimension ||
          (big.dimension === fp.dimension && l < k && big.family === fp.family)) &&
        samplesOf(fp).every((x) => onFamily(big, x)),
    );
  });
  out.length = 0;
  out.push(...kept);
  if (stoppedBy) {
    complete = false;
    const message = stoppedBy.message;
    if (!reasons.some((r) => r.includes(message))) reasons.push(`stopped: ${message}`);
  }
  const sortedReasons = [...new Set(reasons)];
  return {
    fixedPoints: out,
    params,
    symbolicParams: symbolic,
    newtonFailures: [],
    complete,
    completeness: complete
      ? solved.unsolved.length === 0
        ? "exact decomposition"
        : "exact decomposition, the rest by homotopy with every root certified and counted"
      : sortedReasons.join("; "),
    ...(rational ? { denominator: D.toString() } : {}),
    notes,
    ...(stoppedBy ? { stoppedBy } : {}),
  };

  // ---------------------------------------------------------------------------------------
  /** Eigenvalues of Jfix / d (d: D at the point, a polynomial in the parameters). */
  function scaleByDenominator(closed: ClosedFormEigenvalue[] | undefined, d: Poly) {
    if (!closed || d.equals(Poly.ONE)) return closed;
    const c = d.constantValue();
    if (c)
      return closed.map((e) => {
        if (!e.re || !e.im) return { text: `(${e.text})/${c}`, multiplicity: e.multiplicity };
        const re = e.re.scale(c.inv());
        const im = e.im.scale(c.inv());
        return {
          text: im.isZero() ? re.toString() : closedComplexText(re, im),
          multiplicity: e.multiplicity,
          re,
          im,
        };
      });
    const paren = (p: Poly | string) => (typeof p === "string" || p.size > 1 ? `(${p})` : `${p}`);
    const over = (p: Poly) => (p.isZero() ? "0" : `${paren(p)}/${paren(d)}`);
    return closed.map((e) => ({
      text:
        !e.re || !e.im
          ? `${paren(e.text)}/${paren(d)}`
          : e.im.isZero()
            ? over(e.re)
            : `${over(e.re)} ${e.im.leadingTerm(true)!.coef.sign() < 0 ? "-" : "+"} i*${over(e.im.leadingTerm(true)!.coef.sign() < 0 ? e.im.neg() : e.im)}`,
      multiplicity: e.multiplicity,
    }));
  }

  /** A point's stability conditions from closed-form eigenvalues (all of them transverse). */
  function pointConditions(closed: ClosedFormEigenvalue[] | undefined): Partial<FixedPoint> {
    const all = closed?.flatMap((e) => Array.from({ length: e.multiplicity }, () => e));
    const c = all ? stabilityConditions(all, kind) : undefined;
    if (!c) return {};
    if (c.kind === "where") return { stableWhere: c.text };
    if (c.kind === "never") return { stableWhere: "never", neverStableBecause: c.because };
    return { stableWhere: "always" };
  }

  function classifyAt(x: readonly number[], Pnum: Poly): { eig: Complex[]; cls: FixedPointClass } {
    if (!numeric) return { eig: [], cls: "unclassified" };
    const d = rational ? Dc(x) : 1;
    const eig = numericEigenvalues(Pnum).map((z) => ({ re: z.re / d, im: z.im / d }));
    return { eig, cls: classifyEigenvalues(eig, kind) };
  }

  function numericPoint(x: number[], radius: number): FixedPoint {
    const Pnum = P0.substituteAll(Object.fromEntries(states.map((s, i) => [s, Poly.constant(x[i]!)])));
    const { eig, cls } = classifyAt(x, Pnum);
    return {
      dimension: 0,
      eigenvalues: eig.map(complexText),
      eigenvaluesSymbolic: false,
      class: cls,
      value: Object.fromEntries(states.map((s, i) => [s, x[i]!])),
      residual: residualAt(x),
      tolerance: toleranceAt(x),
      method: "homotopy",
      certified: { radius },
      atDefaults: true,
    };
  }

  function exactPoint(c: SolvedComponent): FixedPoint | undefined {
    if (c.radical) return radicalPoint(c);
    const coords = states.map((s) => c.assignments[s]!);
    const at = coords.map((p) => p.substituteAll(defaults).constantValue()?.toNumber() ?? Number.NaN);
    if (numeric && denominatorZero(at)) {
      notes.push(`(${coords.join(", ")}) dropped: the denominator vanishes there`);
      return undefined;
    }
    const reduced = P.substituteAll(c.assignments);
    const dAt = D.substituteAll(c.assignments);
    const closed = scaleByDenominator(
      closedFormEigenvalues(c.atDefaults ? reduced.substituteAll(defaults) : reduced),
      c.atDefaults ? dAt.substituteAll(defaults) : dAt,
    );
    const { eig, cls } = classifyAt(at, reduced.substituteAll(defaults));
    return exactPointReport(coords.map(String), at, closed, eig, cls, c.atDefaults);
  }

  function exactPointReport(
    coords: readonly string[],
    at: readonly number[],
    closed: ClosedFormEigenvalue[] | undefined,
    eig: Complex[],
    cls: FixedPointClass,
    atDefaults: boolean,
  ): FixedPoint {
    return {
      point: Object.fromEntries(states.map((s, i) => [s, coords[i]!])),
      dimension: 0,
      eigenvalues: closed
        ? closed.flatMap((e) => Array.from({ length: e.multiplicity }, () => e.text))
        : eig.map(complexText),
      eigenvaluesSymbolic: closed !== undefined,
      class: cls,
      ...pointConditions(closed),
      value: Object.fromEntries(states.map((s, i) => [s, at[i]!])),
      residual: numeric ? residualAt(at) : Number.NaN,
      tolerance: numeric ? toleranceAt(at) : Number.NaN,
      method: "exact",
      atDefaults,
    };
  }

  /** A point with x = ±sqrt(R): other coordinates and the charpoly reduced modulo x^2 = R. */
  function radicalPoint(c: SolvedComponent): FixedPoint | undefined {
    const { unknown: x, square: R, sign } = c.radical!;
    const root = formatExpr(call("sqrt", fromPoly(R)));
    const xText = sign < 0 ? `-${root}` : root;
    // p(x) = A + B x modulo x^2 = R
    const reduce = (p: Poly): [Poly, Poly] => {
      let A = Poly.ZERO;
      let B = Poly.ZERO;
      p.coefficients(x).forEach((ck, k) => {
        const t = ck.mul(R.pow(Math.floor(k / 2)));
        if (k % 2 === 0) A = A.add(t);
        else B = B.add(t);
      });
      return [A, sign < 0 ? B.neg() : B];
    };
    const text = (p: Poly) => {
      const [A, B0] = reduce(p);
      if (B0.isZero()) return A.toString();
      const negative = B0.size === 1 && B0.terms()[0]!.coef.sign() < 0;
      const B = negative ? B0.neg() : B0;
      const b = `${B.size > 1 ? `(${B})*` : B.equals(Poly.ONE) ? "" : `${B}*`}${root}`;
      return A.isZero() ? `${negative ? "-" : ""}${b}` : `${A} ${negative ? "-" : "+"} ${b}`;
    };
    const coordText = states.map((s) => (s === x ? xText : text(c.assignments[s]!)));
    const Rnum = numeric ? R.substituteAll(defaults).constantValue()!.toNumber() : Number.NaN;
    if (numeric && Rnum < 0) {
      notes.push(`(${coordText.join(", ")}) is real only where ${R} >= 0 (not at the parameter values)`);
      return undefined;
    }
    const xNum = sign * Math.sqrt(Rnum);
    const env: Record<string, number> = { ...params, [x]: xNum };
    const at = states.map((s) => (s === x ? xNum : numeric ? c.assignments[s]!.evaluate(env) : Number.NaN));
    const reduced = P.substituteAll(c.assignments);
    const [A, B] = reduce(reduced);
    const [dA, dB] = reduce(D.substituteAll(c.assignments));
    const closed =
      B.isZero() && dB.isZero()
        ? scaleByDenominator(closedFormEigenvalues(c.atDefaults ? A.substituteAll(defaults) : A), dA)
        : undefined;
    const { eig, cls } = numeric
      ? classifyAt(at, reduced.substituteAll({ ...defaults, [x]: Poly.constant(xNum) }))
      : classifyAt(at, Poly.ZERO);
    return exactPointReport(coordText, at, closed, eig, cls, c.atDefaults);
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
    let dReduced: Poly = D;
    if (v !== undefined) {
      const [c0, c1] = g.coefficients(v);
      const value = (c0 as Poly).scale((c1 as Poly).constantValue()!.inv()).neg();
      description = states.includes(v) ? `${v} = ${value}` : `${value} = ${v}`;
      reduced = P.substitute(v, value);
      dReduced = D.substitute(v, value);
    }
    const closed = reduced ? scaleByDenominator(closedFormEigenvalues(reduced), dReduced) : undefined;
    // sample points: random values of all states but one, then solve g = 0 for the last
    const pts: number[][] = [];
    if (numeric) {
      const solveFor = states.find((s) => g.degree(s) >= 1)!;
      const others = states.filter((s) => s !== solveFor);
      const gDef = g.substituteAll(defaults);
      for (let tries = 0; pts.length < samples && tries < 20 * samples; tries++) {
        const vals = Object.fromEntries(
          others.map((s) => [s, Poly.constant(Rational.fromNumber(1.5 * rng.normal()))]),
        );
        const uni = gDef.substituteAll(vals);
        if (uni.degree(solveFor) < 1) continue;
        const coeffs = uni.coefficients(solveFor).map((c) => c.constantValue()!.toNumber());
        for (const z of sampledRoots(coeffs, { family: description, at: vals })) {
          if (Math.abs(z.im) > 1e-12 * (1 + Math.abs(z.re))) continue;
          pts.push(
            states.map((s) => (s === solveFor ? z.re : (vals[s] as Poly).constantValue()!.toNumber())),
          );
        }
      }
    }
    return familyReport(description, states.length - 1, undefined, closed, pts, g.substituteAll(defaults));
  }

  function explicitFamily(c: SolvedComponent): FixedPoint {
    const eqs = states
      .filter((s) => Object.hasOwn(c.assignments, s))
      .map((s) => `${s} = ${c.assignments[s]}`);
    const reduced = P.substituteAll(c.assignments);
    const dAt = D.substituteAll(c.assignments);
    const closed = scaleByDenominator(
      closedFormEigenvalues(c.atDefaults ? reduced.substituteAll(defaults) : reduced),
      c.atDefaults ? dAt.substituteAll(defaults) : dAt,
    );
    const pts: number[][] = [];
    if (numeric) {
      const assignDef = states.map((s) =>
        Object.hasOwn(c.assignments, s)
          ? c.assignments[s]!.substituteAll(defaults).compile(c.free)
          : undefined,
      );
      for (let k = 0; k < samples; k++) {
        const freeVals = c.free.map(() => 1.5 * rng.normal());
        pts.push(
          states.map((s, i) => (assignDef[i] ? assignDef[i]!(freeVals) : freeVals[c.free.indexOf(s)]!)),
        );
      }
    }
    const residualPoly = states
      .filter((s) => Object.hasOwn(c.assignments, s))
      .map((s) => Poly.variable(s).sub(c.assignments[s]!).substituteAll(defaults));
    const fp = familyReport(`${eqs.join(", ")}`, c.free.length, c.free, closed, pts, residualPoly);
    fp.atDefaults = c.atDefaults;
    return fp;
  }

  /**
   * A family's report: symbolic transverse eigenvalues where available with simplified
   * stability conditions, sampled stability at the parameter values, and the maximal residual
   * of g over the samples.
   */
  function familyReport(
    description: string,
    dimension: number,
    free: string[] | undefined,
    closed: ClosedFormEigenvalue[] | undefined,
    pts: number[][],
    equations: Poly | Poly[],
  ): FixedPoint {
    const tangent = kind === "flow" ? 0 : 1;
    let stable = 0;
    let unstable = 0;
    let neutral = 0;
    let centers = 0;
    let residual = 0;
    let tolerance = 0;
    const pDef = numeric ? P0.coefficients(LAMBDA).map((c) => c.compile(states)) : [];
    const kept: number[][] = [];
    for (const x of pts) {
      if (denominatorZero(x)) continue;
      kept.push(x);
      residual = Math.max(residual, residualAt(x));
      tolerance = Math.max(tolerance, toleranceAt(x));
      const d = rational ? Dc(x) : 1;
      const eig = sampledRoots(
        pDef.map((f) => f(x)),
        { family: description, at: x },
      ).map((z) => ({ re: z.re / d, im: z.im / d }));
      // the `dimension` eigenvalues nearest the tangent value belong to the family's directions
      const byDistance = [...eig].sort(
        (a, b) => Math.hypot(a.re - tangent, a.im) - Math.hypot(b.re - tangent, b.im),
      );
      const transverse = byDistance.slice(dimension);
      const gr = transverse.map((z) => growth(z, kind));
      // sampled eigenvalues come from a float64 charpoly of a float64 point: 1e-7 relative
      // separates "on the boundary" from stable or unstable at these O(1) samples
      const onBoundary = gr.map(
        (g, i) => Math.abs(g) <= 1e-7 * (1 + Math.hypot(transverse[i]!.re, transverse[i]!.im)),
      );
      if (onBoundary.some(Boolean)) {
        neutral++;
        // a linear center: every transverse eigenvalue on the boundary, none at the tangent value
        if (
          onBoundary.every(Boolean) &&
          transverse.every((z) => Math.hypot(z.re - tangent, z.im) > 1e-7 * (1 + Math.hypot(z.re, z.im)))
        )
          centers++;
        continue;
      }
      if (gr.every((g) => g < 0)) stable++;
      else unstable++;
    }
    const stability =
      stable > 0 && unstable > 0
        ? "mixed"
        : stable > 0
          ? "stable"
          : unstable > 0
            ? "unstable"
            : neutral > 0
              ? "neutral"
              : undefined;
    const eigenvalues = closed
      ? closed.flatMap((e) => Array.from({ length: e.multiplicity }, () => e.text))
      : ["(not in closed form; see stability of samples)"];
    const all = closed ? closed.flatMap((e) => Array.from({ length: e.multiplicity }, () => e)) : [];
    // the tangent eigenvalues: `dimension` of them equal to the tangent value
    let tangentLeft = dimension;
    const transverseClosed = all.filter((e) => {
      const isTangent = e.re?.equals(Poly.constant(tangent)) && e.im?.isZero();
      if (isTangent && tangentLeft > 0) {
        tangentLeft--;
        return false;
      }
      return true;
    });
    const conditions = closed ? stabilityConditions(transverseClosed, kind) : undefined;
    const symbolicCenter =
      kind === "flow" &&
      transverseClosed.length > 0 &&
      transverseClosed.every((e) => e.re?.isZero() && e.im && !e.im.isZero());
    const cls: FixedPointClass =
      kept.length === 0
        ? symbolicCenter
          ? "family of linear centers"
          : "unclassified"
        : centers === kept.length
          ? "family of linear centers"
          : neutral === 0
            ? "normally hyperbolic family"
            : "non-hyperbolic family";
    const eqList = Array.isArray(equations) ? equations : [equations];
    const eqCompiled = numeric ? eqList.map((p) => p.compile(states)) : [];
    const fp: FixedPoint = {
      family: description,
      dimension,
      ...(free ? { free } : {}),
      eigenvalues,
      eigenvaluesSymbolic: closed !== undefined,
      class: cls,
      ...(conditions?.kind === "where" ? { stableWhere: conditions.text } : {}),
      ...(conditions?.kind === "never" && !symbolicCenter
        ? { stableWhere: "never", neverStableBecause: conditions.because }
        : {}),
      ...(stability ? { stability } : {}),
      value: Object.fromEntries(states.map((s, i) => [s, kept[0]?.[i] ?? Number.NaN])),
      residual,
      tolerance,
      method: "exact",
      atDefaults: false,
    };
    familyResidual.set(fp, (x) => Math.max(0, ...eqCompiled.map((f) => Math.abs(f(x)))));
    familySamples.set(fp, kept);
    return fp;
  }
}

/**
 * The equations without those that lie in the ideal of the others (normal form zero modulo a
 * Gröbner basis of the rest; each basis has small size bounds, and an equation is kept when its
 * basis hits one). The time budget, when given, is checked throughout.
 */
function minimalGenerators(eqs: readonly Poly[], budget: Budget | undefined): Poly[] {
  const out = [...eqs];
  for (let k = out.length - 1; k >= 0 && out.length > 1; k--) {
    const others = out.filter((_, l) => l !== k);
    try {
      const basis = groebnerBasis(others, {
        maxPairs: 200,
        maxReductions: 5000,
        ...(budget ? { budget } : {}),
      });
      if (normalForm(out[k]!, basis).isZero()) out.splice(k, 1);
    } catch (e) {
      if (e instanceof BudgetExceededError || !(e instanceof LearndynError)) throw e;
    }
  }
  return out;
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
const familySamples = new WeakMap<FixedPoint, number[][]>();

function numericFixedPoints(rule: RuleSpec, options: FixedPointOptions): FixedPointResult {
  const symbolic = symbolicParams(rule);
  if (symbolic.length > 0)
    throw new InvalidArgumentError(
      "fixedPoints",
      "params",
      `values for every parameter of rule "${rule.name}" (its field has functions: the search is numeric)`,
      `none for ${symbolic.join(", ")}`,
      "give them in the rule file or with --param NAME=VALUE",
    );
  const params = paramValues(rule);
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
  return {
    fixedPoints: fps,
    params,
    symbolicParams: [],
    newtonFailures: failures,
    complete: false,
    completeness: "the field has functions: Newton's method from seeded starts, no completeness proof",
    notes: [],
  };
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
