/**
 * The Brown measure of a square, not necessarily self-adjoint polynomial X in Gaussian, Wigner
 * and diagonal ensembles, by hermitization (Belinschi, Śniady and Speicher 2018): with
 *     G_ε(λ) = τ[(λ − X)*((λ − X)(λ − X)* + ε²)⁻¹] = ∂_λ τ log((λ − X)(λ − X)* + ε²),
 * the corner (1, 0) of the hermitized resolvent (src/spectra/free/hermitization.ts) at z = iε,
 * solved by the operator-valued fixed point of OperatorCauchyProblem,
 *     μ = (1/π) ∂_λ̄ G_ε(λ)  as ε → 0
 * (the regularized log-determinant's Laplacian over 4π; outside the spectrum G_ε → τ[(λ − X)⁻¹],
 * the Cauchy transform). The support is where X − λ has singular values accumulating at 0: with
 *     s_ε(λ) = ε τ[((λ − X)(λ − X)* + ε²)⁻¹] = −Im (corner (0, 0)),
 * s_ε → π × (density of the symmetrized singular values of λ − X at 0), which is > 0 inside the
 * support and O(ε) outside. Every step's ε is on all rows of the pencil (an O(ε) change of the
 * hermitization that vanishes with it), so the problem stays in the operator upper half plane.
 */
import { InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import type { Complex } from "../complex.ts";
import type { MatrixExpr } from "./expression.ts";
import { newtonFixedPoint } from "./fixed-point.ts";
import {
  cornerValue,
  type HermitizedStructure,
  hermitizedProblem,
  hermitizedStructure,
} from "./hermitization.ts";
import { type NoncommutativePolynomial, noncommutativePolynomial } from "./noncommutative-polynomial.ts";
import { normBound } from "./polynomial-spectrum.ts";

export interface BrownMeasure {
  readonly expression: MatrixExpr;
  readonly polynomial: NoncommutativePolynomial;
  readonly structure: HermitizedStructure;
  /** Σ |c| Π ‖letter‖ ≥ ‖X‖: the support lies in the disk of this radius. */
  readonly scale: number;
}

export function brownMeasure(expression: MatrixExpr): BrownMeasure {
  const polynomial = noncommutativePolynomial(expression);
  const structure = hermitizedStructure(polynomial);
  return { expression, polynomial, structure, scale: normBound(polynomial) };
}

/** The hermitized fixed point at λ and ε. */
export interface HermitizedSolution {
  /** G_ε(λ): the regularized Cauchy transform. */
  cauchy: Complex;
  /** s_ε(λ) = ε τ[(|λ − X|² + ε²)⁻¹]. */
  singular: number;
  /** The problem's unknowns (a warm start for nearby λ). */
  re: Float64Array;
  im: Float64Array;
  residual: number;
}

/** Default regularization: small enough that s_ε outside the support is far below its inside values. */
export const BROWN_EPSILON = 1e-9;

/**
 * Solves the hermitization at λ, z = iε: the damped iteration of Helton, Rashidi Far and Speicher
 * at ε = Y = 4(1 + scale) (a contraction there), then Newton's method down to ε by factors of 16,
 * a step Newton cannot take halved in log ε (at most 200 steps). From `warmStart`, Newton at ε
 * directly first. Throws NumericFailureError with λ, ε and the residual when it cannot finish.
 */
export function hermitizedSolution(
  b: BrownMeasure,
  lambda: Complex,
  eps = BROWN_EPSILON,
  warmStart?: { re: Float64Array; im: Float64Array },
): HermitizedSolution {
  const fn = "hermitizedSolution";
  if (!(eps > 0 && Number.isFinite(eps))) throw new InvalidArgumentError(fn, "eps", "a number > 0", eps);
  const { problem, offDiagonal } = hermitizedProblem(b.structure, lambda);
  const n = problem.size;
  const done = (re: Float64Array, im: Float64Array, residual: number): HermitizedSolution => ({
    cauchy: cornerValue(re, im, offDiagonal),
    singular: -im[0]!,
    re,
    im,
    residual,
  });
  if (warmStart && warmStart.re.length === n) {
    const re = warmStart.re.slice();
    const im = warmStart.im.slice();
    const r = newtonFixedPoint(problem, 0, eps, eps, re, im);
    if (Number.isFinite(r) && -im[0]! >= 0) return done(re, im, r);
  }
  const Y = Math.max(4 * (1 + b.scale), eps);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const phiRe = new Float64Array(n);
  const phiIm = new Float64Array(n);
  let residual = Number.POSITIVE_INFINITY;
  for (let it = 0; it < 5000 && residual > 1e-12; it++) {
    if (!problem.evaluate(0, Y, Y, re, im, phiRe, phiIm))
      throw new NumericFailureError(fn, "singular block in the damped iteration", { lambda, eps: Y });
    residual = 0;
    for (let q = 0; q < n; q++) {
      residual = Math.max(residual, Math.abs(phiRe[q]! - re[q]!), Math.abs(phiIm[q]! - im[q]!));
      re[q] = 0.5 * (re[q]! + phiRe[q]!);
      im[q] = 0.5 * (im[q]! + phiIm[q]!);
    }
  }
  if (!(residual <= 1e-12))
    throw new NumericFailureError(fn, "damped iteration did not converge in 5000 iterations", {
      lambda,
      eps: Y,
      residual,
    });
  const path: number[] = [];
  for (let e = Y / 16; e > eps; e /= 16) path.push(e);
  path.push(eps);
  let prev = Y;
  const saveRe = new Float64Array(n);
  const saveIm = new Float64Array(n);
  for (let k = 0, steps = 0; k < path.length; steps++) {
    if (steps > 200)
      throw new NumericFailureError(fn, "ε continuation exceeded 200 steps", {
        lambda,
        eps: path[k],
        residual,
      });
    saveRe.set(re);
    saveIm.set(im);
    const r = newtonFixedPoint(problem, 0, path[k]!, path[k]!, re, im);
    if (Number.isFinite(r) && -im[0]! >= 0) {
      residual = r;
      prev = path[k]!;
      k++;
      continue;
    }
    re.set(saveRe);
    im.set(saveIm);
    const mid = Math.sqrt(prev * path[k]!);
    if (!(mid < prev * (1 - 1e-12)))
      throw new NumericFailureError(fn, "Newton's method failed on an unsplittable ε step", {
        lambda,
        eps: path[k],
        residual,
      });
    path.splice(k, 0, mid);
  }
  return done(re, im, residual);
}

/** G_ε(λ), the regularized Cauchy transform (= τ[(λ − X)⁻¹] + O(ε²) outside the support). */
export function brownCauchy(b: BrownMeasure, lambda: Complex, eps = BROWN_EPSILON): Complex {
  return hermitizedSolution(b, lambda, eps).cauchy;
}

/**
 * The Brown density at λ, (1/π) Re ∂_λ̄ G_ε = (∂_x Re G_ε − ∂_y Im G_ε)/(2π), by central
 * differences of step h (default 1e-4 (1 + |λ|)): error O(h²) from the differences, O(ε/h) from
 * the solutions' rounding (Newton to 1e-14), and the regularization's own O(ε) in the bulk.
 */
export function brownDensity(
  b: BrownMeasure,
  lambda: Complex,
  options: { eps?: number; h?: number } = {},
): number {
  const eps = options.eps ?? BROWN_EPSILON;
  const h = options.h ?? 1e-4 * (1 + Math.hypot(lambda.re, lambda.im));
  const center = hermitizedSolution(b, lambda, eps);
  const at = (dx: number, dy: number) =>
    hermitizedSolution(b, { re: lambda.re + dx, im: lambda.im + dy }, eps, center).cauchy;
  const xp = at(h, 0);
  const xm = at(-h, 0);
  const yp = at(0, h);
  const ym = at(0, -h);
  return Math.max(0, ((xp.re - xm.re) / (2 * h) - (yp.im - ym.im) / (2 * h)) / (2 * Math.PI));
}

/**
 * Whether λ lies in the support: s_ε is ε-independent inside (the singular values of λ − X have a
 * density at 0) and proportional to ε outside, so the support is where s_ε/s_{ε/10} < √10 (the
 * geometric middle of 1 and 10). At distance d from a boundary where the inside s₀ grows like √d,
 * both regimes hold once ε ≪ d^{3/2}: the decision is sharp to about ε^{2/3} (2e-7 at the default ε = 1e-10; below about 1e-12 Newton stalls on the nearly singular inside solution).
 */
export function inBrownSupport(b: BrownMeasure, lambda: Complex, eps = 1e-10): boolean {
  const a = hermitizedSolution(b, lambda, eps);
  const c = hermitizedSolution(b, lambda, eps / 10);
  return a.singular < Math.sqrt(10) * c.singular;
}

export interface SupportBoundaryOptions {
  /** Regularization of the support test (default 1e-10). */
  eps?: number;
  /** Steps of the inward march from x = scale (default 64). */
  marchSteps?: number;
  /** Bisection tolerance on x (default 1e-9 (1 + scale)). */
  tolerance?: number;
}

/**
 * The rightmost point x + iy of the support on the horizontal line at height y, or null when the
 * line misses the support: a march from x = scale (outside: ‖X‖ ≤ scale) leftwards to x = −scale
 * in `marchSteps` steps until a point inside, then bisection between it and the last outside one.
 * A part of the support narrower than the march step can be missed; the step is 2·scale/marchSteps.
 */
export function rightmostSupportPoint(
  b: BrownMeasure,
  y: number,
  options: SupportBoundaryOptions = {},
): number | null {
  const eps = options.eps ?? 1e-10;
  const steps = options.marchSteps ?? 64;
  const tol = options.tolerance ?? 1e-9 * (1 + b.scale);
  const R = b.scale;
  let outside = R;
  let inside: number | null = null;
  for (let k = 1; k <= steps; k++) {
    const x = R - (2 * R * k) / steps;
    if (inBrownSupport(b, { re: x, im: y }, eps)) {
      inside = x;
      break;
    }
    outside = x;
  }
  if (inside === null) return null;
  let x: number = inside;
  while (outside - x > tol) {
    const m = 0.5 * (outside + x);
    if (inBrownSupport(b, { re: m, im: y }, eps)) x = m;
    else outside = m;
  }
  return 0.5 * (outside + x);
}

export interface SpectralAbscissa {
  /** max Re λ over the support. */
  abscissa: number;
  /** Height where it is reached (≥ 0; the measure of a real X is symmetric under conjugation). */
  at: number;
  /** The rightmost support point on each scanned line. */
  lines: { y: number; x: number | null }[];
}

/**
 * The spectral abscissa of the Brown measure (the stability criterion of a flow whose Jacobian is
 * X: stable when < 0): the rightmost support point on `lines` horizontal lines y ∈ [0, scale]
 * (default 9; the support of a real X's measure is symmetric about the real axis), the best line
 * refined by golden-section search between its neighbours to 1e-4 (1 + scale) in y (at a smooth
 * maximum x(y) is flat to second order: an error of 1e-8 (1 + scale)² in x).
 */
export function spectralAbscissa(
  b: BrownMeasure,
  options: SupportBoundaryOptions & { lines?: number } = {},
): SpectralAbscissa {
  const count = options.lines ?? 9;
  const R = b.scale;
  const ys = count === 1 ? [0] : Array.from({ length: count }, (_, k) => (R * k) / (count - 1));
  const lines = ys.map((y) => ({ y, x: rightmostSupportPoint(b, y, options) }));
  let best = -1;
  lines.forEach((l, k) => {
    if (l.x !== null && (best < 0 || l.x > lines[best]!.x!)) best = k;
  });
  if (best < 0)
    throw new NumericFailureError("spectralAbscissa", "no support point found on any scanned line", {
      lines: ys,
    });
  let at = lines[best]!.y;
  let abscissa = lines[best]!.x!;
  if (count > 1) {
    const f = (y: number) => rightmostSupportPoint(b, y, options) ?? Number.NEGATIVE_INFINITY;
    let lo = ys[Math.max(0, best - 1)]!;
    let hi = ys[Math.min(count - 1, best + 1)]!;
    const g = (Math.sqrt(5) - 1) / 2;
    let c = hi - g * (hi - lo);
    let d = lo + g * (hi - lo);
    let fc = f(c);
    let fd = f(d);
    while (hi - lo > 1e-4 * (1 + R)) {
      if (fc >= fd) {
        hi = d;
        d = c;
        fd = fc;
        c = hi - g * (hi - lo);
        fc = f(c);
      } else {
        lo = c;
        c = d;
        fc = fd;
        d = lo + g * (hi - lo);
        fd = f(d);
      }
    }
    const y = 0.5 * (lo + hi);
    const x = f(y);
    if (x > abscissa) {
      abscissa = x;
      at = y;
    }
  }
  return { abscissa, at, lines };
}
