import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { powerIteration } from "../../src/hessian/power-iteration.ts";
import { rnnHessianOperator } from "../../src/hessian/rnn-hessian.ts";
import { subspaceIteration } from "../../src/hessian/subspace-iteration.ts";
import { tiny } from "../sim/rnn/tiny.ts";

function denseEigenvalues(op: { dim: number; apply(v: Float64Array): Float64Array }): number[] {
  const n = op.dim;
  const h = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    const col = op.apply(e);
    for (let i = 0; i < n; i++) h.set(i, j, col[i]!);
  }
  const sym = h.add(h.transpose()).mul(0.5);
  return new EigenvalueDecomposition(sym, { assumeSymmetric: true }).realEigenvalues.sort(
    (a, b) => Math.abs(b) - Math.abs(a),
  );
}

describe("RNN loss Hessian as an operator", () => {
  it("power and subspace iteration on the recurrent block match the dense block's spectrum", () => {
    const t = tiny(31, "cross-entropy", { adaptive: true });
    const op = rnnHessianOperator(t.config, t.theta, t.batch, "recurrent");
    expect(op.dim).toBe(25);
    const dense = denseEigenvalues(op);
    const p = powerIteration(op, { seed: 1, maxIterations: 5000 });
    expect(p.converged).toBe(true);
    // The Rayleigh quotient error shrinks by q = (λ2/λ1)² per step, so after a last change of at
    // most 1e-6·|λ1| the remaining error is at most 1e-6·|λ1|·q/(1-q) (factor 2 for rounding).
    const tail = (q: number) => 2e-6 * Math.max(1, q / (1 - q));
    const q1 = (dense[1]! / dense[0]!) ** 2;
    expect(Math.abs(p.eigenvalue - dense[0]!)).toBeLessThan(tail(q1) * Math.abs(dense[0]!));
    const s = subspaceIteration(op, 3, { seed: 2, maxIterations: 5000 });
    expect(s.converged).toBe(true);
    // Same argument with q = (λ4/λ_i)² for the i-th Ritz value of a 3-dimensional subspace.
    s.eigenvalues.forEach((v, i) => {
      const q = (dense[3]! / dense[i]!) ** 2;
      expect(Math.abs(v - dense[i]!)).toBeLessThan(tail(q) * Math.abs(dense[i]!));
    });
  });

  it("rejects a parameter block that does not exist", () => {
    const t = tiny(32, "mse");
    expect(() => rnnHessianOperator(t.config, t.theta, t.batch, "bias")).toThrow(
      /rnnHessianOperator: argument "block" must be one of input, recurrent, output, all, received "bias"/,
    );
  });
});
