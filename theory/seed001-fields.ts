/**
 * The learning-rule vector fields of seed 001 (Ninou, Kadmon, Cayco-Gajic, "Curl Descent",
 * NeurIPS 2025) on flat weight vectors, and the gradient test used by the catalog.
 *
 * All fields here are polynomials of degree <= 3 in the weights, so their Jacobians from
 * theory/support/derivative.ts are exact up to rounding; at integer points with small integer
 * data they are exact. A polynomial field is a gradient (on a simply connected domain) iff its
 * Jacobian is symmetric everywhere; the asymmetry J - J^T is itself a polynomial, so a nonzero
 * value at one point proves the field is not a gradient, and zero at random integer points from
 * a large range makes "identically zero" certain up to the Schwartz-Zippel bound deg/range.
 */
import { curlDescentField, type TwoLayerPoint, withState } from "../src/analysis/two-layer/index.ts";
import { polynomialJacobian } from "./support/derivative.ts";
import { asymmetry, type Mat, matmul, transpose } from "./support/linalg.ts";

/** Shapes of the two-layer student: W1 is N x M, W2 is 1 x N; flat state = [W1 row-major, W2]. */
export interface TwoLayer {
  m: number;
  n: number;
}

export const unpackTwoLayer = ({ m, n }: TwoLayer, y: ArrayLike<number>) => {
  const w1 = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => y[i * m + j]!));
  const w2 = Array.from({ length: n }, (_, i) => y[n * m + i]!);
  return { w1, w2 };
};

/**
 * Curl descent with whitened inputs (seed 001, eq. 6): dW1/dt = W2^T (s - W2 W1) D1,
 * dW2/dt = (s - W2 W1) W1^T D2, as a function of the flat state. d1 (length M) and d2
 * (length N) are the diagonals (+-1). The field is src/analysis/two-layer's, whose state order
 * (W1 row-major, then W2) is the flat state here.
 */
export function curlField(shape: TwoLayer, s: number[], d1: number[], d2: number[]) {
  const base = twoLayerPoint(shape, new Float64Array(shape.n * shape.m + shape.n), s, d1, d2);
  return (y: ArrayLike<number>): Float64Array => curlDescentField(withState(base, y));
}

/** The two-layer point (src/analysis/two-layer) with the flat state y and the parameters s, d1, d2. */
export function twoLayerPoint(
  shape: TwoLayer,
  y: ArrayLike<number>,
  s: number[],
  d1: number[],
  d2: number[],
): TwoLayerPoint {
  const { w1, w2 } = unpackTwoLayer(shape, y);
  return { W1: w1, W2: w2, s, d1, d2 };
}

/** max |J - J^T| of the field's Jacobian at y. */
export function jacobianAsymmetry(
  field: (y: Float64Array) => ArrayLike<number>,
  y: ArrayLike<number>,
): number {
  return asymmetry(polynomialJacobian(field, y));
}

/**
 * Asymmetry of a field restricted to a linear subspace with orthonormal basis `basis` (rows):
 * g(u) = B^T F(B u), J_g = B^T J_F B must be symmetric for a gradient flow on the subspace
 * (with the Frobenius metric). Also returns how far F(B u) leaves the subspace.
 */
export function subspaceAsymmetry(
  field: (y: Float64Array) => ArrayLike<number>,
  basis: number[][],
  u: ArrayLike<number>,
): { asymmetry: number; leak: number } {
  const dim = basis[0]!.length;
  const embed = (v: ArrayLike<number>) => {
    const y = new Float64Array(dim);
    basis.forEach((b, k) => {
      for (let t = 0; t < dim; t++) y[t]! += v[k]! * b[t]!;
    });
    return y;
  };
  const restricted = (v: Float64Array) => {
    const f = field(embed(v));
    return basis.map((b) => b.reduce((acc, x, t) => acc + x * f[t]!, 0));
  };
  const f = field(embed(u));
  const proj = embed(basis.map((b) => b.reduce((acc, x, t) => acc + x * f[t]!, 0)));
  let leak = 0;
  for (let t = 0; t < dim; t++) leak = Math.max(leak, Math.abs(f[t]! - proj[t]!));
  return { asymmetry: asymmetry(polynomialJacobian(restricted, u)), leak };
}

/** Orthonormal basis of the symmetric N x N matrices in R^{N^2} (E_ii and (E_ij + E_ji)/sqrt 2). */
export function symmetricBasis(n: number): number[][] {
  const basis: number[][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const b = new Array<number>(n * n).fill(0);
      if (i === j) b[i * n + i] = 1;
      else {
        b[i * n + j] = Math.SQRT1_2;
        b[j * n + i] = Math.SQRT1_2;
      }
      basis.push(b);
    }
  return basis;
}

export const toMat = (y: ArrayLike<number>, n: number): Mat =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => y[i * n + j]!));

/** Hebbian/anti-Hebbian RNN, second and third terms (seed 001, eq. 25): F(W) = (Sigma W^T + W Sigma) o M. */
export function hebbianField(sigma: Mat, mask: Mat) {
  const n = sigma.length;
  return (y: ArrayLike<number>) => {
    const w = toMat(y, n);
    const a = matmul(sigma, transpose(w));
    const b = matmul(w, sigma);
    return Float64Array.from(a.flatMap((row, i) => row.map((v, j) => (v + b[i]![j]!) * mask[i]![j]!)));
  };
}

/** E-I Hebbian learning (seed 001, eq. 33): F(W) = Sigma + W D Sigma + Sigma D W^T. */
export function eiField(sigma: Mat, d: number[]) {
  const n = sigma.length;
  return (y: ArrayLike<number>) => {
    const w = toMat(y, n);
    const wd = w.map((row) => row.map((v, j) => v * d[j]!));
    const a = matmul(wd, sigma);
    const b = matmul(sigma, transpose(wd));
    return Float64Array.from(a.flatMap((row, i) => row.map((v, j) => sigma[i]![j]! + v + b[i]![j]!)));
  };
}
