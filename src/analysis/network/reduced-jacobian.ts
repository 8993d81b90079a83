/**
 * The Jacobian reduced to its range: at a point of a manifold of fixed points the Jacobian J
 * vanishes on the tangent space (the neutral directions of symmetries and degeneracy), and its
 * nonzero eigenvalues are those of J restricted to range(J), which J maps into itself. With Q an
 * orthonormal basis of range(J) (found matrix-free, by a randomized range finder: Halko,
 * Martinsson and Tropp, SIAM Rev. 53, 2011, alg. 4.2, with reorthogonalization), the reduced
 * matrix B = Q' J Q has exactly those eigenvalues, and n - rank(J) is the dimension of the zero
 * modes. For seed 001's rule on its solution manifold, B's spectrum is eq. 98's: -x for x in
 * spec(X), X = ||W2||^2 D1 + W1' D2 W1 (up to the input variance).
 *
 * The rank is the number of directions of J Omega above `tolerance` times the largest; the
 * invariance residual |J Q - Q B| / |J Q| is reported (rounding-small when Q spans the range).
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { BoundExceededError } from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";
import { realEigen } from "../../util/real-eigen.ts";
import type { FieldOperator } from "./field-operator.ts";

export interface ReducedJacobian {
  /** n, the dimension of the state. */
  readonly dimension: number;
  /** rank(J), the dimension of the normal dynamics. */
  readonly rank: number;
  /** n - rank(J): the zero modes (tangent directions of the fixed-point set, and other kernel). */
  readonly zeroModes: number;
  /** B = Q' J Q, rank x rank, row-major. */
  readonly matrix: Float64Array;
  /** Eigenvalues of B: the nonzero eigenvalues of J, by decreasing real part. */
  readonly eigenvalues: readonly { readonly re: number; readonly im: number }[];
  /** |J Q - Q B|_F / |J Q|_F. */
  readonly invarianceResidual: number;
  /** Applications of J used. */
  readonly applications: number;
}

export interface ReducedJacobianOptions {
  /** Relative size below which a direction of the range counts as zero (default 1e-9). */
  readonly tolerance?: number;
  /** Random directions per block (default 16). */
  readonly block?: number;
  /** Largest rank built before giving up (default 2000); beyond it use Arnoldi on J. */
  readonly maxRank?: number;
  readonly seed?: number;
}

/** The eigenvalues of a small dense matrix, by decreasing real part (then imaginary part). */
export function rightmostFirst(A: Matrix): { re: number; im: number }[] {
  const evd = realEigen(A);
  return evd.re.map((re, i) => ({ re, im: evd.im[i]! })).sort((a, b) => b.re - a.re || b.im - a.im);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function reducedJacobian(
  op: FieldOperator,
  x: Float64Array,
  options: ReducedJacobianOptions = {},
): ReducedJacobian {
  const n = op.dimension;
  const tol = options.tolerance ?? 1e-9;
  const block = options.block ?? 16;
  const maxRank = options.maxRank ?? 2000;
  const rng = new Rng(options.seed ?? 1);
  let applications = 0;
  const J = (v: Float64Array) => {
    applications++;
    return op.apply(x, v);
  };
  const Q: Float64Array[] = [];
  let largest = 0;
  for (;;) {
    let added = 0;
    for (let b = 0; b < block; b++) {
      const y = J(rng.normals(n));
      const before = Math.sqrt(dot(y, y));
      largest = Math.max(largest, before);
      for (let pass = 0; pass < 2; pass++) {
        for (const q of Q) {
          const c = dot(q, y);
          for (let i = 0; i < n; i++) y[i] = y[i]! - c * q[i]!;
        }
      }
      const rest = Math.sqrt(dot(y, y));
      if (rest > tol * largest && rest > 0) {
        Q.push(y.map((v) => v / rest));
        added++;
        if (Q.length > maxRank) {
          throw new BoundExceededError(
            "reducedJacobian",
            "rank",
            maxRank,
            `more than ${maxRank}`,
            "the range of J is large: use Arnoldi on the operator",
          );
        }
      }
    }
    if (added === 0 || Q.length >= n) break;
  }
  const r = Q.length;
  const JQ = Q.map((q) => J(q));
  const B = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) B[i * r + j] = dot(Q[i]!, JQ[j]!);
  let res2 = 0;
  let norm2 = 0;
  for (let j = 0; j < r; j++) {
    const w = Float64Array.from(JQ[j]!);
    norm2 += dot(w, w);
    for (let i = 0; i < r; i++) {
      const c = B[i * r + j]!;
      const q = Q[i]!;
      for (let k = 0; k < n; k++) w[k] = w[k]! - c * q[k]!;
    }
    res2 += dot(w, w);
  }
  const eigenvalues = r > 0 ? rightmostFirst(Matrix.from1DArray(r, r, B)) : [];
  return {
    dimension: n,
    rank: r,
    zeroModes: n - r,
    matrix: B,
    eigenvalues,
    invarianceResidual: norm2 > 0 ? Math.sqrt(res2 / norm2) : 0,
    applications,
  };
}

/** The nonzero spectrum of J from sketches, without an orthonormal basis of its range. */
export interface SketchedSpectrum {
  readonly dimension: number;
  /** Numerical rank of J found from the sketch. */
  readonly rank: number;
  readonly zeroModes: number;
  /** Nonzero eigenvalues of J, by decreasing real part. */
  readonly eigenvalues: readonly { readonly re: number; readonly im: number }[];
  /** Least-squares residual of the sketched relation J Y = Y B, relative. */
  readonly residual: number;
  readonly applications: number;
}

/**
 * The nonzero eigenvalues of J at x from Y = J Omega and Z = J Y (Omega Gaussian, n x k), read
 * through a CountSketch S (2k rows; each coordinate of R^n added with a random sign to one
 * random row: Clarkson and Woodruff, STOC 2013), so the work beyond the 2k applications of J is
 * O(nk) instead of the O(nk^2) of an orthonormal basis. With S Y = U Sigma V' (rank r), Y V_r
 * spans range(J) and J (Y V_r) = (Y V_r) B for B = Sigma_r^-1 U_r' (S Z) V_r, whose eigenvalues are
 * the nonzero eigenvalues of J. k starts at `block` and doubles until the sketch's singular
 * values show a gap below `tolerance` (the rank is then known), bounded by `maxRank`.
 */
export function sketchedNonzeroSpectrum(
  op: FieldOperator,
  x: Float64Array,
  options: ReducedJacobianOptions = {},
): SketchedSpectrum {
  const n = op.dimension;
  const tol = options.tolerance ?? 1e-9;
  const maxRank = options.maxRank ?? 2000;
  const rng = new Rng(options.seed ?? 1);
  let applications = 0;
  const J = (v: Float64Array) => {
    applications++;
    return op.apply(x, v);
  };
  const Y: Float64Array[] = [];
  const Z: Float64Array[] = [];
  let k = Math.min(options.block ?? 16, n);
  for (;;) {
    while (Y.length < k) {
      const y = J(rng.normals(n));
      Y.push(y);
      Z.push(J(y));
    }
    // A sparse sign sketch with `nnz` entries per coordinate (OSNAP: Nelson and Nguyen, FOCS
    // 2013); several entries per coordinate keep subspaces aligned with coordinate axes injective,
    // which one entry (CountSketch) does not. When 2k >= n the sketch is the identity.
    const identity = 2 * k >= n;
    const rows = identity ? n : 2 * k;
    const nnz = Math.min(8, rows);
    const bucket = new Int32Array(identity ? 0 : n * nnz);
    const sign = new Float64Array(identity ? 0 : n * nnz);
    for (let q = 0; q < bucket.length; q++) {
      bucket[q] = rng.int(rows);
      sign[q] = (rng.uniform() < 0.5 ? -1 : 1) / Math.sqrt(nnz);
    }
    const sketch = (cols: Float64Array[]) => {
      const S = new Matrix(rows, cols.length);
      cols.forEach((c, j) => {
        if (identity) for (let i = 0; i < n; i++) S.set(i, j, c[i]!);
        else
          for (let q = 0; q < bucket.length; q++)
            S.set(bucket[q]!, j, S.get(bucket[q]!, j) + sign[q]! * c[(q / nnz) | 0]!);
      });
      return S;
    };
    const SY = sketch(Y);
    const svd = new SingularValueDecomposition(SY, { autoTranspose: true });
    const sigma = svd.diagonal;
    const r = sigma.filter((s) => s > tol * sigma[0]! && s > 0).length;
    if (r === 0) return { dimension: n, rank: 0, zeroModes: n, eigenvalues: [], residual: 0, applications };
    if (r < k || k >= n) {
      const U = svd.leftSingularVectors.subMatrix(0, rows - 1, 0, r - 1);
      const V = svd.rightSingularVectors.subMatrix(0, k - 1, 0, r - 1);
      const SZV = sketch(Z).mmul(V);
      const B = Matrix.diag(sigma.slice(0, r).map((s) => 1 / s))
        .mmul(U.transpose())
        .mmul(SZV);
      const lsResidual = SZV.clone().sub(U.mmul(Matrix.diag(sigma.slice(0, r))).mmul(B));
      return {
        dimension: n,
        rank: r,
        zeroModes: n - r,
        eigenvalues: rightmostFirst(B),
        residual: lsResidual.norm() / Math.max(SZV.norm(), Number.MIN_VALUE),
        applications,
      };
    }
    if (k >= maxRank) {
      throw new BoundExceededError(
        "sketchedNonzeroSpectrum",
        "rank",
        maxRank,
        `at least ${k}`,
        "the range of J is large: use Arnoldi on the operator",
      );
    }
    k = Math.min(2 * k, maxRank, n);
  }
}
