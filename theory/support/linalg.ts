/**
 * Small dense linear algebra for the catalog's checks, on plain arrays (row-major number[][]).
 * Symmetric eigenvalues come from src/spectra, general eigenvalues and eigenvectors from
 * ml-matrix (Hessenberg QR; tridiagonal QL with vectors); the rest is a few lines each.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { symmetricEigenvalues as srcSymmetricEigenvalues } from "../../src/spectra/symmetric-eigenvalues.ts";
import { realEigen } from "../../src/util/real-eigen.ts";

export type Mat = number[][];

export function zeros(rows: number, cols: number): Mat {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

export function identity(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function matmul(a: Mat, b: Mat): Mat {
  const n = a.length;
  const k = b.length;
  const m = b[0]?.length ?? 0;
  const c = zeros(n, m);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < k; p++) {
      const aip = a[i]![p]!;
      if (aip === 0) continue;
      for (let j = 0; j < m; j++) c[i]![j]! += aip * b[p]![j]!;
    }
  return c;
}

export function transpose(a: Mat): Mat {
  const rows = a.length;
  const cols = a[0]?.length ?? 0;
  const t = zeros(cols, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j]![i] = a[i]![j]!;
  return t;
}

export function matVec(a: Mat, x: ArrayLike<number>): number[] {
  return a.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

export function norm(x: ArrayLike<number>): number {
  return Math.sqrt(dot(x, x));
}

/** max |a_ij| */
export function maxAbs(a: Mat): number {
  let m = 0;
  for (const row of a) for (const v of row) m = Math.max(m, Math.abs(v));
  return m;
}

/** max |a_ij - a_ji|: zero exactly when a is symmetric. */
export function asymmetry(a: Mat): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < i; j++) m = Math.max(m, Math.abs(a[i]![j]! - a[j]![i]!));
  return m;
}

export function trace(a: Mat): number {
  return a.reduce((s, row, i) => s + row[i]!, 0);
}

/** Eigenvalues of a general real square matrix, as real and imaginary parts. */
export function eigenvalues(a: Mat): { re: number[]; im: number[] } {
  const e = realEigen(a);
  return { re: e.re, im: e.im };
}

/**
 * Eigenvalues of a symmetric matrix, in decreasing order (src/spectra's eigenvalue-only
 * tridiagonal QL solver; only the lower triangle is read).
 */
export function symmetricEigenvalues(a: Mat): number[] {
  const n = a.length;
  const flat = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) flat[i * n + j] = a[i]![j]!;
  return Array.from(srcSymmetricEigenvalues(flat, n)).reverse();
}

/** Eigen-decomposition of a symmetric matrix: values (decreasing) and unit eigenvectors (columns of `vectors`). */
export function symmetricEigen(a: Mat): { values: number[]; vectors: number[][] } {
  const e = new EigenvalueDecomposition(new Matrix(a), { assumeSymmetric: true });
  const values = e.realEigenvalues;
  const v = e.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]!);
  return { values: order.map((i) => values[i]!), vectors: order.map((i) => v.getColumn(i)) };
}

/** Singular values, decreasing. */
export function singularValues(a: Mat): number[] {
  const ata = matmul(transpose(a), a);
  return symmetricEigenvalues(ata).map((v) => Math.sqrt(Math.max(0, v)));
}

/**
 * Distance between two multisets of complex numbers of equal size: the largest modulus of the
 * difference after matching greedily by nearest neighbour (adequate when the tolerance is far
 * below the gaps between distinct values, which each caller's tolerance argument ensures).
 */
export function multisetDistance(
  a: { re: number[]; im: number[] },
  b: { re: number[]; im: number[] },
): number {
  if (a.re.length !== b.re.length) return Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(b.re.length).fill(false);
  let worst = 0;
  for (let i = 0; i < a.re.length; i++) {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < b.re.length; j++) {
      if (used[j]) continue;
      const d = Math.hypot(a.re[i]! - b.re[j]!, a.im[i]! - b.im[j]!);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    used[best] = true;
    worst = Math.max(worst, bestD);
  }
  return worst;
}
