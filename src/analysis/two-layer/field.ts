/**
 * The curl-descent vector field of the two-layer linear network (seed 001, eqs. 46-47):
 *   Ẇ1 = W2ᵀ E D1,   Ẇ2 = E W1ᵀ D2,   E = s − W2 W1.
 */
import { checkTwoLayerPoint, outputError, type TwoLayerPoint } from "./state.ts";

/** The time derivative of the state vector (order of {@link stateVector}), length NM + N. */
export function curlDescentField(p: TwoLayerPoint): Float64Array {
  const { M, N } = checkTwoLayerPoint("curlDescentField", p);
  const E = outputError(p);
  const f = new Float64Array(N * M + N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < M; j++) f[i * M + j] = p.W2[i]! * E[j]! * p.d1[j]!;
  }
  for (let l = 0; l < N; l++) {
    let acc = 0;
    for (let k = 0; k < M; k++) acc += E[k]! * p.W1[l]![k]!;
    f[N * M + l] = acc * p.d2[l]!;
  }
  return f;
}
