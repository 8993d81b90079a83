import { describe, expect, it } from "vitest";
import * as C from "../../../src/spectra/free/closed-form-cases.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import { sampleExpression } from "../../../src/spectra/free/sample.ts";

describe("sampled expressions", () => {
  it("diagonal scalings and symmetric products equal the dense products of the same draw", () => {
    const N = E.space("N");
    const M = E.space("M", 0.5);
    const S1 = E.wigner("S1", N);
    const S2 = E.wigner("S2", N);
    const X = E.gaussian("X", N, M);
    const D = E.diagonal("D", N, E.signsLaw(0.3));
    const cases = [
      C.seed001Manifold(0.5, 0.3, 0.2),
      C.wishartProduct(),
      C.anticommutator(),
      C.wishart(2.5),
      E.product(S1, S2, S1),
      E.product(E.transpose(X), E.scale(2, D), X),
      E.product(D, S1, E.transpose(D)),
      E.product(X, E.transpose(X), S2),
    ];
    for (const e of cases) {
      const fast = sampleExpression(e, 40, 3);
      const ref = sampleExpression(e, 40, 3, { dense: true });
      expect([fast.rows, fast.cols]).toEqual([ref.rows, ref.cols]);
      let worst = 0;
      let size = 0;
      for (let i = 0; i < ref.a.length; i++) {
        worst = Math.max(worst, Math.abs(fast.a[i]! - ref.a[i]!));
        size = Math.max(size, Math.abs(ref.a[i]!));
      }
      // The same sums of products in another order: rounding of about 40 terms of size ≤ ‖·‖.
      expect(worst).toBeLessThanOrEqual(1e-13 * Math.max(1, size));
    }
  });
});
