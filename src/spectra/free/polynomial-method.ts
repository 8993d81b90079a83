/**
 * The polynomial method for free additive convolutions of algebraic laws (Rao and Edelman, "The
 * polynomial method for random matrices", 2008): exact bivariate polynomials over Q instead of a
 * numeric fixed point.
 *
 * Each summand's R-transform is a root of a polynomial Q_i(R, w) = 0:
 * - semicircle of variance s: R − s w;
 * - free Poisson (Marchenko-Pastur) of rate λ and jump α: R(1 − α w) − λα (its law is λ·MP_{1/λ}
 *   scaled by α; edges α(1 ± √λ)²);
 * - atoms Σ p_i δ_{a_i}: G = P/Q with Q = Π(z − a_i), by the inverse-function substitution
 *   z = R + 1/w, G = w (z = K(G) = R(G) + 1/G): Π_i (w(R − a_i) + 1) − Σ_i p_i Π_{j≠i} (w(R − a_j) + 1),
 *   with its factors w removed;
 * - a shift c (c·I): R − c;
 * and a coefficient a turns Q(R, w) into Q(R/a, a w) (R_{aX}(w) = a R_X(a w)).
 * The free sum has R = Σ R_i: with R_1 = R − R_2 − … eliminated one summand at a time by
 * resultants, Res_{R_i}(Q_i(R_i, w), Q_acc(R − R_i, w)), one polynomial Q(R, w) remains. Then
 * z = R(G) + 1/G gives L(G, z) = G^d Q(z − 1/G, G), d = deg_R Q, with its factors G, its content
 * in G and its repeated factors removed. The edges of the law are among the real roots of the
 * discriminant of L in G (a polynomial in z over Q): there two roots G meet. A candidate is kept
 * when the density, from L alone (the physical root G followed down from far above the axis), is
 * zero on one side and positive on the other ({@link validatedEdge}).
 *
 * Sizes grow as the product of the summands' degrees: each summand's degree in R and the
 * degree of every intermediate polynomial in R and in w are bounded by `maxDegree`, and
 * BoundExceededError names the bound that was hit.
 */
import {
  discriminant,
  Poly,
  polyGcd,
  polyRoots,
  primitivePartIn,
  Rational,
  resultant,
} from "../../expr/index.ts";
import { type Budget, runStep } from "../../util/budget.ts";
import { BoundExceededError, InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import type { Complex } from "../complex.ts";
import { complexRoots } from "../polynomial.ts";
import { type SpectralEdge, supportIntervals, validatedEdges } from "../support.ts";

/** An exact parameter: a Rational, a decimal or fraction literal ("3/7"), or a float64 (taken exactly). */
export type ExactValue = Rational | string | number;

/** One freely independent summand with an algebraic law, times an optional coefficient. */
export type AlgebraicSummand =
  | { readonly kind: "semicircle"; readonly variance: ExactValue; readonly coefficient?: ExactValue }
  | {
      readonly kind: "freePoisson";
      readonly rate: ExactValue;
      readonly jump?: ExactValue;
      readonly coefficient?: ExactValue;
    }
  | {
      readonly kind: "atoms";
      readonly atoms: readonly ExactValue[];
      readonly weights: readonly ExactValue[];
      readonly coefficient?: ExactValue;
    }
  | { readonly kind: "shift"; readonly value: ExactValue };

export interface PolynomialMethodOptions {
  /** Largest degree in R or w of any summand's or intermediate polynomial, and in G of L (default 24). */
  maxDegree?: number;
  /** A time bound for the exact steps (elimination, L, discriminant): BudgetExceededError names the step. */
  budget?: Budget;
}

const R = Poly.variable("R");
const W = Poly.variable("w");

function exact(fn: string, arg: string, v: ExactValue): Rational {
  if (v instanceof Rational) return v;
  if (typeof v === "string") return Rational.parse(v);
  if (typeof v === "number" && Number.isFinite(v)) return Rational.fromNumber(v);
  throw new InvalidArgumentError(fn, arg, "a Rational, a decimal or fraction literal, or a finite number", v);
}

function positive(fn: string, arg: string, v: ExactValue): Rational {
  const r = exact(fn, arg, v);
  if (r.sign() <= 0) throw new InvalidArgumentError(fn, arg, "a value > 0", r.toString());
  return r;
}

/** p divided by w as often as w divides it. */
function withoutFactor(p: Poly, v: string): Poly {
  let q = p;
  const x = Poly.variable(v);
  while (!q.isZero() && q.degree(v) > 0) {
    const d = q.exactQuotient(x);
    if (!d) break;
    q = d;
  }
  return q;
}

/** Q(R, w) = 0 for the R-transform of one summand (see the module comment). */
export function rTransformPolynomial(s: AlgebraicSummand): Poly {
  const fn = "rTransformPolynomial";
  let q: Poly;
  switch (s.kind) {
    case "semicircle":
      q = R.sub(W.scale(positive(fn, "variance", s.variance)));
      break;
    case "freePoisson": {
      const rate = positive(fn, "rate", s.rate);
      const jump = exact(fn, "jump", s.jump ?? 1);
      if (jump.isZero()) throw new InvalidArgumentError(fn, "jump", "a nonzero value", "0");
      q = R.mul(Poly.ONE.sub(W.scale(jump))).sub(Poly.constant(rate.mul(jump)));
      break;
    }
    case "atoms": {
      if (s.atoms.length === 0 || s.atoms.length !== s.weights.length)
        throw new InvalidArgumentError(fn, "weights", "one weight per atom (at least one)", s.weights);
      const a = s.atoms.map((v, k) => exact(fn, `atoms[${k}]`, v));
      const p = s.weights.map((v, k) => exact(fn, `weights[${k}]`, v));
      p.forEach((v, k) => {
        if (v.sign() < 0) throw new InvalidArgumentError(fn, `weights[${k}]`, "a weight ≥ 0", v.toString());
      });
      const total = p.reduce((t, v) => t.add(v), Rational.ZERO);
      if (!total.isOne())
        throw new InvalidArgumentError(fn, "weights", "exact weights summing to 1", total.toString());
      const factor = a.map((ak) => W.mul(R.sub(Poly.constant(ak))).add(Poly.ONE));
      const all = factor.reduce((t, f) => t.mul(f), Poly.ONE);
      let rest = Poly.ZERO;
      p.forEach((pk, k) => {
        if (pk.isZero()) return;
        rest = rest.add(factor.reduce((t, f, j) => (j === k ? t : t.mul(f)), Poly.constant(pk)));
      });
      q = all.sub(rest);
      break;
    }
    case "shift":
      return R.sub(Poly.constant(exact(fn, "value", s.value)));
  }
  if (s.coefficient !== undefined) {
    const c = exact(fn, "coefficient", s.coefficient);
    if (c.isZero()) throw new InvalidArgumentError(fn, "coefficient", "a nonzero value", "0");
    q = q.substituteAll({ R: R.scale(c.inv()), w: W.scale(c) });
  }
  return withoutFactor(q, "w").primitive();
}

function checkDegree(fn: string, what: string, p: Poly, v: string, maxDegree: number): void {
  const d = p.degree(v);
  if (d > maxDegree)
    throw new BoundExceededError(
      fn,
      `degree in ${v} of ${what}`,
      maxDegree,
      d,
      "fewer or simpler summands, or a larger maxDegree",
    );
}

/**
 * Q / gcd(Q, ∂Q/∂R): one copy of each factor that involves R, none free of R. Resultants of
 * identical summands repeat factors (the pairs of branches (a, b) and (b, a) have one sum), and
 * factors in w alone carry no R-transform; both would make the discriminant in G vanish.
 */
function squareFreeInR(q: Poly): Poly {
  const g = polyGcd(q, q.derivative("R"));
  return (g.isConstant() ? q : q.exactQuotient(g)!).primitive();
}

/** Q(R, w) = 0 for R = Σ R_i, the R-transform of the free sum, by resultants in each R_i. */
export function freeSumRPolynomial(
  summands: readonly AlgebraicSummand[],
  options: PolynomialMethodOptions = {},
): Poly {
  const fn = "freeSumRPolynomial";
  const maxDegree = options.maxDegree ?? 24;
  if (summands.length === 0) throw new InvalidArgumentError(fn, "summands", "at least one summand", summands);
  let acc: Poly | undefined;
  summands.forEach((s, k) => {
    const q = rTransformPolynomial(s);
    checkDegree(fn, `summands[${k}]`, q, "R", maxDegree);
    if (!acc) {
      acc = q;
      return;
    }
    // Both factors' degrees in R multiply under elimination: refuse before the determinant.
    const predicted = q.degree("R") * acc.degree("R");
    if (predicted > maxDegree)
      throw new BoundExceededError(
        fn,
        "degree in R of the free sum",
        maxDegree,
        predicted,
        "fewer or simpler summands, or a larger maxDegree",
      );
    const qi = q.substitute("R", Poly.variable("Ri"));
    const shifted = acc.substitute("R", R.sub(Poly.variable("Ri")));
    acc = runStep(options.budget, "freeSumRPolynomial", () => squareFreeInR(resultant(qi, shifted, "Ri")));
    checkDegree(fn, "the free sum", acc, "w", maxDegree);
  });
  return squareFreeInR(acc!);
}

/**
 * L(G, z) = 0 for the Cauchy transform of the free sum: G^d Q(z − 1/G, G) with its factors G and
 * its content in G removed. (R, w) ↦ (z = R + 1/w, G = w) is birational, so L is square-free
 * in G because Q is, and has no factor free of z because Q has none free of R.
 */
export function cauchyPolynomial(
  summands: readonly AlgebraicSummand[],
  options: PolynomialMethodOptions = {},
): Poly {
  const fn = "cauchyPolynomial";
  const maxDegree = options.maxDegree ?? 24;
  const q = freeSumRPolynomial(summands, options);
  const G = Poly.variable("G");
  const zG1 = Poly.variable("z").mul(G).sub(Poly.ONE);
  const cs = q.coefficients("R");
  const d = cs.length - 1;
  let L = Poly.ZERO;
  cs.forEach((c, k) => {
    L = L.add(
      c
        .substitute("w", G)
        .mul(zG1.pow(k))
        .mul(G.pow(d - k)),
    );
  });
  L = primitivePartIn(withoutFactor(L, "G"), "G");
  checkDegree(fn, "L", L, "G", maxDegree);
  return L.primitive();
}

/** The algebraic law of a free sum, prepared: L and its coefficients in G as float polynomials in z. */
export interface AlgebraicFreeSum {
  readonly summands: readonly AlgebraicSummand[];
  /** L(G, z) = 0 (exact, integer coefficients). */
  readonly L: Poly;
  /** coefficients[k][j]: the coefficient of G^k z^j in L, as float64 (scaled by one power of two). */
  readonly coefficients: readonly (readonly number[])[];
}

export function algebraicFreeSum(
  summands: readonly AlgebraicSummand[],
  options: PolynomialMethodOptions = {},
): AlgebraicFreeSum {
  const L = cauchyPolynomial(summands, options);
  const exactCoefficients = L.coefficients("G").map((c) =>
    c.coefficients("z").map((t) => t.constantValue()!),
  );
  const bits = (r: Rational) =>
    r.isZero() ? -Infinity : r.num.toString(2).length - r.den.toString(2).length;
  const top = Math.max(...exactCoefficients.flat().map((r) => bits(r.abs())));
  const unit = Rational.of(2n).pow(-top);
  const coefficients = exactCoefficients.map((cs) => cs.map((c) => c.mul(unit).toNumber()));
  return { summands, L, coefficients };
}

/** The coefficients in G of L(·, z) at complex z. */
function coefficientsAt(sum: AlgebraicFreeSum, z: Complex): { re: number[]; im: number[] } {
  const re: number[] = [];
  const im: number[] = [];
  for (const cs of sum.coefficients) {
    let a = 0;
    let b = 0;
    for (let j = cs.length - 1; j >= 0; j--) {
      const t = a * z.re - b * z.im + cs[j]!;
      b = a * z.im + b * z.re;
      a = t;
    }
    re.push(a);
    im.push(b);
  }
  return { re, im };
}

/**
 * The root of Σ (re_k + i im_k) G^k that continues g: the nearest root, provided it is at most a
 * quarter as far as the next nearest (otherwise null: the step was too long to tell branches
 * apart). Where the roots cannot all be found (far above the axis the other branches cluster
 * where Aberth's iteration stalls, while the followed root, near 1/z, is isolated), Newton's
 * method from g.
 */
function followed(re: number[], im: number[], g: Complex): Complex | null {
  let roots: Complex[];
  try {
    roots = complexRoots(re, im, 60);
  } catch (e) {
    if (!(e instanceof NumericFailureError)) throw e;
    // Newton from g, kept only when it converges near g (else the step is retried shorter).
    try {
      const h = newtonRoot(re, im, g);
      return Math.hypot(h.re - g.re, h.im - g.im) <= 0.25 * Math.hypot(g.re, g.im) ? h : null;
    } catch (f) {
      if (f instanceof NumericFailureError) return null;
      throw f;
    }
  }
  const dist = roots.map((r) => Math.hypot(r.re - g.re, r.im - g.im));
  const order = dist.map((_, k) => k).sort((a, b) => dist[a]! - dist[b]!);
  const [first, second] = order;
  if (first === undefined) return null;
  if (second !== undefined && !(dist[first]! <= 0.25 * dist[second]!)) return null;
  return newtonRoot(re, im, roots[first]!);
}

/** Newton's method for Σ (re_k + i im_k) G^k from g, to |step| ≤ 1e-15(1 + |G|), at most 100 steps. */
function newtonRoot(re: number[], im: number[], g: Complex): Complex {
  let x = g;
  let step = Number.POSITIVE_INFINITY;
  for (let it = 0; it < 100; it++) {
    let p: Complex = { re: 0, im: 0 };
    let dp: Complex = { re: 0, im: 0 };
    for (let k = re.length - 1; k >= 0; k--) {
      dp = { re: dp.re * x.re - dp.im * x.im + p.re, im: dp.re * x.im + dp.im * x.re + p.im };
      p = { re: p.re * x.re - p.im * x.im + re[k]!, im: p.re * x.im + p.im * x.re + im[k]! };
    }
    const d = dp.re * dp.re + dp.im * dp.im;
    if (d === 0) break;
    const dx = { re: (p.re * dp.re + p.im * dp.im) / d, im: (p.im * dp.re - p.re * dp.im) / d };
    x = { re: x.re - dx.re, im: x.im - dx.im };
    step = Math.hypot(dx.re, dx.im);
    if (step <= 1e-15 * (1 + Math.hypot(x.re, x.im))) return x;
  }
  // Near a double root Newton converges linearly to about √ε: accept that, as complexRoots does.
  if (step <= 1e-7 * (1 + Math.hypot(x.re, x.im))) return x;
  throw new NumericFailureError("algebraicCauchy", "Newton's method did not converge on L(G, z) = 0", {
    start: g,
    last: x,
    step,
  });
}

/**
 * G(z) for Im z > 0 from L alone: the root of L(·, z) that behaves as 1/z far above the axis,
 * followed down the vertical line Re z = x (where the physical branch is analytic) in steps that
 * halve Im z, each time taking the root nearest the previous one. Throws NumericFailureError
 * when the followed root leaves the lower half plane (a branch jump).
 */
export function algebraicCauchy(
  sum: AlgebraicFreeSum,
  z: Complex,
  top = 1e3 * (1 + Math.abs(z.re)),
): Complex {
  if (!(z.im > 0)) throw new InvalidArgumentError("algebraicCauchy", "z", "Im z > 0", z);
  let eta = Math.max(top, z.im);
  const d = z.re * z.re + eta * eta;
  const start = coefficientsAt(sum, { re: z.re, im: eta });
  let g = newtonRoot(start.re, start.im, { re: z.re / d, im: -eta / d });
  // Im z shrinks by `ratio` per step; a step whose root is ambiguous or leaves the lower half
  // plane is retried shorter (ratio → √ratio), down to steps of 1e-6 relative.
  let ratio = 0.5;
  while (eta > z.im) {
    const next = Math.max(z.im, eta * ratio);
    const at = { re: z.re, im: next };
    const { re, im } = coefficientsAt(sum, at);
    const h = followed(re, im, g);
    if (h && h.im <= 1e-9 * Math.hypot(h.re, h.im)) {
      g = h;
      eta = next;
      ratio = Math.min(0.5, ratio * ratio);
    } else {
      ratio = Math.sqrt(ratio);
      if (ratio > 1 - 1e-6)
        throw new NumericFailureError("algebraicCauchy", "the physical root cannot be followed", {
          z: at,
          G: g,
        });
    }
  }
  return g;
}

/** −Im G(x + iη)/π from {@link algebraicCauchy}, η = 1e-9(1 + |x|) by default. */
export function algebraicDensity(sum: AlgebraicFreeSum, x: number, eta = 1e-9 * (1 + Math.abs(x))): number {
  return Math.max(0, -algebraicCauchy(sum, { re: x, im: eta }).im / Math.PI);
}

/** The atoms of one summand, exactly: none for a semicircle, 0 of mass 1 − λ for a free Poisson law of rate λ < 1. */
function summandAtoms(s: AlgebraicSummand): { location: Rational; mass: Rational }[] {
  const fn = "algebraicSumAtoms";
  if (s.kind === "shift") return [{ location: exact(fn, "value", s.value), mass: Rational.ONE }];
  if (s.kind === "semicircle") return [];
  if (s.kind === "freePoisson") {
    const rate = positive(fn, "rate", s.rate);
    return rate.compare(Rational.ONE) < 0 ? [{ location: Rational.ZERO, mass: Rational.ONE.sub(rate) }] : [];
  }
  const c = exact(fn, "coefficient", s.coefficient ?? 1);
  return s.atoms
    .map((a, k) => ({
      location: exact(fn, `atoms[${k}]`, a).mul(c),
      mass: exact(fn, `weights[${k}]`, s.weights[k]!),
    }))
    .filter((a) => a.mass.sign() > 0);
}

/**
 * The atoms of the free sum, exactly: μ ⊞ ν has an atom at a + b of mass μ({a}) + ν({b}) − 1
 * wherever that is positive (Bercovici and Voiculescu), applied one summand at a time.
 */
export function algebraicSumAtoms(
  summands: readonly AlgebraicSummand[],
): { location: Rational; mass: Rational }[] {
  let acc = [{ location: Rational.ZERO, mass: Rational.ONE }];
  for (const s of summands) {
    const next: { location: Rational; mass: Rational }[] = [];
    for (const a of acc)
      for (const b of summandAtoms(s)) {
        const mass = a.mass.add(b.mass).sub(Rational.ONE);
        if (mass.sign() > 0) next.push({ location: a.location.add(b.location), mass });
      }
    acc = next;
  }
  return acc.sort((u, v) => u.location.compare(v.location));
}

export interface AlgebraicSupport {
  /** L(G, z) = 0. */
  L: Poly;
  /** The discriminant of L in G, a polynomial in z. */
  discriminant: Poly;
  /** Validated edges, ascending. */
  edges: SpectralEdge[];
  intervals: [number, number][];
  /** Atoms of the free sum, exact ({@link algebraicSumAtoms}). */
  atoms: { location: Rational; mass: Rational }[];
  /** Real roots of the discriminant that the density test rejected. */
  rejected: number[];
}

/** Edges of the free sum by the polynomial method: real roots of disc_G L(G, z), validated by the density. */
export function polynomialMethodSupport(
  summands: readonly AlgebraicSummand[],
  options: PolynomialMethodOptions = {},
): AlgebraicSupport {
  const sum = algebraicFreeSum(summands, options);
  const disc = runStep(options.budget, "discriminant", () =>
    sum.L.degree("G") >= 1 ? discriminant(sum.L, "G") : Poly.ONE,
  );
  const candidates: number[] = [];
  if (!disc.isConstant())
    for (const { root } of runStep(options.budget, "discriminant roots", () => polyRoots(disc, "z")))
      if (Math.abs(root.im) <= 1e-9 * (1 + Math.abs(root.re))) candidates.push(root.re);
  candidates.sort((a, b) => a - b);
  const { edges, rejected } = validatedEdges(candidates, (y, eta) => algebraicDensity(sum, y, eta));
  return {
    L: sum.L,
    discriminant: disc,
    edges,
    intervals: supportIntervals(edges),
    atoms: algebraicSumAtoms(summands),
    rejected,
  };
}
