/**
 * Exact derivatives of polynomial maps by central differences.
 *
 * Along any line, a polynomial map of degree at most 6 is a polynomial in the line parameter;
 * the 7-point central stencil (-1, 9, -45, 0, 45, -9, 1)/(60h) differentiates polynomials of
 * degree <= 6 exactly, so the only error is floating-point rounding of the function values,
 * about 2^-52 times their size divided by h. With h = 1 and inputs of order one that is a few
 * ulps of the function's scale. Every field this is applied to in the catalog is a polynomial of
 * degree <= 6 in the weights (each caller says which degree), so these Jacobians and Hessians are
 * exact up to rounding, not approximations.
 */

const STENCIL = [-1, 9, -45, 0, 45, -9, 1] as const;

/**
 * Jacobian J[i][j] = d f_i / d x_j of f: R^n -> R^m at x, exact for f polynomial of degree <= 6.
 * @param h step; 1 is best for polynomials with O(1) coefficients and arguments.
 */
export function polynomialJacobian(
  f: (x: Float64Array) => ArrayLike<number>,
  x: ArrayLike<number>,
  h = 1,
): number[][] {
  const n = x.length;
  const m = f(Float64Array.from(x)).length;
  const jac = Array.from({ length: m }, () => new Array<number>(n).fill(0));
  const y = Float64Array.from(x);
  for (let j = 0; j < n; j++) {
    const x0 = y[j]!;
    for (let k = 0; k < STENCIL.length; k++) {
      const w = STENCIL[k]!;
      if (w === 0) continue;
      y[j] = x0 + (k - 3) * h;
      const fy = f(y);
      for (let i = 0; i < m; i++) jac[i]![j]! += (w * fy[i]!) / (60 * h);
    }
    y[j] = x0;
  }
  return jac;
}

/** Gradient of a scalar polynomial of degree <= 6, exact up to rounding. */
export function polynomialGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1): number[] {
  return polynomialJacobian((y) => [f(y)], x, h)[0]!;
}
