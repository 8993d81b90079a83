/**
 * The small dense linear algebra continuation needs, on ml-matrix: null vectors and minimum-norm
 * least-squares solutions by the SVD (robust for the rank-deficient and overdetermined systems of
 * fixed-point families), determinants, and eigenvalues (bounded: realEigen).
 */
import { Matrix, determinant as mlDeterminant, SingularValueDecomposition } from "ml-matrix";
import type { Complex } from "../../expr/index.ts";
import { realEigen } from "../../util/real-eigen.ts";

/** The right singular vector of the smallest singular value of A (m x N, N >= 1), unit length. */
export function nullVector(A: readonly (readonly number[])[]): number[] {
  const N = A[0]!.length;
  // pad with zero rows so the SVD returns all N right singular vectors
  const rows = A.map((r) => [...r]);
  while (rows.length < N) rows.push(new Array<number>(N).fill(0));
  const svd = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: false });
  const V = svd.rightSingularVectors;
  const s = svd.diagonal;
  let k = 0;
  for (let j = 1; j < s.length; j++) if (s[j]! < s[k]!) k = j;
  return V.getColumn(k);
}

/** The two right singular vectors of the smallest singular values (a 2-dimensional kernel). */
export function nullPlane(A: readonly (readonly number[])[]): [number[], number[]] {
  const N = A[0]!.length;
  const rows = A.map((r) => [...r]);
  while (rows.length < N) rows.push(new Array<number>(N).fill(0));
  const svd = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: false });
  const order = svd.diagonal.map((s, j) => [s, j] as const).sort((a, b) => a[0] - b[0]);
  return [svd.rightSingularVectors.getColumn(order[0]![1]), svd.rightSingularVectors.getColumn(order[1]![1])];
}

/** The left singular vector of the smallest singular value of A (m x N), unit length. */
export function leftNullVector(A: readonly (readonly number[])[]): number[] {
  const At = A[0]!.map((_, j) => A.map((r) => r[j]!));
  return nullVector(At);
}

/** The minimum-norm least-squares solution of A x = b (pseudo-inverse by the SVD). */
export function leastSquares(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const svd = new SingularValueDecomposition(new Matrix(A.map((r) => [...r])), { autoTranspose: true });
  return svd.solve(Matrix.columnVector([...b])).getColumn(0);
}

export function determinant(A: readonly (readonly number[])[]): number {
  if (A.length === 0) return 1;
  return mlDeterminant(new Matrix(A.map((r) => [...r])));
}

export function eigenvalues(A: readonly (readonly number[])[]): Complex[] {
  const e = realEigen(A);
  return e.re.map((re, i) => ({ re, im: e.im[i]! }));
}

export const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
export const norm2 = (a: readonly number[]) => Math.sqrt(dot(a, a));
export const axpy = (a: number, x: readonly number[], y: readonly number[]) => y.map((v, i) => v + a * x[i]!);
