/**
 * Fixed points and the reduced Jacobian of network rules on their solution manifold, computed
 * from the rule file alone, against seed 001 eq. 98 (src/analysis/two-layer/manifold-spectrum.ts
 * is used here only as the reference): at the teacher point the nonzero eigenvalues of curl
 * descent's population Jacobian are -x/2 for x in spec(X), X = ||W2||^2 D1 + W1' D2 W1, and the
 * zero modes number MN + N - M.
 */
import { describe, expect, it } from "vitest";
import { fieldOperator } from "../../../src/analysis/network/field-operator.ts";
import { newtonFixedPoint, teacherPoint } from "../../../src/analysis/network/fixed-points.ts";
import { populationOperator, populationRun } from "../../../src/analysis/network/population.ts";
import { reducedJacobian, sketchedNonzeroSpectrum } from "../../../src/analysis/network/reduced-jacobian.ts";
import { manifoldSpectrum } from "../../../src/analysis/two-layer/manifold-spectrum.ts";
import { resolveParams } from "../../../src/ir/bind.ts";
import { compileModel, drawRuns } from "../../../src/ir/model.ts";
import { builtinNetworkRule } from "../../../src/rules/network/builtin-network-rules.ts";
import { Rng } from "../../../src/util/random.ts";

function norm(a: Float64Array) {
  return Math.sqrt(a.reduce((s, v) => s + v * v, 0));
}

describe("curl descent on its solution manifold", () => {
  it.each([
    [4, 6, 1, 0.25, 0.5],
    [6, 5, 2, 0.5, 0.2],
    [8, 12, 3, 0.75, 0],
  ])("M = %i, N = %i (seed %i, alphaH %f, alphaR %f): the reduced spectrum is eq. 98's", (M, N, seed, alphaH, alphaR) => {
    const P = M + 4;
    const model = compileModel(builtinNetworkRule("curl-descent"), { sizes: { M, N, P, Q: 2, S: P } });
    const params = { alphaH, alphaR };
    const [sampled] = drawRuns(model, [{ seed, params }]);
    const run = populationRun(model, sampled!, resolveParams(model.spec, model.compiled.sizes, params));
    const op = fieldOperator(model, run);
    const x = teacherPoint(model, run)!;
    expect(norm(op.field(x))).toBeLessThan(1e-14); // the teacher realizes itself: e = 0 exactly
    const reduced = reducedJacobian(op, x, { seed });
    expect(reduced.rank).toBe(M);
    expect(reduced.zeroModes).toBe(N * M + N - M);
    expect(reduced.invarianceResidual).toBeLessThan(1e-12);
    const [W1t, W2t, s1, s2] = run.fixed;
    const W1 = Array.from({ length: N }, (_, i) => Array.from(W1t!.subarray(i * M, (i + 1) * M)));
    const s = Array.from({ length: M }, (_, j) => W1.reduce((acc, row, i) => acc + W2t![i]! * row[j]!, 0));
    const reference = manifoldSpectrum({
      W1,
      W2: Array.from(W2t!),
      s,
      d1: Array.from(s1!),
      d2: Array.from(s2!),
    });
    const expected = reference.jacobianEigenvalues.map((v) => v / 2).sort((a, b) => b - a);
    // X is symmetric, so B is similar to a symmetric matrix: real eigenvalues, well conditioned;
    // B is formed from O(n) sums of O(1) terms: float64 rounding ~1e-13 relative.
    reduced.eigenvalues.forEach((e, i) => {
      expect(Math.abs(e.im)).toBeLessThan(1e-10);
      expect(Math.abs(e.re - expected[i]!)).toBeLessThan(1e-10 * (1 + Math.abs(expected[i]!)));
    });
  });

  it("Newton's method from a perturbed teacher point returns to the manifold", () => {
    const [M, N] = [4, 5];
    const model = compileModel(builtinNetworkRule("curl-descent"), { sizes: { M, N, P: 9, Q: 2, S: 9 } });
    const [sampled] = drawRuns(model, [{ seed: 4 }]);
    const run = populationRun(model, sampled!, resolveParams(model.spec, model.compiled.sizes, {}));
    const op = fieldOperator(model, run);
    const rng = new Rng(8);
    const x0 = teacherPoint(model, run)!.map((v) => v + 0.02 * rng.normal());
    const r = newtonFixedPoint(op, x0, { tolerance: 1e-12 });
    expect(r.converged).toBe(true);
    expect(r.residual).toBeLessThan(1e-12);
    expect(r.history[0]!).toBeGreaterThan(1e-3);
  });

  it("Newton's method reports a start it cannot bring to a fixed point", () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 3, N: 3, P: 8, Q: 2, S: 8 },
    });
    const [run] = drawRuns(model, [{ seed: 1 }]);
    const op = fieldOperator(model, run!);
    const r = newtonFixedPoint(op, new Float64Array(op.dimension).fill(3), {
      maxIterations: 1,
      krylov: 2,
      tolerance: 1e-30,
    });
    expect(r.converged).toBe(false);
    expect(r.residual).toBeGreaterThan(0);
  });
});

describe("sketchedNonzeroSpectrum", () => {
  it("equals the orthonormal reduction on curl descent's manifold", () => {
    for (const [M, N, seed] of [
      [5, 9, 1],
      [12, 7, 2],
      [20, 40, 3],
    ] as const) {
      const model = compileModel(builtinNetworkRule("curl-descent"), {
        sizes: { M, N, P: M + 1, Q: 2, S: M + 1 },
      });
      const [sampled] = drawRuns(model, [{ seed, params: { alphaH: 0.4, alphaR: 0.2 } }]);
      const op = populationOperator(
        model,
        sampled!,
        resolveParams(model.spec, model.compiled.sizes, { alphaH: 0.4, alphaR: 0.2 }),
      );
      const x = teacherPoint(model, sampled!)!;
      const a = reducedJacobian(op, x, { seed });
      const b = sketchedNonzeroSpectrum(op, x, { seed });
      expect(b.rank).toBe(a.rank);
      expect(b.residual).toBeLessThan(1e-12);
      // Both are eigenvalues of r x r matrices similar to a symmetric one, formed from O(n) sums.
      b.eigenvalues.forEach((e, i) => {
        expect(Math.abs(e.re - a.eigenvalues[i]!.re)).toBeLessThan(1e-9);
      });
    }
  });

  it("keeps the rank of an operator whose range is aligned with the coordinate axes", () => {
    // J = diag(d) with 70 of 300 entries zero: range(J) is spanned by 230 coordinate vectors, the
    // case that a one-entry-per-coordinate sketch merges by collisions.
    const n = 300;
    const rng = new Rng(3);
    const d = Float64Array.from({ length: n }, (_, i) => (i % 30 < 7 ? 0 : -1 - rng.uniform()));
    const diagonal = (_x: Float64Array, v: Float64Array) => v.map((vi, i) => d[i]! * vi);
    const op = {
      dimension: n,
      blocks: [],
      field: () => new Float64Array(n),
      apply: diagonal,
      applyTranspose: diagonal,
    };
    const s = sketchedNonzeroSpectrum(op, new Float64Array(n));
    expect(s.rank).toBe(230);
    const expected = Array.from(d)
      .filter((x) => x !== 0)
      .sort((a, b) => b - a);
    s.eigenvalues.forEach((e, i) => {
      expect(Math.abs(e.re - expected[i]!)).toBeLessThan(1e-9);
    });
  });
});
