/**
 * The stability boundary of a self-adjoint random-matrix expression X from sampled matrices,
 * against its analytic boundary: over a grid of one param x (e.g. c) at fixed values of the
 * others, at several sizes, the lowest eigenvalue of samples of X over seeds
 * (sampledLowestEigenvalue: matrix-free, exact to a proven residual far below the spread over
 * seeds); per size, the crossing x_M of the mean through 0 (src/phase/crossing-fit.ts); their
 * extrapolation to infinite size in side^(−2/3) (EDGE_EXPONENT, the Tracy-Widom scale of an edge
 * eigenvalue; side = rows of the sampled X at the crossing); the analytic x* where the lower edge
 * of X's limiting law crosses 0 (the general engine, src/spectra/free), and the deviation of the
 * extrapolation from it in standard errors.
 *
 * Signs: X is stable where λ_min(X) > 0 (the Jacobian's nonzero eigenvalues being −spec X up to a
 * positive factor), so the crossing is that of −λ_min, the rightmost eigenvalue of −X: status
 * "crossing" means stable below x*, as for `phase RULE --sampled`.
 */
import { lowerEdgeOf, lowerEdgeZeroCrossing } from "../spectra/free/critical-parameter.ts";
import { type MatrixExpr, shapeOf } from "../spectra/free/expression.ts";
import { parseMatrixExpression } from "../spectra/free/expression-parse.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "../spectra/free/noncommutative-polynomial.ts";
import { SAMPLE_MAX_SIDE } from "../spectra/free/sample.ts";
import { sampledLowestEigenvalue } from "../spectra/free/sampled-lowest-eigenvalue.ts";
import { BoundExceededError, InvalidArgumentError, LearndynError } from "../util/errors.ts";
import { sampleMean } from "../util/sample-mean.ts";
import { meanZeroCrossing, type SampledCrossing } from "./crossing-fit.ts";
import {
  EDGE_EXPONENT,
  type ExtrapolatedCrossing,
  extrapolateCrossings,
  weightedLine,
} from "./sampled-boundary.ts";

/** λ_min of one sample, or why there is none. */
export interface LowestEigenvalueSample {
  readonly seed: number;
  readonly lambdaMin: number | null;
  /** The error bound of lambdaMin (Ritz residual). */
  readonly residual: number | null;
  readonly failure?: string;
}

export interface ExpressionSampledPoint {
  /** The grid value of x. */
  readonly nominal: number;
  /** x as realized by the integer sides (round(x n)/n when a space's size is x itself), else nominal. */
  readonly x: number;
  /** Side of the sampled matrix. */
  readonly side: number;
  readonly samples: readonly LowestEigenvalueSample[];
  /** Mean and standard error of λ_min over the successful samples (null with fewer than 1 and 2). */
  readonly mean: number | null;
  readonly standardError: number | null;
  /** The analytic lower edge at x. */
  readonly edge: number | null;
}

export interface ExpressionSampledSize {
  /** The value of the size's dim (e.g. N1 = 500). */
  readonly size: number;
  /** The scale n every space's relative size is multiplied by: round(size / the dim's relative size). */
  readonly n: number;
  readonly points: readonly ExpressionSampledPoint[];
  /** Crossing of the mean −λ_min through 0 ("crossing": stable below). */
  readonly crossing: SampledCrossing;
  /** Side of the sampled X at the crossing (the abscissa of the extrapolation), or null. */
  readonly sideAtCrossing: number | null;
}

export interface ExpressionSampledBoundary {
  readonly source: string;
  readonly x: string;
  /** Every param of the file at the values used (x at its first grid value). */
  readonly params: Readonly<Record<string, number>>;
  readonly sizeName: string;
  readonly sizes: readonly ExpressionSampledSize[];
  /** The crossings extrapolated in side^(−exponent), or null (fewer than two sizes with a crossing). */
  readonly extrapolated: ExtrapolatedCrossing | null;
  readonly exponent: number;
  /** The analytic x* in the grid's range, or null with the reason. */
  readonly analytic: { readonly value: number | null; readonly reason?: string };
  /** (extrapolated − analytic) / extrapolated error. */
  readonly deviationSigma: number | null;
  readonly failures: number;
}

export interface ExpressionSampledOptions {
  /** The param swept and its grid values (increasing). */
  readonly x: { readonly name: string; readonly values: readonly number[] };
  /** Values of the other params (the file's defaults otherwise). */
  readonly params?: Readonly<Record<string, number>>;
  /** A dim of the file whose relative size does not depend on x, and its sides (e.g. N1 = 250, 500). */
  readonly size: { readonly name: string; readonly values: readonly number[] };
  readonly seeds: readonly number[];
  /** The power of 1/side the crossings are extrapolated in (default EDGE_EXPONENT = 2/3). */
  readonly exponent?: number;
  /** Relative tolerance of each λ_min (sampledLowestEigenvalue's, default 1e-5). */
  readonly tolerance?: number;
  readonly onSample?: () => void;
}

/** The expression family in x, and the relative size of a dim (null when the file has no such dim). */
function family(text: string, source: string, params: Readonly<Record<string, number>>, x: string) {
  const parse = (v: number) => parseMatrixExpression(text, { params: { ...params, [x]: v }, source });
  return {
    parse,
    expression: (v: number): MatrixExpr => parse(v).expression,
    dimSize: (v: number, dim: string) => parse(v).spaces.find((s) => s.name === dim)?.size ?? null,
  };
}

/**
 * Samples λ_min(X) over the grid at each size and compares the extrapolated crossing with the
 * analytic x*. A sample that fails (Arnoldi's bound hit) is recorded with its reason and left out
 * of the means; a size whose sides exceed SAMPLE_MAX_SIDE anywhere on the grid is refused before
 * anything is sampled.
 */
export function expressionSampledBoundary(
  text: string,
  source: string,
  options: ExpressionSampledOptions,
): ExpressionSampledBoundary {
  const fn = "phase --sampled";
  const { x, size, seeds } = options;
  const params = options.params ?? {};
  const exponent = options.exponent ?? EDGE_EXPONENT;
  const declared = parseMatrixExpression(text, { params: { ...params }, source }).params;
  if (!(x.name in declared))
    throw new InvalidArgumentError(
      fn,
      "--grid",
      `a param of ${source} as its first axis (it declares ${Object.keys(declared).join(", ") || "none"})`,
      x.name,
    );
  if (x.values.length < 3 || x.values.some((v, i) => i > 0 && !(v > x.values[i - 1]!)))
    throw new InvalidArgumentError(fn, `--grid ${x.name}`, "at least 3 increasing values", x.values);
  if (seeds.length < 2) throw new InvalidArgumentError(fn, "--seeds", "at least 2 seeds", seeds.length);
  const f = family(text, source, params, x.name);
  const lo = x.values[0]!;
  const hi = x.values[x.values.length - 1]!;
  const defect = selfAdjointDefect(noncommutativePolynomial(f.expression(lo)));
  if (defect !== null)
    throw new InvalidArgumentError(
      fn,
      "FILE",
      "a self-adjoint expression (its samples' lowest eigenvalue; for a non-self-adjoint one, learndyn spectrum FILE gives its Brown measure)",
      source,
      defect,
    );
  const relative = f.dimSize(lo, size.name);
  if (relative === null || relative !== f.dimSize(hi, size.name) || !(relative > 0))
    throw new InvalidArgumentError(
      fn,
      "--sizes",
      `a dim of ${source} whose size does not depend on ${x.name} (its dims: ${f
        .parse(lo)
        .spaces.map((s) => s.name)
        .join(", ")})`,
      size.name,
    );
  if (size.values.length === 0 || size.values.some((v) => !(Number.isFinite(v) && v > 0)))
    throw new InvalidArgumentError(fn, "--sizes", "positive sides", size.values);
  // A space whose relative size is x itself (dim M = c) makes the realized x round(x n)/n.
  const xIsASize = f
    .parse(lo)
    .spaces.some((s) => s.size === lo && f.parse(hi).spaces.find((t) => t.name === s.name)?.size === hi);
  // Refuse sizes beyond the sampler's bound before sampling anything.
  for (const value of size.values) {
    const n = Math.max(1, Math.round(value / relative));
    for (const v of [lo, hi])
      for (const s of f.parse(v).spaces) {
        const side = Math.max(1, Math.round(s.size * n));
        if (side > SAMPLE_MAX_SIDE)
          throw new BoundExceededError(
            fn,
            `side of space ${s.name} at ${size.name} = ${value}, ${x.name} = ${v}`,
            SAMPLE_MAX_SIDE,
            side,
            "choose smaller --sizes",
          );
      }
  }
  const edgeAt = (v: number): number | null => {
    try {
      return lowerEdgeOf(f.expression, v);
    } catch (e) {
      if (e instanceof LearndynError) return null;
      throw e;
    }
  };
  const sideOf = (v: number, n: number) => {
    const rows = shapeOf(f.expression(v)).rows;
    return Math.max(1, Math.round(rows.size * n));
  };
  let failures = 0;
  const sizes = size.values.map((value): ExpressionSampledSize => {
    const n = Math.max(1, Math.round(value / relative));
    const points = x.values.map((nominal): ExpressionSampledPoint => {
      const realized = xIsASize ? Math.round(nominal * n) / n : nominal;
      const e = f.expression(nominal);
      const samples = seeds.map((seed): LowestEigenvalueSample => {
        try {
          const r = sampledLowestEigenvalue(
            e,
            n,
            seed,
            options.tolerance ? { tolerance: options.tolerance } : {},
          );
          return { seed, lambdaMin: r.value, residual: r.residual };
        } catch (err) {
          if (!(err instanceof LearndynError)) throw err;
          failures++;
          return { seed, lambdaMin: null, residual: null, failure: err.message };
        } finally {
          options.onSample?.();
        }
      });
      const { mean, standardError } = sampleMean(
        samples.map((s) => s.lambdaMin).filter((v): v is number => v !== null),
      );
      return {
        nominal,
        x: realized,
        side: sideOf(nominal, n),
        samples,
        mean,
        standardError,
        edge: edgeAt(realized),
      };
    });
    const crossing = meanZeroCrossing(
      points.map((p) => ({
        x: p.x,
        ys: p.samples
          .map((s) => s.lambdaMin)
          .filter((v): v is number => v !== null)
          .map((v) => -v),
      })),
    );
    return {
      size: value,
      n,
      points,
      crossing,
      sideAtCrossing: crossing.value === null ? null : shapeOf(f.expression(crossing.value)).rows.size * n,
    };
  });
  const extrapolated = extrapolateCrossings(
    sizes.map((s) => ({ crossing: s.crossing, sizeAtCrossing: s.sideAtCrossing ?? Number.NaN })),
    exponent,
  );
  const analytic = analyticCrossing(f.expression, lo, hi);
  return {
    source,
    x: x.name,
    params: f.parse(lo).params,
    sizeName: size.name,
    sizes,
    extrapolated,
    exponent,
    analytic,
    deviationSigma:
      extrapolated !== null && analytic.value !== null && extrapolated.error > 0
        ? (extrapolated.value - analytic.value) / extrapolated.error
        : null,
    failures,
  };
}

/**
 * The zero of the analytic lower edge nearest the grid: scanned on 32 points of [lo/2, 2 hi] in
 * log x (a sampled crossing can sit off the grid's range of the analytic one at small sizes),
 * the sign change nearest the middle of [lo, hi] refined by lowerEdgeZeroCrossing (Illinois in
 * log x, relative 1e-13); null with the reason when the edge keeps its sign or the engine fails.
 */
function analyticCrossing(
  expression: (v: number) => MatrixExpr,
  lo: number,
  hi: number,
): { value: number | null; reason?: string } {
  if (!(lo > 0))
    return { value: null, reason: `the grid starts at ${lo}: the analytic search runs in log x` };
  try {
    const scan = lowerEdgeZeroCrossing(expression, lo / 2, 2 * hi, 32);
    if (scan.crossings.length === 0)
      return {
        value: null,
        reason: `the lower edge keeps the sign ${scan.lowSign > 0 ? "+" : "−"} on [${lo / 2}, ${2 * hi}]`,
      };
    const middle = Math.sqrt(lo * hi);
    const distance = ([a, b]: [number, number]) => Math.abs(Math.log(Math.sqrt(a * b) / middle));
    const [a, b] = [...scan.crossings].sort((p, q) => distance(p) - distance(q))[0]!;
    return { value: lowerEdgeZeroCrossing(expression, a, b, 2).value };
  } catch (e) {
    if (!(e instanceof LearndynError)) throw e;
    return { value: null, reason: e.message };
  }
}

/** The mean gap between λ_min of the samples and the analytic lower edge at one size. */
export interface EdgeGap {
  readonly size: number;
  /** Side of the sampled matrix. */
  readonly side: number;
  /** x as realized by the integer sides. */
  readonly x: number;
  readonly edge: number;
  /** Mean of λ_min − edge over the samples, its standard error, and the samples' standard deviation. */
  readonly gap: number;
  readonly error: number;
  readonly spread: number;
  readonly samples: number;
}

export interface EdgeGapScaling {
  readonly x: number;
  readonly gaps: readonly EdgeGap[];
  /** p in gap ∝ side^(−p), by weighted least squares on log gap (null unless every gap is > 0). */
  readonly exponent: number | null;
  readonly exponentError: number | null;
}

/**
 * The finite-size gap λ_min − edge at one x (e.g. the analytic x*) over sizes, and the exponent of
 * its decay with the side: at a square-root edge the lowest eigenvalue sits on the Tracy-Widom
 * scale side^(−2/3) above the edge on average (TW1 mean 1.2065 in units of (π C side)^(−2/3) for
 * ρ ≈ C√(x − edge)), so p = 2/3 is the prediction (EDGE_EXPONENT). The edge is taken at the
 * realized x (round(x n)/n where a space's size is x).
 */
export function edgeGapScaling(
  text: string,
  source: string,
  options: Omit<ExpressionSampledOptions, "x" | "exponent"> & {
    readonly x: { readonly name: string; readonly value: number };
  },
): EdgeGapScaling {
  const fn = "edgeGapScaling";
  const { x, size, seeds } = options;
  if (seeds.length < 2) throw new InvalidArgumentError(fn, "seeds", "at least 2 seeds", seeds.length);
  const params = { ...(options.params ?? {}), [x.name]: x.value };
  const parse = (v: number) => parseMatrixExpression(text, { params: { ...params, [x.name]: v }, source });
  const at = parse(x.value);
  const relative = at.spaces.find((s) => s.name === size.name)?.size;
  if (relative === undefined) throw new InvalidArgumentError(fn, "size", `a dim of ${source}`, size.name);
  const doubled = parse(2 * x.value).spaces;
  const xIsASize = at.spaces.some(
    (s) => s.size === x.value && doubled.find((t) => t.name === s.name)?.size === 2 * x.value,
  );
  const gaps = size.values.map((value): EdgeGap => {
    const n = Math.max(1, Math.round(value / relative));
    const realized = xIsASize ? Math.round(x.value * n) / n : x.value;
    const edge = lowerEdgeOf((v) => parse(v).expression, realized);
    const e = at.expression;
    const values = seeds.map((seed) => {
      const r = sampledLowestEigenvalue(
        e,
        n,
        seed,
        options.tolerance ? { tolerance: options.tolerance } : {},
      );
      options.onSample?.();
      return r.value - edge;
    });
    const m = sampleMean(values);
    return {
      size: value,
      side: Math.max(1, Math.round(shapeOf(e).rows.size * n)),
      x: realized,
      edge,
      gap: m.mean!,
      error: m.standardError ?? Number.NaN,
      spread: m.sd ?? Number.NaN,
      samples: values.length,
    };
  });
  if (gaps.length < 2 || gaps.some((g) => !(g.gap > 0)))
    return { x: x.value, gaps, exponent: null, exponentError: null };
  const line = weightedLine(
    fn,
    gaps.map((g) => ({ x: Math.log(g.side), y: Math.log(g.gap), error: g.error / g.gap })),
  );
  return { x: x.value, gaps, exponent: -line.slope, exponentError: line.slopeError };
}
