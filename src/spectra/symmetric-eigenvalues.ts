/**
 * All eigenvalues of a real symmetric matrix, without eigenvectors: Householder reduction to
 * tridiagonal form followed by the implicit QL iteration with Wilkinson-type shifts (the
 * classical tred2/tqli pair, eigenvalue-only). About n³ flops, so a 1000 × 1000 sampled
 * spectrum takes a second or two, where a full eigendecomposition with vectors takes far longer.
 * Backward stable: each eigenvalue errs by O(n ε ‖A‖).
 */
import { InvalidArgumentError, NumericFailureError } from "../util/errors.ts";

/**
 * Eigenvalues (ascending) of the symmetric n × n matrix stored row-major in `a` (length n²).
 * `a` is overwritten. Only the lower triangle is read. Throws NumericFailureError if the QL
 * iteration exceeds 60 sweeps for one eigenvalue.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n)
    throw new InvalidArgumentError("symmetricEigenvalues", "a", `a matrix with ${n * n} entries`, a.length);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i]!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // Householder vector v for column k below the diagonal: H x = alpha e1.
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) norm2 += a[i * n + k]! ** 2;
    const x0 = a[(k + 1) * n + k]!;
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    d[k] = a[k * n + k]!;
    e[k] = alpha;
    let vnorm2 = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k]!;
      if (i === k + 1) v[i]! -= alpha;
      vnorm2 += v[i]! ** 2;
    }
    if (vnorm2 === 0) {
      e[k] = x0;
      continue;
    }
    const inv = 1 / Math.sqrt(vnorm2);
    for (let i = k + 1; i < n; i++) v[i]! *= inv;
    // A22 ← A22 − 2(v wᵀ + w vᵀ), p = A22 v, w = p − (vᵀp) v.
    let K = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = k + 1; j < n; j++) s += a[row + j]! * v[j]!;
      p[i] = s;
      K += v[i]! * s;
    }
    for (let i = k + 1; i < n; i++) p[i]! -= K * v[i]!;
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = 2 * v[i]!;
      const wi = 2 * p[i]!;
      for (let j = k + 1; j < n; j++) a[row + j]! -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;
  tridiagonalQl(d, e, n);
  return d.sort();
}

/**
 * Implicit QL on the tridiagonal (d, e), e[i] = T[i+1][i]; eigenvalues overwrite d.
 * An off-diagonal is neglected when it is below ε relative to its two diagonal neighbours or
 * to ‖T‖ (max row sum): the second test, a perturbation of size ε‖T‖ within the O(n ε ‖A‖)
 * contract, is what ends the iteration on clusters of eigenvalues at rounding level (a
 * rank-deficient A), where the relative test alone can stall.
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, n: number): void {
  let tnorm = 0;
  for (let i = 0; i < n; i++)
    tnorm = Math.max(tnorm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * Math.max(dd, tnorm)) break;
      }
      if (m !== l) {
        if (iter++ === 60) {
          throw new NumericFailureError(
            "symmetricEigenvalues",
            "QL iteration did not converge in 60 sweeps",
            { index: l, n },
          );
        }
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        let deflated = false;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1]! -= p;
            e[m] = 0;
            deflated = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (deflated) continue;
        d[l]! -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
}
