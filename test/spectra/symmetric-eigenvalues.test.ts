import { describe, expect, it } from "vitest";
import { symmetricEigenvalues } from "../../src/spectra/symmetric-eigenvalues.ts";
import { Rng } from "../../src/util/random.ts";

/** G·Gᵀ for G with `rows` rows of length `cols` (row-major), as a flat rows × rows matrix. */
function gram(g: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++)
    for (let b = 0; b < rows; b++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += g[a * cols + k]! * g[b * cols + k]!;
      out[a * rows + b] = s;
    }
  return out;
}

describe("symmetricEigenvalues", () => {
  it("converges on a rank-deficient matrix: WᵀW (160 × 160, rank 40) has 120 zeros and WWᵀ's spectrum", () => {
    const [N, M] = [40, 160];
    const w = new Rng(0).normals(N * M, 0, 1 / Math.sqrt(M));
    const wt = new Float64Array(M * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) wt[j * N + i] = w[i * M + j]!;
    const big = symmetricEigenvalues(gram(wt, M, N), M);
    const small = symmetricEigenvalues(gram(w, N, M), N);
    // Backward error O(M ε ‖S‖) with ‖S‖ ≈ (1 + 1/√c)²/c ≤ 3: the zeros sit within 16 M ε · 3.
    const zeroTol = 16 * M * Number.EPSILON * 3;
    for (let k = 0; k < M - N; k++) expect(Math.abs(big[k]!)).toBeLessThan(zeroTol);
    // The nonzero spectra of WᵀW and WWᵀ coincide; both solvers err by O(n ε ‖S‖).
    for (let k = 0; k < N; k++) expect(Math.abs(big[M - N + k]! - small[k]!)).toBeLessThan(zeroTol);
    expect(small[0]!).toBeGreaterThan(0.1);
  });
});
