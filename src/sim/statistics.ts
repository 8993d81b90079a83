/**
 * Paired comparisons over seeds: the paired t-test (two-sided p from Student's t distribution,
 * through the regularized incomplete beta function) and the exact two-sided sign test (binomial),
 * which needs no normality.
 */
import { mean as sampleMean, sampleVariance } from "simple-statistics";
import { BoundExceededError, InvalidArgumentError } from "../util/errors.ts";

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz), at most 500 terms. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  throw new BoundExceededError("regularizedIncompleteBeta", "continued-fraction terms", 500, 500);
}

/** I_x(a, b), the regularized incomplete beta function, for a, b > 0 and x in [0, 1]. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(|T| >= |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t^2)}(df/2, 1/2). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new InvalidArgumentError("studentTTwoSidedP", "df", "a number > 0", df);
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  // Small |t|: 1 - I_{t^2/(df+t^2)}(1/2, df/2) keeps the |t| dependence that df/(df+t^2) rounds away.
  const y = (t * t) / (df + t * t);
  return y < 0.5
    ? 1 - regularizedIncompleteBeta(y, 0.5, df / 2)
    : regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The result of a paired comparison of a against b (a_i paired with b_i). */
export interface PairedComparison {
  n: number;
  /** Mean and standard error of the differences a_i - b_i. */
  meanDifference: number;
  standardError: number;
  /** Paired t statistic and its two-sided p-value (df = n - 1). */
  t: number;
  pTTest: number;
  /** Number of pairs with a_i < b_i, with a_i > b_i (ties dropped), and the exact sign-test p. */
  below: number;
  above: number;
  pSignTest: number;
}

/** Paired t-test and exact sign test of a against b (same length >= 2, finite entries). */
export function pairedComparison(a: readonly number[], b: readonly number[]): PairedComparison {
  const fn = "pairedComparison";
  if (a.length !== b.length || a.length < 2) {
    throw new InvalidArgumentError(fn, "a, b", "two arrays of the same length >= 2", [a.length, b.length]);
  }
  const d = a.map((x, i) => x - b[i]!);
  if (!d.every(Number.isFinite)) throw new InvalidArgumentError(fn, "a, b", "finite values", d);
  const n = d.length;
  const mean = sampleMean(d);
  const variance = sampleVariance(d);
  const se = Math.sqrt(variance / n);
  const t = se > 0 ? mean / se : mean === 0 ? 0 : Math.sign(mean) * Number.POSITIVE_INFINITY;
  const below = d.filter((x) => x < 0).length;
  const above = d.filter((x) => x > 0).length;
  return {
    n,
    meanDifference: mean,
    standardError: se,
    t,
    pTTest: se > 0 ? studentTTwoSidedP(t, n - 1) : mean === 0 ? 1 : 0,
    below,
    above,
    pSignTest: signTestP(below, above),
  };
}

/**
 * {@link pairedComparison} over the pairs whose members are both finite (a run that failed gives a
 * NaN), with the number of pairs dropped, so that one failed run does not discard the others.
 * With fewer than 2 finite pairs, the statistics are NaN (null in JSON) and n says how many remained.
 */
export function pairedComparisonOfFinitePairs(
  a: readonly number[],
  b: readonly number[],
): PairedComparison & { dropped: number } {
  if (a.length !== b.length) {
    throw new InvalidArgumentError("pairedComparisonOfFinitePairs", "a, b", "two arrays of the same length", [
      a.length,
      b.length,
    ]);
  }
  const keep = a.map((x, i) => Number.isFinite(x) && Number.isFinite(b[i]!));
  const fa = a.filter((_, i) => keep[i]);
  const fb = b.filter((_, i) => keep[i]);
  const dropped = a.length - fa.length;
  if (fa.length >= 2) return { ...pairedComparison(fa, fb), dropped };
  const none = Number.NaN;
  return {
    n: fa.length,
    meanDifference: none,
    standardError: none,
    t: none,
    pTTest: none,
    below: 0,
    above: 0,
    pSignTest: none,
    dropped,
  };
}

/** Exact two-sided binomial p of k = min(below, above) successes out of below + above at 1/2. */
export function signTestP(below: number, above: number): number {
  const m = below + above;
  if (m === 0) return 1;
  const k = Math.min(below, above);
  let tail = 0;
  let term = 2 ** -m; // C(m, 0) / 2^m
  for (let i = 0; i <= k; i++) {
    tail += term;
    term *= (m - i) / (i + 1);
  }
  return Math.min(1, 2 * tail);
}
