/**
 * The real solutions of a polynomial system with rational coefficients, each certified, with
 * a proof of completeness where one is available: {@link polynomialSystemRoots}.
 *
 * 0. A square system is first solved by the homotopy alone (step 3): when its certified
 *    distinct roots number the Bezout bound, that proves completeness (step 4) and no Gröbner
 *    basis is needed (random dense systems, the common case, end here).
 * 1. Otherwise a Gröbner basis (when small, see {@link groebnerBasis}) gives the dimension of
 *    the solution set and, if it is finite, the number N of complex solutions counted with
 *    multiplicity.
 * 2. Positive dimension: the set is reported with its dimension d, and real sample points on
 *    it are found by fixing d independent variables (from the basis) at random values and
 *    solving the rest as below.
 * 3. Dimension 0: a square system (more equations than unknowns are first replaced by random
 *    integer combinations, whose roots include every root of the original) is solved by the
 *    total-degree homotopy ({@link trackTotalDegree}); every regular endpoint is certified by
 *    the Krawczyk test ({@link certifyRoot}), real ones as real.
 * 4. Complete (every solution found, none missed) when the certified distinct roots of the
 *    square system number its Bezout bound (no other isolated root, no positive-dimensional
 *    component can exist: refined Bezout theorem, W. Fulton, "Intersection Theory", 12.3) or
 *    the count N of its own Gröbner basis (all its roots are then simple and found). With a
 *    randomized system, a certified root is kept when the original equations' interval
 *    enclosure on its box contains 0 and their float residual is at rounding level.
 *    Otherwise the reason is given.
 *
 * Every stage runs under the time budget when one is given ({@link Budget.run}, named "Gröbner
 * basis", "homotopy path tracking", "Krawczyk certification"): when it runs out, the roots
 * certified so far are returned with the budget's error in `stoppedBy` and `complete` false.
 * The size bounds (S-pairs and reduction steps of the basis, paths and predictor-corrector steps
 * of the homotopy) are deterministic, so results do not depend on the machine's load.
 */
import { type GroebnerOptions, groebnerBasis, idealShape } from "../expr/groebner.ts";
import { Poly, Rational } from "../expr/index.ts";
import { BudgetExceededError, runStep } from "../util/budget.ts";
import { LearndynError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { type HomotopyOptions, residualRatio, trackTotalDegree } from "./homotopy.ts";
import { boxesOverlap, type Certificate, certifyRoot } from "./krawczyk.ts";
import { compileSystem } from "./poly-system.ts";

export interface CertifiedRealRoot {
  /** Coordinates in the order of the unknowns. */
  x: number[];
  /** Half-width of the Krawczyk box proving a unique real root. */
  radius: number;
}

export interface SystemRoots {
  unknowns: string[];
  /** Dimension of the complex solution set (-1: empty), when the Gröbner basis was computed. */
  dimension?: number;
  /** Certified real isolated roots (dimension 0), or real sample points (dimension > 0). */
  real: CertifiedRealRoot[];
  /** Number of certified non-real roots. */
  complex: number;
  /** Real endpoints that could not be certified (singular roots, points on components). */
  uncertified: number[][];
  /**
   * Dimension > 0: the certified regular roots of the square system, isolated solutions beside
   * the positive-dimensional set (not proven to be all of them).
   */
  isolated?: CertifiedRealRoot[];
  /** Paths that ended at a root another path had reached (a sign of path jumping). */
  duplicates?: number;
  /** Distinct certified roots of the homotopy's square system, and its Bezout number. */
  homotopy?: { certified: number; bezout: number };
  /** Whether every isolated solution is proven found (dimension 0 only). */
  complete: boolean;
  /** Why `complete` is false, or how it was proven. */
  reason: string;
  /** The time budget ran out (in the stage it names): the roots certified before are kept. */
  stoppedBy?: BudgetExceededError;
}

export interface SystemRootsOptions extends HomotopyOptions {
  groebner?: GroebnerOptions;
  /** Number of slices through a positive-dimensional set for sample points (default 4). */
  slices?: number;
  /** Largest Bezout number for which isolated roots beside a positive-dimensional set are tracked (default 64). */
  maxPathsBesideFamilies?: number;
}

/** Real roots of {equations = 0} in `unknowns` (rational coefficients); see the module comment. */
export function polynomialSystemRoots(
  equations: readonly Poly[],
  unknowns: readonly string[],
  options: SystemRootsOptions = {},
): SystemRoots {
  const eqs = equations.filter((p) => !p.isZero());
  const base = { unknowns: [...unknowns], real: [], complex: 0, uncertified: [] };
  if (eqs.some((p) => p.isConstant()))
    return { ...base, dimension: -1, complete: true, reason: "a nonzero constant equation" };
  if (unknowns.length === 0)
    return { ...base, real: [{ x: [], radius: 0 }], dimension: 0, complete: true, reason: "no unknowns" };
  // a square system: the homotopy alone, complete when every Bezout path ends at its own root
  const first =
    eqs.length === unknowns.length && bezoutNumber(eqs, unknowns) <= (options.maxPaths ?? 20000)
      ? isolated(eqs, unknowns, options, undefined)
      : undefined;
  if (first?.complete) return { ...first, dimension: 0 };
  if (first?.stoppedBy) return first;
  // the Gröbner basis, when small: dimension and root count
  let shape: { dimension: number; degree?: number; basis: Poly[] } | undefined;
  let groebnerNote = "";
  try {
    const basis = runStep(options.budget, "Gröbner basis", () =>
      groebnerBasis(eqs, { ...options.groebner, ...(options.budget ? { budget: options.budget } : {}) }),
    );
    shape = { ...idealShape(basis, unknowns), basis };
  } catch (e) {
    if (e instanceof BudgetExceededError)
      return { ...base, ...(first ?? {}), complete: false, reason: e.message, stoppedBy: e };
    if (!(e instanceof LearndynError)) throw e;
    groebnerNote = `Gröbner basis not computed (${e.message})`;
  }
  if (shape?.dimension === -1)
    return { ...base, dimension: -1, complete: true, reason: "Gröbner basis {1}: no complex solution" };
  if (shape?.dimension === 0 && shape.degree === 0)
    return { ...base, dimension: -1, complete: true, reason: "no solution" };
  if (shape && shape.dimension > 0) {
    const sampled = samplePositiveDimensional(shape.basis, unknowns, shape.dimension, options);
    // regular roots of the square system are isolated solutions beside the positive-dimensional set
    const r =
      first ??
      (eqs.length >= unknowns.length && bezoutNumber(eqs, unknowns) <= (options.maxPathsBesideFamilies ?? 64)
        ? isolated(eqs, unknowns, options, undefined)
        : undefined);
    const stoppedBy = sampled.stoppedBy ?? r?.stoppedBy;
    return {
      ...sampled,
      ...(stoppedBy ? { stoppedBy } : {}),
      isolated: r?.real ?? [],
      reason: `${sampled.reason}${r ? "; regular isolated roots beside it by homotopy" : "; isolated roots beside it not searched (Bezout number above the bound)"}`,
    };
  }
  if (eqs.length < unknowns.length)
    return {
      ...base,
      complete: false,
      reason: `${eqs.length} equations in ${unknowns.length} unknowns; ${groebnerNote}`,
    };
  // the homotopy's roots against the Gröbner count (a square system's were tracked above)
  const r = first
    ? withCount(first, shape?.degree)
    : isolated(eqs, unknowns, options, eqs.length === unknowns.length ? shape?.degree : undefined);
  return {
    ...r,
    ...(shape ? { dimension: 0 } : {}),
    reason: r.complete || !groebnerNote ? r.reason : `${r.reason}; ${groebnerNote}`,
  };
}

function bezoutNumber(eqs: readonly Poly[], unknowns: readonly string[]): number {
  const degrees = eqs.map((p) => p.totalDegree()).sort((a, b) => b - a);
  return degrees.slice(0, unknowns.length).reduce((a, b) => a * b, 1);
}

function isolated(
  eqs: readonly Poly[],
  unknowns: readonly string[],
  options: SystemRootsOptions,
  groebnerCount: number | undefined,
): SystemRoots {
  const n = unknowns.length;
  const rng = new Rng(options.seed ?? 1);
  // a square system whose roots include all of eqs' roots
  const square =
    eqs.length === n
      ? [...eqs]
      : Array.from({ length: n }, () =>
          eqs.reduce((acc, p) => acc.add(p.scale(Rational.of(1 + rng.int(9)))), Poly.ZERO),
        );
  const sys = compileSystem(square, unknowns);
  const original = compileSystem(eqs, unknowns);
  const certs: Certificate[] = [];
  const uncertified: number[][] = [];
  let duplicates = 0;
  const h = runStep(options.budget, "homotopy path tracking", () =>
    trackTotalDegree(sys, {
      ...options,
      afterPath: (p) => {
        if (p.status !== "regular") {
          const isReal = p.x.im.every((v, i) => Math.abs(v) <= 1e-6 * (1 + Math.abs(p.x.re[i]!)));
          if (p.status === "singular" && isReal) uncertified.push(p.x.re);
          return false;
        }
        const isReal = p.x.im.every((v, i) => Math.abs(v) <= 1e-8 * (1 + Math.abs(p.x.re[i]!)));
        const c = runStep(options.budget, "Krawczyk certification", () => {
          const asReal = certifyRoot(sys, p.x, isReal);
          return !asReal.certified && isReal ? certifyRoot(sys, p.x, false) : asReal;
        });
        if (!c.certified) {
          if (isReal) uncertified.push(p.x.re);
          return false;
        }
        if (certs.some((d) => boxesOverlap(c, d))) duplicates++;
        else certs.push(c);
        // every root the Gröbner basis counts (with multiplicity) is found and simple: stop
        return duplicates === 0 && groebnerCount !== undefined && certs.length === groebnerCount;
      },
    }),
  );
  // the square system's roots that solve the original equations
  const kept = eqs.length === n ? certs : certs.filter((c) => residualRatio(original, c.center) <= 1e-10);
  const real = kept.filter((c) => c.real).map((c) => ({ x: c.center.re, radius: c.radius }));
  const complexCount = kept.filter((c) => !c.real).length;
  const failed = h.paths.filter((p) => p.status === "failed");
  const singular = h.paths.filter((p) => p.status === "singular").length;
  const byCount = groebnerCount !== undefined && certs.length === groebnerCount;
  const complete = !h.stoppedBy && duplicates === 0 && (certs.length === h.bezout || byCount);
  const reason = h.stoppedBy
    ? `${h.stoppedBy.message} after ${h.paths.length} of ${h.bezout} paths (${certs.length} certified roots kept)`
    : complete
      ? certs.length === h.bezout
        ? `${certs.length} certified distinct roots = Bezout number`
        : `${certs.length} certified distinct roots = Gröbner count with multiplicity (${h.paths.length} of ${h.bezout} paths tracked)`
      : `${certs.length} certified roots of ${h.bezout} paths (${singular} singular, ` +
        `${h.paths.filter((p) => p.status === "diverged").length} to infinity, ${failed.length} failed` +
        `${failed.length > 0 ? `: ${failed[0]!.reason}` : ""}` +
        `${duplicates > 0 ? `, ${duplicates} at a root already found` : ""})` +
        (groebnerCount !== undefined ? `; Gröbner count ${groebnerCount} with multiplicity` : "");
  return {
    unknowns: [...unknowns],
    real,
    complex: complexCount,
    uncertified,
    complete,
    reason,
    duplicates,
    homotopy: { certified: certs.length, bezout: h.bezout },
    ...(h.stoppedBy ? { stoppedBy: h.stoppedBy } : {}),
  };
}

/**
 * A square system's homotopy result (every path tracked) against the Gröbner count N of its
 * roots with multiplicity: N distinct certified roots are all of them, each simple.
 */
function withCount(r: SystemRoots, count: number | undefined): SystemRoots {
  if (count === undefined || r.complete || !r.homotopy) return r;
  if ((r.duplicates ?? 0) === 0 && r.homotopy.certified === count)
    return {
      ...r,
      complete: true,
      reason: `${count} certified distinct roots = Gröbner count with multiplicity (${r.homotopy.bezout} paths tracked)`,
    };
  return { ...r, reason: `${r.reason}; Gröbner count ${count} with multiplicity` };
}

/**
 * Real sample points on a positive-dimensional solution set: `dimension` variables independent
 * modulo the basis's leading monomials are fixed at random values and the rest solved.
 */
function samplePositiveDimensional(
  basis: readonly Poly[],
  unknowns: readonly string[],
  dimension: number,
  options: SystemRootsOptions,
): SystemRoots {
  const free = independentSet(basis, unknowns, dimension);
  const rest = unknowns.filter((v) => !free.includes(v));
  const rng = new Rng(options.seed ?? 1);
  const real: CertifiedRealRoot[] = [];
  for (let s = 0; s < (options.slices ?? 4); s++) {
    const values = Object.fromEntries(
      free.map((v) => [v, Poly.constant(Rational.of(rng.int(17) - 8, 1 + rng.int(4)))]),
    );
    const sliced = basis.map((p) => p.substituteAll(values)).filter((p) => !p.isZero());
    if (sliced.some((p) => p.isConstant())) continue;
    let r: SystemRoots;
    try {
      // a slice is only for sample points: small bounds, and no slices of slices
      r = polynomialSystemRoots(sliced, rest, {
        ...options,
        slices: 0,
        maxPaths: 64,
        maxTotalSteps: Math.min(options.maxTotalSteps ?? 200000, 5000),
        groebner: { maxPairs: 200, maxReductions: 5000 },
      });
    } catch (e) {
      if (e instanceof BudgetExceededError) return { ...sampledSoFar(), stoppedBy: e };
      if (e instanceof LearndynError) continue;
      throw e;
    }
    if (r.stoppedBy) return { ...sampledSoFar(), stoppedBy: r.stoppedBy };
    for (const root of r.real)
      real.push({
        x: unknowns.map((v) =>
          free.includes(v) ? values[v]!.constantValue()!.toNumber() : root.x[rest.indexOf(v)]!,
        ),
        radius: root.radius,
      });
  }
  return sampledSoFar();

  function sampledSoFar(): SystemRoots {
    return {
      unknowns: [...unknowns],
      dimension,
      real,
      complex: 0,
      uncertified: [],
      complete: false,
      reason: `a solution set of dimension ${dimension}: its isolated points, if any, are not separated`,
    };
  }
}

function independentSet(basis: readonly Poly[], unknowns: readonly string[], d: number): string[] {
  const leads = basis.map((g) => g.leadingTerm(true)!.mono);
  const n = unknowns.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const S = unknowns.filter((_, i) => mask & (1 << i));
    if (S.length !== d) continue;
    if (leads.every((m) => m.some(([v]) => !S.includes(v)))) return S;
  }
  return unknowns.slice(0, d);
}
