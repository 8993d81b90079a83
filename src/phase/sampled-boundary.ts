/**
 * Stability boundaries of any network rule from sampled Jacobians: on a grid of a ratio (e.g.
 * c = M/N at fixed M + N), the rightmost nonzero eigenvalue of the rule's Jacobian at a point of
 * its solution manifold (the teacher point) over seeds, its mean and standard error, the crossing
 * c* of the mean through zero with an error bar, and the extrapolation of c* to infinite size in
 * M^(-2/3) (the Tracy-Widom scale of an edge eigenvalue; see EDGE_EXPONENT). The seed 001 two-layer rule has an analytic boundary to compare with (src/phase/
 * boundary.ts); every other rule (three layers, feedback alignment) gets only this one.
 *
 * The Jacobian is that of the population field in closed form where the rule allows it
 * (src/analysis/network/population.ts: linear networks with Gaussian inputs), else of the field
 * over the run's training set; the nonzero spectrum comes from sketches of the operator
 * (sketchedNonzeroSpectrum). Failures (a rule with no teacher point, a bound hit) are recorded
 * per sample, never guessed.
 */
import { fieldOperator } from "../analysis/network/field-operator.ts";
import { teacherPoint } from "../analysis/network/fixed-points.ts";
import { populationOperator, populationRefusal } from "../analysis/network/population.ts";
import { sketchedNonzeroSpectrum } from "../analysis/network/reduced-jacobian.ts";
import { resolveParams } from "../ir/bind.ts";
import { compileModel, drawRuns } from "../ir/model.ts";
import type { NetworkRuleSpec } from "../rules/network/spec.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { sampleMean } from "../util/sample-mean.ts";
import { meanZeroCrossing, type SampledCrossing, type ZeroFitOptions } from "./crossing-fit.ts";

export type { SampledCrossing } from "./crossing-fit.ts";

export type FieldKind = "population" | "training";

/** The rightmost nonzero eigenvalue at one grid point for one seed. */
export interface SampledEigenvalue {
  readonly seed: number;
  /** Real part of the rightmost nonzero eigenvalue, or null on failure. */
  readonly lambda: number | null;
  readonly imaginary: number | null;
  readonly rank: number | null;
  readonly failure?: string;
}

export interface SampledPoint {
  readonly ratio: number;
  readonly sizes: Readonly<Record<string, number>>;
  readonly samples: readonly SampledEigenvalue[];
  /** Mean and standard error of lambda over the seeds that succeeded (null with fewer than 2). */
  readonly mean: number | null;
  readonly standardError: number | null;
  /** Fraction of seeds with lambda < 0. */
  readonly stableFraction: number | null;
  readonly field: FieldKind;
}

export interface SampledCurveOptions {
  readonly ratios: readonly number[];
  /** Sizes of the rule at a ratio (the rest take their defaults). */
  readonly sizesAt: (ratio: number) => Record<string, number>;
  /** Parameter values (e.g. a flip fraction) for every sample. */
  readonly params?: Readonly<Record<string, number>>;
  readonly choices?: Readonly<Record<string, string>>;
  readonly seeds: readonly number[];
  /** "population" where the rule allows it (default), else "training". */
  readonly field?: FieldKind;
  readonly onSample?: (done: number, total: number) => void;
}

/** The rightmost nonzero eigenvalue of the Jacobian at the teacher point, over ratios and seeds. */
export function sampledStabilityCurve(spec: NetworkRuleSpec, options: SampledCurveOptions): SampledPoint[] {
  const fn = "sampledStabilityCurve";
  if (options.seeds.length === 0) throw new InvalidArgumentError(fn, "seeds", "at least one seed", 0);
  const total = options.ratios.length * options.seeds.length;
  let done = 0;
  // The sketch grows until the rank shows; starting a little above the last rank seen (equal
  // for every seed at one ratio, close at the next) saves the doublings.
  let rankHint = 0;
  return options.ratios.map((ratio) => {
    const sizes = options.sizesAt(ratio);
    const model = compileModel(spec, { sizes, ...(options.choices ? { choices: options.choices } : {}) });
    const wanted = options.field ?? "population";
    const field: FieldKind =
      wanted === "population" && populationRefusal(model, { design: false }) === null
        ? "population"
        : "training";
    const params = resolveParams(spec, model.compiled.sizes, options.params ?? {});
    const samples = options.seeds.map((seed): SampledEigenvalue => {
      try {
        const [run] = drawRuns(model, [{ seed, params: options.params ?? {} }]);
        const x = teacherPoint(model, run!);
        if (!x)
          return {
            seed,
            lambda: null,
            imaginary: null,
            rank: null,
            failure: "no teacher point: the states have no teachers of their shapes",
          };
        const op =
          field === "population" ? populationOperator(model, run!, params) : fieldOperator(model, run!);
        const s = sketchedNonzeroSpectrum(op, x, { seed, ...(rankHint > 0 ? { block: rankHint + 16 } : {}) });
        rankHint = s.rank;
        const top = s.eigenvalues[0];
        if (!top)
          return {
            seed,
            lambda: null,
            imaginary: null,
            rank: s.rank,
            failure: "the Jacobian vanishes at the teacher point",
          };
        return { seed, lambda: top.re, imaginary: top.im, rank: s.rank };
      } catch (e) {
        return { seed, lambda: null, imaginary: null, rank: null, failure: (e as Error).message };
      } finally {
        options.onSample?.(++done, total);
      }
    });
    const values = samples.map((s) => s.lambda).filter((v): v is number => v !== null);
    const { mean, standardError } = sampleMean(values);
    return {
      ratio,
      sizes: model.compiled.sizes,
      samples,
      mean,
      standardError,
      stableFraction: values.length > 0 ? values.filter((v) => v < 0).length / values.length : null,
      field,
    };
  });
}

/**
 * The crossing of the mean rightmost eigenvalue through 0 along the ratio grid
 * (`meanZeroCrossing` on each point's successful samples: the first sign change of the means
 * decides the status, and the root of a local quadratic least-squares fit of the samples near it
 * is the crossing, with its standard error).
 */
export function sampledCrossing(
  points: readonly SampledPoint[],
  options: ZeroFitOptions = {},
): SampledCrossing {
  return meanZeroCrossing(
    points.map((p) => ({
      x: p.ratio,
      ys: p.samples.map((s) => s.lambda).filter((v): v is number => v !== null),
    })),
    options,
  );
}

/**
 * The exponent of size in the leading finite-size correction of an extreme eigenvalue at a soft
 * (square-root) edge of a spectral law: the edge eigenvalue fluctuates on the Tracy-Widom scale
 * (ρ_edge M)^(-2/3) around the edge, and its mean sits off the edge by the Tracy-Widom mean times
 * that scale (GOE: −1.2065 for the largest eigenvalue, toward the bulk), so the mean rightmost
 * eigenvalue, and with it the crossing c* it defines, moves as M^(-2/3), not 1/M.
 * Measured on seed 001's matrix model X = ‖W2‖²D1 + W1ᵀW1 at its analytic c* (α_h = 0.2, 0.5, 0.8;
 * M = 23 to 987; reports/sampled-boundary/estimator-calibration.json): the mean of λ_min − edge
 * (conditioned on ‖W2‖²) falls as M^(−0.65 ± 0.02) over M = 93-987 (one exponent fitted to the
 * three α_h); in units of (πCM)^(-2/3), ρ ≈ C√(x − edge), it is 1.3-1.6 at M = 23-250 and
 * 1.16-1.77 (± 0.1) at M = 370-990, with spread 1.21-1.47 (TW1: mean 1.2065, sd 1.268). On the
 * same model the crossings at M + N = 220, 440, 880 extrapolated in M^(-2/3) miss c* by 0 to
 * −0.003; in 1/M by +0.002 to +0.004 (reports/sampled-boundary/README.md).
 */
export const EDGE_EXPONENT = 2 / 3;

/** A weighted least-squares line value = intercept + slope · size^(−exponent), and the intercept's standard error. */
export interface InverseSizeFit {
  readonly intercept: number;
  readonly interceptError: number;
  readonly slope: number;
  /** The power of 1/size the line is in. */
  readonly exponent: number;
  /** Points used: size and value with its error (half the error bar). */
  readonly points: readonly { readonly size: number; readonly value: number; readonly error: number }[];
}

/** A weighted least-squares line y = intercept + slope · x, with the standard errors of both. */
export interface WeightedLine {
  readonly intercept: number;
  readonly interceptError: number;
  readonly slope: number;
  readonly slopeError: number;
}

/**
 * The least-squares line through points with errors (weights 1/error²; equal weights when an
 * error is 0, the errors then estimated from the residuals with n − 2 degrees of freedom, NaN for
 * two points). Throws unless at least two points have different x.
 */
export function weightedLine(
  fn: string,
  points: readonly { readonly x: number; readonly y: number; readonly error: number }[],
): WeightedLine {
  if (points.length < 2) throw new InvalidArgumentError(fn, "points", "at least two points", points.length);
  const anyZero = points.some((p) => !(p.error > 0));
  const w = points.map((p) => (anyZero ? 1 : 1 / (p.error * p.error)));
  const x = points.map((p) => p.x);
  const y = points.map((p) => p.y);
  const W = w.reduce((a, b) => a + b, 0);
  const xm = w.reduce((s, wi, i) => s + wi * x[i]!, 0) / W;
  const ym = w.reduce((s, wi, i) => s + wi * y[i]!, 0) / W;
  const sxx = w.reduce((s, wi, i) => s + wi * (x[i]! - xm) ** 2, 0);
  const sxy = w.reduce((s, wi, i) => s + wi * (x[i]! - xm) * (y[i]! - ym), 0);
  if (!(sxx > 0)) throw new InvalidArgumentError(fn, "points", "at least two different abscissas", x);
  const slope = sxy / sxx;
  const intercept = ym - slope * xm;
  // With weights 1/error^2 the intercept's variance is 1/W + xm^2/sxx and the slope's 1/sxx; with
  // equal weights, scale both by the residual variance (n - 2 degrees of freedom).
  let scale = 1;
  if (anyZero) {
    const dof = points.length - 2;
    const rss = y.reduce((s, yi, i) => s + (yi - intercept - slope * x[i]!) ** 2, 0);
    scale = dof > 0 ? rss / dof : Number.NaN;
  }
  return {
    intercept,
    interceptError: Math.sqrt(scale * (1 / W + (xm * xm) / sxx)),
    slope,
    slopeError: Math.sqrt(scale / sxx),
  };
}

/**
 * Extrapolates values at finite sizes to size^(−exponent) -> 0 (default exponent 1: in 1/size) by
 * weighted least squares (`weightedLine`), with the intercept's standard error.
 */
export function extrapolateInverseSize(
  points: readonly { size: number; value: number; error: number }[],
  exponent = 1,
): InverseSizeFit {
  const fn = "extrapolateInverseSize";
  if (points.length < 2) throw new InvalidArgumentError(fn, "points", "at least two sizes", points.length);
  if (!(exponent > 0 && Number.isFinite(exponent)))
    throw new InvalidArgumentError(fn, "exponent", "a finite number > 0", exponent);
  if (new Set(points.map((p) => p.size)).size < 2)
    throw new InvalidArgumentError(
      fn,
      "points",
      "at least two different sizes",
      points.map((p) => p.size),
    );
  const line = weightedLine(
    fn,
    points.map((p) => ({ x: p.size ** -exponent, y: p.value, error: p.error })),
  );
  return {
    intercept: line.intercept,
    interceptError: line.interceptError,
    slope: line.slope,
    exponent,
    points,
  };
}

/** The crossings at several sizes extrapolated to infinite size, or null when fewer than two sizes have one. */
export interface ExtrapolatedCrossing {
  readonly value: number;
  readonly error: number;
  readonly slope: number;
}

/**
 * Extrapolates the crossings found at several sizes (each with the size, e.g. M, at its crossing)
 * in size^(−exponent) (`extrapolateInverseSize`, weights 1/error²); null unless at least two
 * crossings with errors sit at two different finite sizes.
 */
export function extrapolateCrossings(
  perSize: readonly { readonly crossing: SampledCrossing; readonly sizeAtCrossing: number }[],
  exponent: number = EDGE_EXPONENT,
): ExtrapolatedCrossing | null {
  const usable = perSize.filter(
    (s) => s.crossing.value !== null && s.crossing.error !== null && Number.isFinite(s.sizeAtCrossing),
  );
  if (usable.length < 2 || new Set(usable.map((s) => s.sizeAtCrossing)).size < 2) return null;
  const fit = extrapolateInverseSize(
    usable.map((s) => ({ size: s.sizeAtCrossing, value: s.crossing.value!, error: s.crossing.error! })),
    exponent,
  );
  return { value: fit.intercept, error: fit.interceptError, slope: fit.slope };
}
