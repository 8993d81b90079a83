/**
 * Finite-size stability of the solution manifold of curl descent at a given point (seed 001
 * eq. 12 / eq. 98): away from the zero eigenvalues, the Jacobian's eigenvalues are -mu for the
 * eigenvalues mu of the symmetric M x M matrix
 *
 *   X = ||W2||^2 D1 + W1^T D2 W1,
 *
 * so the point is linearly stable iff X is positive definite. Evaluated at the teacher's weights
 * (a point of the manifold with iid weights, as the random-matrix theory of seed 001 appendix B.4
 * assumes), it is the finite-size counterpart of the analytic boundary. It assumes whitened
 * inputs, E[x x^T] proportional to I, which holds on average for x ~ N(0, I/2) (the factor 1/2
 * rescales all eigenvalues and does not change their signs).
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { requireLength } from "../backend/validate.ts";

/** The smallest eigenvalue of X = ||W2||^2 D1 + W1^T D2 W1 (W1: N x M row-major; W2, d2: N; d1: M). */
export function manifoldStabilityMargin(
  w1: Float64Array,
  w2: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
  inputs: number,
  hidden: number,
): number {
  const fn = "manifoldStabilityMargin";
  const M = inputs;
  const N = hidden;
  requireLength(fn, "w1", w1, N * M);
  requireLength(fn, "w2", w2, N);
  requireLength(fn, "d1", d1, M);
  requireLength(fn, "d2", d2, N);
  let w2sq = 0;
  for (let i = 0; i < N; i++) w2sq += w2[i]! * w2[i]!;
  const X = Matrix.zeros(M, M);
  for (let p = 0; p < M; p++) {
    for (let q = p; q < M; q++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += w1[i * M + p]! * d2[i]! * w1[i * M + q]!;
      if (p === q) s += w2sq * d1[p]!;
      X.set(p, q, s);
      X.set(q, p, s);
    }
  }
  const values = new EigenvalueDecomposition(X, { assumeSymmetric: true }).realEigenvalues;
  return Math.min(...values);
}
