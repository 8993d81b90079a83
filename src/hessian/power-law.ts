/**
 * Power-law descriptions of the top of a spectrum (seed 000, A.1, Figure 7).
 *
 * - `fitEigenvalueDecay`: least squares on log λ_k = log C - s log k for the ranked positive
 *   eigenvalues λ_1 >= λ_2 >= ..., returning the decay exponent s, C and R².
 * - `powerLawExponentMle`: the continuous maximum-likelihood exponent of the values seen as a
 *   sample from p(x) ∝ x^{-a} for x >= x_min (Clauset, Shalizi and Newman 2009, eq. 3.1),
 *   a = 1 + n / Σ ln(x_i/x_min), with standard error (a - 1)/√n; x_min is the smallest value.
 *   (The seed used the `powerlaw` package, which also chooses x_min; here x_min is fixed.)
 */
import { InvalidArgumentError } from "../util/errors.ts";

export interface DecayFit {
  exponent: number;
  prefactor: number;
  r2: number;
  /** Number of positive eigenvalues used. */
  used: number;
}

export function fitEigenvalueDecay(eigenvalues: readonly number[]): DecayFit {
  const ranked = eigenvalues.filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => b - a);
  if (ranked.length < 2) {
    throw new InvalidArgumentError(
      "fitEigenvalueDecay",
      "eigenvalues",
      "at least 2 positive values",
      eigenvalues,
    );
  }
  const xs = ranked.map((_, k) => Math.log(k + 1));
  const ys = ranked.map((x) => Math.log(x));
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxy / sxx;
  return {
    exponent: -slope,
    prefactor: Math.exp(my - slope * mx),
    r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1,
    used: n,
  };
}

export interface PowerLawMle {
  exponent: number;
  standardError: number;
  xMin: number;
  used: number;
}

export function powerLawExponentMle(values: readonly number[]): PowerLawMle {
  const xs = values.filter((x) => x > 0 && Number.isFinite(x));
  if (xs.length < 2) {
    throw new InvalidArgumentError("powerLawExponentMle", "values", "at least 2 positive values", values);
  }
  const xMin = Math.min(...xs);
  const s = xs.reduce((acc, x) => acc + Math.log(x / xMin), 0);
  if (!(s > 0))
    throw new InvalidArgumentError("powerLawExponentMle", "values", "values that are not all equal", values);
  const a = 1 + xs.length / s;
  return { exponent: a, standardError: (a - 1) / Math.sqrt(xs.length), xMin, used: xs.length };
}
