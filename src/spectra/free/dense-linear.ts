/**
 * Small dense linear algebra for the operator-valued fixed points: in-place Gauss-Jordan
 * inversion and linear solves with partial pivoting, complex (separate real and imaginary
 * arrays, row-major) and real. The matrices are the blocks of a linearization (a handful of rows),
 * where a library's allocation per call would cost more than the arithmetic; hence written here.
 * Each returns false on an exactly singular pivot and leaves its outputs undefined.
 */

/** Row ≥ k with the largest |a[i][k]|, or −1 when that is 0 or not finite. */
function pivotComplex(m: number, re: Float64Array, im: Float64Array, k: number): number {
  let p = k;
  let best = re[k * m + k]! ** 2 + im[k * m + k]! ** 2;
  for (let i = k + 1; i < m; i++) {
    const v = re[i * m + k]! ** 2 + im[i * m + k]! ** 2;
    if (v > best) {
      best = v;
      p = i;
    }
  }
  return best === 0 || !Number.isFinite(best) ? -1 : p;
}

function pivotReal(m: number, a: Float64Array, k: number): number {
  let p = k;
  let best = Math.abs(a[k * m + k]!);
  for (let i = k + 1; i < m; i++) {
    const v = Math.abs(a[i * m + k]!);
    if (v > best) {
      best = v;
      p = i;
    }
  }
  return best === 0 || !Number.isFinite(best) ? -1 : p;
}

function swapRows(m: number, a: Float64Array, k: number, p: number): void {
  for (let j = 0; j < m; j++) {
    const t = a[k * m + j]!;
    a[k * m + j] = a[p * m + j]!;
    a[p * m + j] = t;
  }
}

/** Inverts the m × m complex matrix (re, im) in place (work arrays of length m² reused). */
export function invertComplex(m: number, re: Float64Array, im: Float64Array, perm: Int32Array): boolean {
  for (let i = 0; i < m; i++) perm[i] = i;
  for (let k = 0; k < m; k++) {
    const p = pivotComplex(m, re, im, k);
    if (p < 0) return false;
    const best = re[p * m + k]! ** 2 + im[p * m + k]! ** 2;
    if (p !== k) {
      swapRows(m, re, k, p);
      swapRows(m, im, k, p);
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
    }
    // Pivot inverse.
    const pr = re[k * m + k]!;
    const pi = im[k * m + k]!;
    const ir = pr / best;
    const ii = -pi / best;
    re[k * m + k] = 1;
    im[k * m + k] = 0;
    for (let j = 0; j < m; j++) {
      const a = re[k * m + j]!;
      const b = im[k * m + j]!;
      re[k * m + j] = a * ir - b * ii;
      im[k * m + j] = a * ii + b * ir;
    }
    for (let i = 0; i < m; i++) {
      if (i === k) continue;
      const fr = re[i * m + k]!;
      const fi = im[i * m + k]!;
      if (fr === 0 && fi === 0) continue;
      re[i * m + k] = 0;
      im[i * m + k] = 0;
      for (let j = 0; j < m; j++) {
        const a = re[k * m + j]!;
        const b = im[k * m + j]!;
        re[i * m + j]! -= fr * a - fi * b;
        im[i * m + j]! -= fr * b + fi * a;
      }
    }
  }
  unpermuteColumns(m, re, im, perm);
  return true;
}

/**
 * After Gauss-Jordan on P A (rows permuted so that row k is original row perm[k]), the result is
 * (P A)⁻¹ = A⁻¹ Pᵀ; A⁻¹ = (P A)⁻¹ P, i.e. column k of the result goes to column perm[k].
 */
let tmpR = new Float64Array(16);
let tmpI = new Float64Array(16);
function unpermuteColumns(m: number, re: Float64Array, im: Float64Array | null, perm: Int32Array): void {
  let identity = true;
  for (let k = 0; k < m; k++) if (perm[k] !== k) identity = false;
  if (identity) return;
  if (tmpR.length < m) {
    tmpR = new Float64Array(m);
    tmpI = new Float64Array(m);
  }
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      tmpR[perm[k]!] = re[i * m + k]!;
      if (im) tmpI[perm[k]!] = im[i * m + k]!;
    }
    for (let k = 0; k < m; k++) {
      re[i * m + k] = tmpR[k]!;
      if (im) im[i * m + k] = tmpI[k]!;
    }
  }
}

/** Inverts the m × m real matrix in place. */
export function invertReal(m: number, a: Float64Array, perm: Int32Array): boolean {
  for (let i = 0; i < m; i++) perm[i] = i;
  for (let k = 0; k < m; k++) {
    const p = pivotReal(m, a, k);
    if (p < 0) return false;
    if (p !== k) {
      swapRows(m, a, k, p);
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
    }
    const inv = 1 / a[k * m + k]!;
    a[k * m + k] = 1;
    for (let j = 0; j < m; j++) a[k * m + j]! *= inv;
    for (let i = 0; i < m; i++) {
      if (i === k) continue;
      const f = a[i * m + k]!;
      if (f === 0) continue;
      a[i * m + k] = 0;
      for (let j = 0; j < m; j++) a[i * m + j]! -= f * a[k * m + j]!;
    }
  }
  unpermuteColumns(m, a, null, perm);
  return true;
}

/** Solves the complex m × m system A x = b in place (A overwritten; b becomes x). */
export function solveComplex(
  m: number,
  aRe: Float64Array,
  aIm: Float64Array,
  bRe: Float64Array,
  bIm: Float64Array,
): boolean {
  for (let k = 0; k < m; k++) {
    const p = pivotComplex(m, aRe, aIm, k);
    if (p < 0) return false;
    const best = aRe[p * m + k]! ** 2 + aIm[p * m + k]! ** 2;
    if (p !== k) {
      swapRows(m, aRe, k, p);
      swapRows(m, aIm, k, p);
      let t = bRe[k]!;
      bRe[k] = bRe[p]!;
      bRe[p] = t;
      t = bIm[k]!;
      bIm[k] = bIm[p]!;
      bIm[p] = t;
    }
    const ir = aRe[k * m + k]! / best;
    const ii = -aIm[k * m + k]! / best;
    for (let i = k + 1; i < m; i++) {
      const xr = aRe[i * m + k]!;
      const xi = aIm[i * m + k]!;
      if (xr === 0 && xi === 0) continue;
      const fr = xr * ir - xi * ii;
      const fi = xr * ii + xi * ir;
      for (let j = k; j < m; j++) {
        const a = aRe[k * m + j]!;
        const b = aIm[k * m + j]!;
        aRe[i * m + j]! -= fr * a - fi * b;
        aIm[i * m + j]! -= fr * b + fi * a;
      }
      bRe[i]! -= fr * bRe[k]! - fi * bIm[k]!;
      bIm[i]! -= fr * bIm[k]! + fi * bRe[k]!;
    }
  }
  for (let k = m - 1; k >= 0; k--) {
    let sr = bRe[k]!;
    let si = bIm[k]!;
    for (let j = k + 1; j < m; j++) {
      const a = aRe[k * m + j]!;
      const b = aIm[k * m + j]!;
      sr -= a * bRe[j]! - b * bIm[j]!;
      si -= a * bIm[j]! + b * bRe[j]!;
    }
    const pr = aRe[k * m + k]!;
    const pi = aIm[k * m + k]!;
    const d = pr * pr + pi * pi;
    bRe[k] = (sr * pr + si * pi) / d;
    bIm[k] = (si * pr - sr * pi) / d;
  }
  return true;
}

/** Solves the real m × m system A x = b in place. */
export function solveReal(m: number, a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < m; k++) {
    const p = pivotReal(m, a, k);
    if (p < 0) return false;
    if (p !== k) {
      swapRows(m, a, k, p);
      const t = b[k]!;
      b[k] = b[p]!;
      b[p] = t;
    }
    const inv = 1 / a[k * m + k]!;
    for (let i = k + 1; i < m; i++) {
      const f = a[i * m + k]! * inv;
      if (f === 0) continue;
      for (let j = k; j < m; j++) a[i * m + j]! -= f * a[k * m + j]!;
      b[i]! -= f * b[k]!;
    }
  }
  for (let k = m - 1; k >= 0; k--) {
    let s = b[k]!;
    for (let j = k + 1; j < m; j++) s -= a[k * m + j]! * b[j]!;
    b[k] = s / a[k * m + k]!;
  }
  return true;
}
