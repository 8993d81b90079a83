/**
 * Central finite differences of a float64 function of one coordinate, with a proven error bound,
 * for checking that a rule's field is minus the gradient of its declared error.
 *
 * D = (f(w + h) - f(w - h)) / (2h) with the steps w ± h exact (w on a grid of 2^-k, h = 2^-j,
 * j <= k). Then |D - f'(w)| <= h² / 6 · max |f'''| over [w - h, w + h] (Taylor's theorem with
 * the Lagrange remainder, the two second-order terms cancelling) + (|δ₊| + |δ₋|) / (2h), δ± the
 * rounding errors of the two evaluations, + 2u|D| for the subtraction (the division by 2h is
 * exact).
 */
import { roundingBound, U } from "./matrix.ts";

export interface CentralDifference {
  readonly value: number;
  /** The bound on |value - f'(w)| described above. */
  readonly bound: number;
}

/**
 * `f` evaluated at w ± h (the caller makes both exact); `third` bounds |f'''| on the interval;
 * each evaluation of f is within roundingBound(L, magnitude) / 2 of the exact value.
 */
export function centralDifference(
  f: (w: number) => number,
  w: number,
  h: number,
  third: number,
  rounding: { L: number; magnitude: number },
): CentralDifference {
  const value = (f(w + h) - f(w - h)) / (2 * h);
  // roundingBound bounds the difference of two evaluations, i.e. twice one evaluation's error:
  // the two evaluations here contribute one such bound in total.
  const bound =
    (h * h * third) / 6 + roundingBound(rounding.L, rounding.magnitude) / (2 * h) + 2 * U * Math.abs(value);
  return { value, bound };
}

/** Bounds of |tanh^(n)|, n = 1, 2, 3: sech² <= 1, |2 tanh sech²| <= 4/(3√3), |2 sech² (3 tanh² - 1)| <= 2. */
export const TANH_DERIVATIVE_BOUNDS = [1, 4 / (3 * Math.sqrt(3)), 2] as const;

/**
 * A bound on |d³/dw³ mean_s e_s(w)²| over [w - h, w + h], from bounds on |e_s| at w and on
 * |e_s'|, |e_s''|, |e_s'''| over the interval: (e²)''' = 2 (3 e' e'' + e e'''), and
 * |e_s| <= |e_s(w)| + h·max|e_s'| on the interval.
 */
export function thirdDerivativeOfMeanSquare(
  samples: readonly { e: number; e1: number; e2: number; e3: number }[],
  h: number,
): number {
  let total = 0;
  for (const s of samples) total += 2 * (3 * s.e1 * s.e2 + (Math.abs(s.e) + h * s.e1) * s.e3);
  return total / samples.length;
}
