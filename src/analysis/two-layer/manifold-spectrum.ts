/**
 * The Jacobian spectrum of two-layer curl descent on the solution manifold E = s − W2W1 = 0
 * (seed 001, eq. 98, checked against the dense Jacobian):
 *   det(J − λI) = (−1)^{NM+N} λ^{MN+N−M} det(λ I_M + X),   X = ‖W2‖² D1 + W1ᵀ D2 W1,
 * so the eigenvalues that are not forced to zero are −x for x in spec(X), and the point is
 * linearly stable (apart from the neutral manifold directions) iff X is positive definite.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { InvalidArgumentError } from "../../util/errors.ts";
import { checkTwoLayerPoint, outputError, type TwoLayerPoint } from "./state.ts";

export interface ManifoldSpectrum {
  /** ‖W2‖². */
  w2NormSquared: number;
  /** The symmetric M×M matrix X = ‖W2‖² D1 + W1ᵀ D2 W1. */
  X: Matrix;
  /** spec(X), ascending. */
  xEigenvalues: number[];
  /** The M Jacobian eigenvalues −x, x in spec(X), ascending. */
  jacobianEigenvalues: number[];
  /**
   * Multiplicity of the Jacobian eigenvalue 0: MN + N − M from the prefactor of eq. 98 plus the
   * eigenvalues of X with |x| ≤ zeroTolerance.
   */
  zeroCount: number;
  /** The tolerance used for zero eigenvalues of X: 16 M ε ‖X‖_F (float64 rounding of a symmetric eigensolver). */
  zeroTolerance: number;
}

/** The reduced matrix X = ‖W2‖² D1 + W1ᵀ D2 W1 (seed 001, eq. 98 with the sign of eq. 101). */
export function manifoldMatrix(p: TwoLayerPoint): Matrix {
  const { M, N } = checkTwoLayerPoint("manifoldMatrix", p);
  let w2 = 0;
  for (const w of p.W2) w2 += w * w;
  const X = new Matrix(M, M);
  for (let a = 0; a < M; a++) {
    for (let b = a; b < M; b++) {
      let acc = 0;
      for (let k = 0; k < N; k++) acc += p.W1[k]![a]! * p.d2[k]! * p.W1[k]![b]!;
      if (a === b) acc += w2 * p.d1[a]!;
      X.set(a, b, acc);
      X.set(b, a, acc);
    }
  }
  return X;
}

/**
 * The spectrum on the solution manifold. Requires |E_j| ≤ manifoldTolerance·(1 + |s_j|) for all
 * j (the point must lie on E = 0); otherwise throws InvalidArgumentError.
 */
export function manifoldSpectrum(p: TwoLayerPoint, manifoldTolerance = 1e-9): ManifoldSpectrum {
  const { M, N } = checkTwoLayerPoint("manifoldSpectrum", p);
  const E = outputError(p);
  const off = E.findIndex((e, j) => Math.abs(e) > manifoldTolerance * (1 + Math.abs(p.s[j]!)));
  if (off >= 0) {
    throw new InvalidArgumentError(
      "manifoldSpectrum",
      "p",
      "a point on the solution manifold s = W2 W1",
      `E[${off}] = ${E[off]}`,
      "set s = W2 W1",
    );
  }
  const X = manifoldMatrix(p);
  const w2NormSquared = p.W2.reduce((a, w) => a + w * w, 0);
  const xEigenvalues = new EigenvalueDecomposition(X, { assumeSymmetric: true }).realEigenvalues
    .slice()
    .sort((a, b) => a - b);
  const zeroTolerance = 16 * M * Number.EPSILON * X.norm("frobenius");
  const kernel = xEigenvalues.filter((x) => Math.abs(x) <= zeroTolerance).length;
  return {
    w2NormSquared,
    X,
    xEigenvalues,
    jacobianEigenvalues: xEigenvalues.map((x) => -x).sort((a, b) => a - b),
    zeroCount: M * N + N - M + kernel,
    zeroTolerance,
  };
}
