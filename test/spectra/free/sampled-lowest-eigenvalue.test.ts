import { describe, expect, it } from "vitest";
import * as E from "../../../src/spectra/free/expression.ts";
import * as C from "../../../src/spectra/free/non-hermitian-cases.ts";
import { sampledEigenvalues, sampledOperator, sampleExpression } from "../../../src/spectra/free/sample.ts";
import { sampledLowestEigenvalue } from "../../../src/spectra/free/sampled-lowest-eigenvalue.ts";
import { Rng } from "../../../src/util/random.ts";

/** An expression with every node kind: a Wigner, a Haar, a transposed product, a scale and the identity. */
function mixed(): E.MatrixExpr {
  const N = E.space("N");
  const M = E.space("M", 0.5);
  const W = E.gaussian("W", M, N);
  const S = E.wigner("S", N);
  const U = E.haar("U", N);
  const D = E.diagonal("D", N, E.signsLaw(0.3));
  return E.sum(
    E.scale(0.5, E.identity(N)),
    E.product(E.transpose(W), W, S),
    E.transpose(E.product(E.transpose(W), W, S)),
    E.product(U, D, E.transpose(U)),
  );
}

describe("sampledOperator", () => {
  it("applies the matrix sampleExpression forms, from the same draws", () => {
    // Both evaluate the same float64 products in different orders: agreement to 1e-12 relative
    // (rounding of sums of a few hundred terms of size 1).
    for (const [e, n] of [
      [C.curlDescent3Manifold(0.4, 0.5, 0.2, 0.1, 1.5), 40],
      [mixed(), 30],
    ] as const) {
      const dense = sampleExpression(e, n, 7);
      const op = sampledOperator(e, n, 7);
      expect([op.rows, op.cols]).toEqual([dense.rows, dense.cols]);
      const v = new Rng(3).normals(op.cols);
      const y = op.apply(v);
      let scale = 0;
      for (let i = 0; i < dense.rows; i++) {
        let s = 0;
        for (let j = 0; j < dense.cols; j++) s += dense.a[i * dense.cols + j]! * v[j]!;
        scale = Math.max(scale, Math.abs(s));
        expect(Math.abs(y[i]! - s)).toBeLessThan(1e-12 * Math.max(1, scale) * dense.cols);
      }
      // Applying twice to the same vector gives the same result (the shared first products are
      // never mutated).
      expect(op.apply(v)).toEqual(y);
    }
  });
});

describe("sampledLowestEigenvalue", () => {
  it("equals the lowest dense eigenvalue of the same sample within its residual bound", () => {
    // Weyl: an eigenvalue lies within the Ritz residual of the Ritz value; interlacing: the
    // Ritz value is ≥ λ_min. The dense eigenvalues are backward stable to ~side·ε‖X‖ (1e-12).
    const cases: [E.MatrixExpr, number][] = [
      [C.curlDescent3Manifold(0.41, 0.5), 120],
      [C.curlDescent3Manifold(0.35, 0.75), 100],
      [C.feedbackAlignmentManifold(0.07, 0, 0.25), 600],
    ];
    for (const [e, n] of cases)
      for (const seed of [1, 2, 3]) {
        const r = sampledLowestEigenvalue(e, n, seed);
        const dense = sampledEigenvalues(e, n, seed)[0]!;
        expect(r.side).toBe(sampledEigenvalues(e, n, seed).length);
        expect(r.residual).toBeLessThan(1e-4);
        expect(Math.abs(r.value - dense)).toBeLessThanOrEqual(r.residual + 1e-12);
        expect(r.value).toBeGreaterThanOrEqual(dense - 1e-12);
      }
  });

  it("refuses a non-self-adjoint expression and a bound on applications that is hit", () => {
    const N = E.space("N");
    const G = E.gaussian("G", N, N);
    expect(() => sampledLowestEigenvalue(G, 20, 1)).toThrow(/self-adjoint.*G/);
    expect(() =>
      sampledLowestEigenvalue(C.curlDescent3Manifold(0.41, 0.5), 200, 1, {
        subspace: 10,
        maxApplications: 30,
        tolerance: 1e-12,
      }),
    ).toThrow(/bound of/);
  });
});
