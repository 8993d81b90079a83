import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { manifoldStabilityMargin } from "../../src/sim/manifold-stability.ts";
import { Rng } from "../../src/util/random.ts";

/** The curl-descent flow of seed 001 eq. 6 for target s = W2* W1*, as one flat vector. */
function field(w: Float64Array, s: Float64Array, d1: Float64Array, d2: Float64Array, M: number, N: number) {
  const w1 = w.subarray(0, N * M);
  const w2 = w.subarray(N * M);
  const E = Float64Array.from(s, (sj, j) => sj - w2.reduce((acc, v, i) => acc + v * w1[i * M + j]!, 0));
  const out = new Float64Array(N * M + N);
  for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) out[i * M + j] = w2[i]! * E[j]! * d1[j]!;
  for (let i = 0; i < N; i++) out[N * M + i] = E.reduce((acc, e, j) => acc + e * w1[i * M + j]!, 0) * d2[i]!;
  return out;
}

describe("solution-manifold stability (seed 001 eq. 12)", () => {
  it("gives the nonzero Jacobian eigenvalues -mu(X) of the dense Jacobian at a manifold point", () => {
    const rng = new Rng(3);
    const [M, N] = [4, 3];
    const w1 = rng.normals(N * M, 0, 1 / Math.sqrt(M));
    const w2 = rng.normals(N, 0, 1 / Math.sqrt(N));
    const d1 = Float64Array.from([1, -1, 1, -1]);
    const d2 = Float64Array.from([1, 1, -1]);
    const s = Float64Array.from({ length: M }, (_, j) =>
      w2.reduce((acc, v, i) => acc + v * w1[i * M + j]!, 0),
    );
    const w = new Float64Array(N * M + N);
    w.set(w1);
    w.set(w2, N * M);
    const n = w.length;
    const J = Matrix.zeros(n, n);
    const h = 1e-5;
    for (let c = 0; c < n; c++) {
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[c]! += h;
      minus[c]! -= h;
      const fp = field(plus, s, d1, d2, M, N);
      const fm = field(minus, s, d1, d2, M, N);
      for (let r = 0; r < n; r++) J.set(r, c, (fp[r]! - fm[r]!) / (2 * h));
    }
    const evd = new EigenvalueDecomposition(J);
    // Central differences of a cubic field: error ~h^2 = 1e-10; nonzero eigenvalues are O(0.1-1).
    const nonzero = evd.realEigenvalues
      .map((re, k) => [re, evd.imaginaryEigenvalues[k]!] as const)
      .filter(([re, im]) => Math.hypot(re, im) > 1e-6);
    expect(nonzero).toHaveLength(M);
    for (const [, im] of nonzero) expect(Math.abs(im)).toBeLessThan(1e-6);
    const largest = Math.max(...nonzero.map(([re]) => re));
    expect(largest).toBeCloseTo(-manifoldStabilityMargin(w1, w2, d1, d2, M, N), 6);
  });
});
