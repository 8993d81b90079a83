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
 * large at the same cost; (3) its error is a standard error of the fit (calibrated: on 400
 * replicates of 6 seeds drawn from the matrix model of seed 001, the z-scores of the fitted c*
 * have rms 0.94-1.06, those of the two-point interpolation, whose bar is where mean ± standard
 * error cross 0, 1.0-1.5; reports/sampled-boundary/README.md).
 *
 * The samples are assumed to share one variance over the window (it is pooled from the
 * residuals, which also absorb any lack of fit of the polynomial); ordinary least squares on
 * the samples weights each grid point by its number of samples.
 */
import { inverse, Matrix } from "ml-matrix";
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

/**
 * Fits a polynomial of degree ≤ `degree` to the samples of the `window` grid points nearest
 * `guess` and returns its root in their range nearest the guess, or null when no fit of degree 2
 * or 1 has a root there (or there are too few samples to estimate the noise).
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
  const near = grid
    .filter((g) => g.ys.length > 0)
    .sort((a, b) => Math.abs(a.x - guess) - Math.abs(b.x - guess) || a.x - b.x)
    .slice(0, window);
  if (near.length < 2) return null;
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
    const A = new Matrix(ys.length, k);
    us.forEach((u, i) => {
      for (let j = 0; j < k; j++) A.set(i, j, u ** j);
    });
    const Ginv = inverse(A.transpose().mmul(A));
    const p = Ginv.mmul(A.transpose().mmul(Matrix.columnVector(ys))).to1DArray();
    const roots = realRoots(p).filter((u) => u >= -1 && u <= 1);
    if (roots.length === 0) continue;
    const u0 = roots.sort((a, b) => Math.abs(a - uGuess) - Math.abs(b - uGuess))[0]!;
    let rss = 0;
    us.forEach((u, i) => {
      let f = 0;
      for (let j = 0; j < k; j++) f += p[j]! * u ** j;
      rss += (ys[i]! - f) ** 2;
    });
    const s2 = rss / (ys.length - k);
    const g = Array.from({ length: k }, (_, j) => u0 ** j);
    let variance = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) variance += g[i]! * Ginv.get(i, j) * g[j]!;
    let slope = 0;
    for (let j = 1; j < k; j++) slope += j * p[j]! * u0 ** (j - 1);
    return {
      value: center + half * u0,
      error: (half * Math.sqrt(s2 * variance)) / Math.abs(slope),
      degree,
      from,
      to,
      samples: ys.length,
    };
  }
  return null;
}
