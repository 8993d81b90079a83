/**
 * Stability boundaries of any network rule from sampled Jacobians: on a grid of a ratio (e.g.
 * c = M/N at fixed M + N), the rightmost nonzero eigenvalue of the rule's Jacobian at a point of
 * its solution manifold (the teacher point) over seeds, its mean and standard error, the crossing
 * c* of the mean through zero with an error bar, and the extrapolation of c* in 1/M to infinite
 * size. The seed 001 two-layer rule has an analytic boundary to compare with (src/phase/
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
    const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const sd =
      values.length >= 2
        ? Math.sqrt(values.reduce((a, v) => a + (v - mean!) ** 2, 0) / (values.length - 1))
        : null;
    return {
      ratio,
      sizes: model.compiled.sizes,
      samples,
      mean,
      standardError: sd === null ? null : sd / Math.sqrt(values.length),
      stableFraction: values.length > 0 ? values.filter((v) => v < 0).length / values.length : null,
      field,
    };
  });
}

/** A crossing of the mean eigenvalue through 0, with the range where mean +- error crosses. */
export interface SampledCrossing {
  /** "crossing": stable below, unstable above; "reverse-crossing"; "stable"/"unstable" throughout; "undetermined". */
  readonly status: "crossing" | "reverse-crossing" | "stable" | "unstable" | "undetermined";
  readonly value: number | null;
  /** The ratios where mean - standardError and mean + standardError cross 0 (an error bar). */
  readonly low: number | null;
  readonly high: number | null;
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

/** The crossing of the mean rightmost eigenvalue through 0 along the ratio grid (sorted by ratio). */
export function sampledCrossing(points: readonly SampledPoint[]): SampledCrossing {
  const usable = points
    .filter((p) => p.mean !== null && p.standardError !== null)
    .sort((a, b) => a.ratio - b.ratio);
  if (usable.length < 2) return { status: "undetermined", value: null, low: null, high: null };
  const at = (f: (p: SampledPoint) => number) => zeroOf(usable.map((p) => ({ x: p.ratio, y: f(p) })));
  const value = at((p) => p.mean!);
  if (value === null) {
    const allStable = usable.every((p) => p.mean! < 0);
    return { status: allStable ? "stable" : "unstable", value: null, low: null, high: null };
  }
  const first = usable[0]!.mean!;
  const a = at((p) => p.mean! - p.standardError!);
  const b = at((p) => p.mean! + p.standardError!);
  const bounds = [a, b].filter((v): v is number => v !== null);
  return {
    status: first < 0 ? "crossing" : "reverse-crossing",
    value,
    low: bounds.length === 2 ? Math.min(...bounds) : null,
    high: bounds.length === 2 ? Math.max(...bounds) : null,
  };
}

/** A weighted least-squares line value = intercept + slope / size, and the intercept's standard error. */
export interface InverseSizeFit {
  readonly intercept: number;
  readonly interceptError: number;
  readonly slope: number;
  /** Points used: size and value with its error (half the error bar). */
  readonly points: readonly { readonly size: number; readonly value: number; readonly error: number }[];
}

/**
 * Extrapolates values at finite sizes to 1/size -> 0 by weighted least squares (weights
 * 1/error^2; equal weights when an error is 0), with the intercept's standard error.
 */
export function extrapolateInverseSize(
  points: readonly { size: number; value: number; error: number }[],
): InverseSizeFit {
  const fn = "extrapolateInverseSize";
  if (points.length < 2) throw new InvalidArgumentError(fn, "points", "at least two sizes", points.length);
  const anyZero = points.some((p) => !(p.error > 0));
  const w = points.map((p) => (anyZero ? 1 : 1 / (p.error * p.error)));
  const x = points.map((p) => 1 / p.size);
  const y = points.map((p) => p.value);
  const W = w.reduce((a, b) => a + b, 0);
  const xm = w.reduce((s, wi, i) => s + wi * x[i]!, 0) / W;
  const ym = w.reduce((s, wi, i) => s + wi * y[i]!, 0) / W;
  const sxx = w.reduce((s, wi, i) => s + wi * (x[i]! - xm) ** 2, 0);
  const sxy = w.reduce((s, wi, i) => s + wi * (x[i]! - xm) * (y[i]! - ym), 0);
  if (!(sxx > 0))
    throw new InvalidArgumentError(
      fn,
      "points",
      "at least two different sizes",
      points.map((p) => p.size),
    );
  const slope = sxy / sxx;
  const intercept = ym - slope * xm;
  // With weights 1/error^2 the intercept's variance is 1/W + xm^2/sxx; with equal weights, scale by
  // the residual variance (n - 2 degrees of freedom; 0 for two points, then the error is unknown).
  let variance = 1 / W + (xm * xm) / sxx;
  if (anyZero) {
    const dof = points.length - 2;
    const rss = y.reduce((s, yi, i) => s + (yi - intercept - slope * x[i]!) ** 2, 0);
    variance = dof > 0 ? variance * (rss / dof) : Number.NaN;
  }
  return { intercept, interceptError: Math.sqrt(variance), slope, points };
}
