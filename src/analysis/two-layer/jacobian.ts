/**
 * The dense Jacobian of curl descent in the two-layer linear network (seed 001, appendix B.1,
 * eqs. 52, 55, 58, 60), for small sizes. Rows and columns follow {@link stateVector}: vec(W1)
 * row-major (index i·M + j), then W2 (index NM + h).
 */
import { Matrix } from "ml-matrix";
import { BoundExceededError } from "../../util/errors.ts";
import { checkTwoLayerPoint, outputError, type TwoLayerPoint } from "./state.ts";

/** Largest NM + N for which the dense Jacobian is built (its storage is (NM + N)² doubles). */
export const DENSE_JACOBIAN_MAX_SIZE = 2000;

/**
 * The (NM + N) × (NM + N) Jacobian at `p`:
 *   J11[(ij),(pq)] = −W2_i W2_p d1_j δ_jq                 (eq. 52: −(W2ᵀW2) ⊗ D1)
 *   J12[(ij),h]    = δ_hi E_j d1_j − W2_i W1_hj d1_j       (eq. 55)
 *   J21[l,(pq)]    = δ_lp E_q d2_l − W2_p W1_lq d2_l       (eq. 58)
 *   J22[l,h]       = −(W1 W1ᵀ)_lh d2_l                      (eq. 60: −D2 W1 W1ᵀ)
 * Throws BoundExceededError when NM + N exceeds {@link DENSE_JACOBIAN_MAX_SIZE}; larger networks
 * use the reduced forms ({@link manifoldSpectrum}, {@link originSpectrum}).
 */
export function curlDescentJacobian(p: TwoLayerPoint): Matrix {
  const { M, N } = checkTwoLayerPoint("curlDescentJacobian", p);
  const n = N * M + N;
  if (n > DENSE_JACOBIAN_MAX_SIZE) {
    throw new BoundExceededError(
      "curlDescentJacobian",
      "state size NM + N",
      DENSE_JACOBIAN_MAX_SIZE,
      n,
      "use manifoldSpectrum or originSpectrum",
    );
  }
  const E = outputError(p);
  const J = new Matrix(n, n);
  const { W1, W2, d1, d2 } = p;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < M; j++) {
      const r = i * M + j;
      for (let q = 0; q < M; q++) {
        if (q !== j) continue;
        for (let pp = 0; pp < N; pp++) J.set(r, pp * M + q, -W2[i]! * W2[pp]! * d1[j]!);
      }
      for (let h = 0; h < N; h++) {
        J.set(r, N * M + h, (h === i ? E[j]! * d1[j]! : 0) - W2[i]! * W1[h]![j]! * d1[j]!);
      }
    }
  }
  for (let l = 0; l < N; l++) {
    const r = N * M + l;
    for (let pp = 0; pp < N; pp++) {
      for (let q = 0; q < M; q++) {
        J.set(r, pp * M + q, (l === pp ? E[q]! * d2[l]! : 0) - W2[pp]! * W1[l]![q]! * d2[l]!);
      }
    }
    for (let h = 0; h < N; h++) {
      let dot = 0;
      for (let k = 0; k < M; k++) dot += W1[h]![k]! * W1[l]![k]!;
      J.set(r, N * M + h, -dot * d2[l]!);
    }
  }
  return J;
}
