/**
 * The zero of a noisy function sampled on a grid: a local polynomial least-squares fit of every
 * sample near a first guess, its root in the fitted range, and the root's standard error by the
 * delta method. This is how `phase RULE --sampled` locates c*, where the mean rightmost eigenvalue
 * crosses 0.
 *
 * Why a local quadratic over several grid points rather than the line through the two points that
 * bracket the sign change: (1) the eigenvalue's mean is curved in the ratio (seed 001's lower edge
 * e(c) over an 8-point window 0.02 apart: a line fitted over the window misses c* by 0.006-0.010,
 * the two-point interpolation by 0.0003-0.0005, a quadratic by 1e-4, measured with
 * src/phase/curl-descent-law.ts at α_h = 0.2, 0.5, 0.8); (2) the two-point interpolation uses the
 * samples of two grid points only, the fit those of all of them, so its error is about half as
 * large at the same cost; (3) its error is a standard error of the fit (on 400 replicates of 6
 * seeds a point drawn from seed 001's matrix model at M + N = 220, 440, 880, the z-scores of the
 * c* extrapolated from these crossings have rms 1.07-1.19, those from the two-point
 * interpolation, whose bar is where mean ± standard error cross 0, 1.16-1.39;
 * reports/sampled-boundary/estimator-calibration.json).
 *
 * The window is local: the grid points on either side of the guess and the next nearest, up to
 * 8, shrunk while a quadratic does not describe their means (a coarse grid over a curved mean,
 * e.g. c from 0.25 to 4). The samples are assumed to share one variance over the window (pooled
 * from the residuals, which also absorb any remaining lack of fit); ordinary least squares on the
 * samples weights each grid point by its number of samples.
 */
import { inverse, Matrix } from "ml-matrix";
import { chiSquaredDistributionTable } from "simple-statistics";
import { InvalidArgumentError } from "../util/errors.ts";

/** Samples of the function at one grid point. */
export interface GridSamples {
  readonly x: number;
  readonly ys: readonly number[];
}

export interface ZeroFit {
  /** The root. */
  readonly value: number;
  /** Its standard error (delta method on the fit's covariance). */
  readonly error: number;
  /** Degree of the polynomial fitted (2, or 1 when a quadratic has no root in the range or too few points). */
  readonly degree: number;
  /** The grid range the fit used. */
  readonly from: number;
  readonly to: number;
  /** Number of samples fitted. */
  readonly samples: number;
}

export interface ZeroFitOptions {
  /** Grid points used: the ones nearest the guess (default 8). */
  readonly window?: number;
  /** Highest degree tried (default 2). */
  readonly degree?: number;
}

/** Real roots of p0 + p1 u + p2 u² (p2 may be 0), by the cancellation-free quadratic formula. */
function realRoots(p: readonly number[]): number[] {
  const [c, b, a] = [p[0]!, p[1] ?? 0, p[2] ?? 0];
  if (a === 0) return b === 0 ? [] : [-c / b];
  const disc = b * b - 4 * a * c;
  if (disc < 0) return [];
  const q = -0.5 * (b + Math.sign(b || 1) * Math.sqrt(disc));
  return q === 0 ? [0] : [q / a, c / q];
}

/** Least squares of degree `degree` on scaled abscissas; coefficients, their inverse Gram matrix and the residual sum of squares. */
function polynomialFit(us: readonly number[], ys: readonly number[], degree: number) {
  const k = degree + 1;
  const A = new Matrix(ys.length, k);
  us.forEach((u, i) => {
    for (let j = 0; j < k; j++) A.set(i, j, u ** j);
  });
  const Ginv = inverse(A.transpose().mmul(A));
  const p = Ginv.mmul(A.transpose().mmul(Matrix.columnVector([...ys]))).to1DArray();
  const at = (u: number) => p.reduce((f, c, j) => f + c * u ** j, 0);
  const rss = us.reduce((acc, u, i) => acc + (ys[i]! - at(u)) ** 2, 0);
  return { p, Ginv, rss, at };
}

/**
 * Whether a polynomial fit describes the grid means: the lack-of-fit statistic
 * Σ_i n_i (ȳ_i − f(x_i))² / s², s² the pooled within-point variance, against the upper 1% point of
 * χ² with (points − coefficients) degrees of freedom (the F test's limit for many within-point
 * degrees of freedom: with 40 of them, as for 8 points of 6 seeds, it rejects a good fit about 2%
 * of the time instead of 1%). Passes when there are no degrees of freedom to test.
 */
function fitsTheMeans(
  near: readonly GridSamples[],
  center: number,
  half: number,
  at: (u: number) => number,
  coefficients: number,
): boolean {
  const dof = near.length - coefficients;
  let within = 0;
  let withinDof = 0;
  let lack = 0;
  for (const g of near) {
    const m = g.ys.reduce((a, b) => a + b, 0) / g.ys.length;
    within += g.ys.reduce((a, y) => a + (y - m) ** 2, 0);
    withinDof += g.ys.length - 1;
    lack += g.ys.length * (m - at((g.x - center) / half)) ** 2;
  }
  const table = chiSquaredDistributionTable as unknown as Record<number, Record<string, number>>;
  if (dof < 1 || withinDof < 1 || !(within > 0) || table[dof] === undefined) return true;
  return lack / (within / withinDof) <= table[dof]["0.01"]!;
}

/**
 * Fits a polynomial of degree ≤ `degree` to the samples of the grid points nearest `guess` and
 * returns its root in their range nearest the guess, or null when no window's fit of degree 2 or 1
 * has a root there (or there are too few samples to estimate the noise). The window holds the grid
 * points on either side of the guess and the `window` − 2 next nearest; while the quadratic does
 * not describe the means (lack-of-fit test, `fitsTheMeans`) and more than 3 points remain, the
 * farthest point is dropped, so that a coarse grid over a curved mean is fitted locally.
 */
export function localZeroFit(
  grid: readonly GridSamples[],
  guess: number,
  options: ZeroFitOptions = {},
): ZeroFit | null {
  const fn = "localZeroFit";
  const window = options.window ?? 8;
  const maxDegree = options.degree ?? 2;
  if (!(Number.isInteger(window) && window >= 2))
    throw new InvalidArgumentError(fn, "window", "an integer ≥ 2", window);
  if (!(Number.isInteger(maxDegree) && maxDegree >= 1 && maxDegree <= 2))
    throw new InvalidArgumentError(fn, "degree", "1 or 2", maxDegree);
  const withSamples = grid.filter((g) => g.ys.length > 0);
  const below = withSamples.filter((g) => g.x <= guess).sort((a, b) => b.x - a.x)[0];
  const above = withSamples.filter((g) => g.x > guess).sort((a, b) => a.x - b.x)[0];
  const byDistance = withSamples
    .filter((g) => g !== below && g !== above)
    .sort((a, b) => Math.abs(a.x - guess) - Math.abs(b.x - guess) || a.x - b.x);
  const ordered = [below, above].filter((g): g is GridSamples => g !== undefined).concat(byDistance);
  for (let size = Math.min(window, ordered.length); size >= 2; size--) {
    const near = ordered.slice(0, size);
    const fit = fitWindow(near, guess, maxDegree);
    if (fit.result !== null && (size <= 3 || fit.fitsTheMeans)) return fit.result;
  }
  return null;
}

/** The fit on one window: degree 2, else 1 when 2 has no root in the window's range. */
function fitWindow(
  near: readonly GridSamples[],
  guess: number,
  maxDegree: number,
): { result: ZeroFit | null; fitsTheMeans: boolean } {
  const from = Math.min(...near.map((g) => g.x));
  const to = Math.max(...near.map((g) => g.x));
  const center = (from + to) / 2;
  const half = (to - from) / 2;
  const us: number[] = [];
  const ys: number[] = [];
  for (const g of near)
    for (const y of g.ys) {
      us.push((g.x - center) / half);
      ys.push(y);
    }
  const uGuess = (guess - center) / half;
  for (let degree = Math.min(maxDegree, near.length - 1); degree >= 1; degree--) {
    const k = degree + 1;
    if (ys.length <= k) continue;
    const { p, Ginv, rss, at } = polynomialFit(us, ys, degree);
    const roots = realRoots(p).filter((u) => u >= -1 && u <= 1);
    if (roots.length === 0) continue;
    const u0 = roots.sort((a, b) => Math.abs(a - uGuess) - Math.abs(b - uGuess))[0]!;
    const s2 = rss / (ys.length - k);
    const g = Array.from({ length: k }, (_, j) => u0 ** j);
    let variance = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) variance += g[i]! * Ginv.get(i, j) * g[j]!;
    let slope = 0;
    for (let j = 1; j < k; j++) slope += j * p[j]! * u0 ** (j - 1);
    return {
      result: {
        value: center + half * u0,
        error: (half * Math.sqrt(s2 * variance)) / Math.abs(slope),
        degree,
        from,
        to,
        samples: ys.length,
      },
      fitsTheMeans: fitsTheMeans(near, center, half, at, k),
    };
  }
  return { result: null, fitsTheMeans: true };
}

/** A crossing of the mean of samples through 0 along a grid, with its standard error. */
export interface SampledCrossing {
  /** "crossing": negative below, positive above (stable below, for an eigenvalue of the Jacobian); "reverse-crossing"; "stable"/"unstable" (negative/positive) throughout; "undetermined". */
  readonly status: "crossing" | "reverse-crossing" | "stable" | "unstable" | "undetermined";
  readonly value: number | null;
  /** value ∓ error (an error bar of one standard error). */
  readonly low: number | null;
  readonly high: number | null;
  /** Standard error of value (local fit, `localZeroFit`). */
  readonly error: number | null;
  /** The fit: polynomial degree and the grid range of the points it used. */
  readonly fit: { readonly degree: number; readonly from: number; readonly to: number } | null;
}

/** Where f, linear between the points, first changes sign; null if it does not. */
function zeroOf(points: readonly { x: number; y: number }[]): number | null {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.y === 0) return a.x;
    if (Math.sign(a.y) !== Math.sign(b.y)) return a.x + ((b.x - a.x) * (0 - a.y)) / (b.y - a.y);
  }
  return null;
}

/**
 * The crossing of the mean of the samples through 0 along the grid. The first sign change of the
 * means (linear between grid points) decides the status and is the first guess; the crossing is
 * the root of a local quadratic least-squares fit of the samples of the grid points nearest that
 * guess (up to `window`, fewer where a quadratic does not describe their means; `localZeroFit`),
 * with its standard error. Grid points with fewer than one sample are skipped.
 */
export function meanZeroCrossing(
  grid: readonly GridSamples[],
  options: ZeroFitOptions = {},
): SampledCrossing {
  const none = { low: null, high: null, error: null, fit: null };
  const usable = grid.filter((g) => g.ys.length > 0).sort((a, b) => a.x - b.x);
  const means = usable.map((g) => ({ x: g.x, y: g.ys.reduce((a, b) => a + b, 0) / g.ys.length }));
  if (usable.length < 2) return { status: "undetermined", value: null, ...none };
  const guess = zeroOf(means);
  if (guess === null) {
    const allStable = means.every((p) => p.y < 0);
    return { status: allStable ? "stable" : "unstable", value: null, ...none };
  }
  const status = means[0]!.y < 0 ? "crossing" : "reverse-crossing";
  const fit = localZeroFit(usable, guess, options);
  if (fit === null) return { status: "undetermined", value: null, ...none };
  return {
    status,
    value: fit.value,
    low: fit.value - fit.error,
    high: fit.value + fit.error,
    error: fit.error,
    fit: { degree: fit.degree, from: fit.from, to: fit.to },
  };
}
