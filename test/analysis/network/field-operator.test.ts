/**
 * The Jacobian operator of network rules (src/analysis/network/field-operator.ts, by forward-mode
 * differentiation of the IR) against numeric and hand-derived twins:
 * - J·v against central differences of the field, for every flow rule file and test rule, at
 *   random small sizes, points and directions;
 * - for curl descent with a linear network: the dense Jacobian of the population field (src/
 *   analysis/network/population.ts: a design with the inputs' exact first and second moments)
 *   equals seed 001's hand-derived one (appendix B.1, eqs. 52-60, src/analysis/two-layer) to
 *   1e-12; eq. 6 is written for E[xx'] = I, the rule's inputs have E[xx'] = I/2, so half of it.
 */
import fc from "fast-check";
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { denseJacobian, fieldOperator, flattenStates } from "../../../src/analysis/network/field-operator.ts";
import {
  populationOperator,
  populationRefusal,
  populationRun,
} from "../../../src/analysis/network/population.ts";
import { rightmostFirst } from "../../../src/analysis/network/reduced-jacobian.ts";
import { curlDescentJacobian } from "../../../src/analysis/two-layer/jacobian.ts";
import { resolveParams } from "../../../src/ir/bind.ts";
import { compileModel, drawRuns } from "../../../src/ir/model.ts";
import { builtinNetworkRule } from "../../../src/rules/network/builtin-network-rules.ts";
import { arnoldiEigenvalues } from "../../../src/spectra/arnoldi.ts";
import { Rng } from "../../../src/util/random.ts";
import { conformanceCases, runRequests, smallSizes } from "../../backend/network-conformance.ts";

describe("J·v of every flow rule against central differences", () => {
  const cases = conformanceCases().filter((c) => c.spec.kind === "flow");
  it.each(cases.map((c, k) => [c.label, k] as const))("%s", (_label, k) => {
    const c = cases[k]!;
    const rng = new Rng(500 + k);
    const model = compileModel(c.spec, { sizes: smallSizes(c.spec, rng), choices: c.choices });
    const [run] = drawRuns(model, runRequests(c.spec, 1, 900 + k));
    const op = fieldOperator(model, run!);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        const x = flattenStates(run!.states).map((w) => w + 0.3 * r.normal());
        const v = r.normals(op.dimension);
        const Jv = op.apply(x, v);
        // Central difference with h = 1e-5: truncation h^2/6 |F'''| and rounding eps |F| / h, both
        // below 1e-7 for these O(1) fields whose derivatives are O(1)..O(10) (polynomials of
        // degree <= 4 in the weights, or tanh/sigmoid compositions); relu rules are piecewise
        // polynomial and a kink inside [x - hv, x + hv] has probability O(h).
        const h = 1e-5;
        const plus = op.field(x.map((w, q) => w + h * v[q]!));
        const minus = op.field(x.map((w, q) => w - h * v[q]!));
        let scale = 1;
        let worst = 0;
        for (let q = 0; q < op.dimension; q++) {
          const fd = (plus[q]! - minus[q]!) / (2 * h);
          scale = Math.max(scale, Math.abs(fd));
          worst = Math.max(worst, Math.abs(fd - Jv[q]!));
        }
        expect(worst).toBeLessThanOrEqual(1e-6 * scale);
      }),
      { seed: 20261205 + k, numRuns: 5 },
    );
  });
});

describe("curl descent's population Jacobian against seed 001, eqs. 52-60", () => {
  it("equals half the hand-derived Jacobian (inputs N(0, I/2), eq. 6 written for E[xx'] = I), to 1e-12", () => {
    for (const [M, N, seed] of [
      [3, 2, 1],
      [5, 4, 2],
      [4, 6, 3],
    ] as const) {
      const P = 2 * M + 3;
      const model = compileModel(builtinNetworkRule("curl-descent"), { sizes: { M, N, P, Q: 2, S: P } });
      const params = { alphaH: 0.4, alphaR: 0.3 };
      const [sampled] = drawRuns(model, [{ seed, params }]);
      const run = populationRun(
        model,
        sampled!,
        resolveParams(model.spec, model.compiled.sizes, params),
        seed,
      );
      const op = fieldOperator(model, run);
      const x = flattenStates(run.states);
      const J = denseJacobian(op, x);
      const [W1t, W2t, s1, s2] = run.fixed;
      const s = Array.from({ length: M }, (_, j) => {
        let acc = 0;
        for (let i = 0; i < N; i++) acc += W2t![i]! * W1t![i * M + j]!;
        return acc;
      });
      const W1 = Array.from({ length: N }, (_, i) => Array.from(x.subarray(i * M, (i + 1) * M)));
      const reference = curlDescentJacobian({
        W1,
        W2: Array.from(x.subarray(N * M)),
        s,
        d1: Array.from(s1!),
        d2: Array.from(s2!),
      });
      const n = N * M + N;
      let worst = 0;
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++)
          worst = Math.max(worst, Math.abs(J[r * n + c]! - reference.get(r, c) / 2));
      // Both are sums of O(P) products of O(1) numbers: float64 rounding is ~P * 1e-16.
      expect(worst).toBeLessThan(1e-12);
    }
  });

  it("is refused for a nonlinear network, with the reason", () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 3, N: 2, P: 8, Q: 2, S: 8 },
      choices: { phi: "tanh" },
    });
    expect(populationRefusal(model)).toMatch(/degree Infinity in the inputs/);
    const small = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 5, N: 2, P: 4, Q: 2, S: 4 },
    });
    expect(populationRefusal(small)).toMatch(/at least 6 training samples/);
  });
});

describe("J'·w of every flow rule (reverse mode)", () => {
  const cases = conformanceCases().filter((c) => c.spec.kind === "flow");
  it.each(
    cases.map((c, k) => [c.label, k] as const),
  )("%s: <w, J v> = <J' w, v>, and J' equals the dense J transposed", (_label, k) => {
    const c = cases[k]!;
    const model = compileModel(c.spec, { sizes: smallSizes(c.spec, new Rng(700 + k)), choices: c.choices });
    const [run] = drawRuns(model, runRequests(c.spec, 1, 800 + k));
    const op = fieldOperator(model, run!);
    const rng = new Rng(17 + k);
    const x = flattenStates(run!.states).map((w) => w + 0.3 * rng.normal());
    const v = rng.normals(op.dimension);
    const w = rng.normals(op.dimension);
    const Jv = op.apply(x, v);
    const JTw = op.applyTranspose(x, w);
    let left = 0;
    let right = 0;
    let scale = 0;
    for (let q = 0; q < op.dimension; q++) {
      left += w[q]! * Jv[q]!;
      right += JTw[q]! * v[q]!;
      scale += Math.abs(w[q]! * Jv[q]!) + Math.abs(JTw[q]! * v[q]!);
    }
    // Two float64 evaluations of the same bilinear form, each a sum of O(n P) rounded terms.
    expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
    const n = op.dimension;
    const J = denseJacobian(op, x);
    const e = new Float64Array(n);
    for (let r = 0; r < Math.min(n, 6); r++) {
      e.fill(0);
      e[r] = 1;
      const row = op.applyTranspose(x, e); // J' e_r = row r of J
      for (let col = 0; col < n; col++)
        expect(Math.abs(row[col]! - J[r * n + col]!)).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(J[r * n + col]!)),
        );
    }
  });

  it("holds for the closed-form population field too", () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 4, N: 5, P: 5, Q: 2, S: 5 },
    });
    const [run] = drawRuns(model, [{ seed: 2, params: { alphaH: 0.5 } }]);
    const op = populationOperator(
      model,
      run!,
      resolveParams(model.spec, model.compiled.sizes, { alphaH: 0.5 }),
    );
    const x = flattenStates(run!.states);
    const J = denseJacobian(op, x);
    const n = op.dimension;
    const e = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      e.fill(0);
      e[r] = 1;
      const row = op.applyTranspose(x, e);
      for (let col = 0; col < n; col++)
        expect(Math.abs(row[col]! - J[r * n + col]!)).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(J[r * n + col]!)),
        );
    }
  });
});

describe("Arnoldi on rule Jacobians against dense eigenvalues", () => {
  const cases = conformanceCases().filter((c) => c.spec.kind === "flow");
  it.each(
    cases.map((c, k) => [c.label, k] as const),
  )("%s: the rightmost eigenvalue at a random point", (_label, k) => {
    const c = cases[k]!;
    const rng = new Rng(300 + k);
    const sizes = smallSizes(c.spec, rng);
    const model = compileModel(c.spec, { sizes, choices: c.choices });
    const [run] = drawRuns(model, runRequests(c.spec, 1, 400 + k));
    const op = fieldOperator(model, run!);
    if (op.dimension < 8) return; // Arnoldi needs count + 2 <= n; a dense solver is the tool below that
    const x = flattenStates(run!.states).map((w) => w + 0.3 * rng.normal());
    const dense = rightmostFirst(Matrix.from1DArray(op.dimension, op.dimension, denseJacobian(op, x)));
    const r = arnoldiEigenvalues((v) => op.apply(x, v), op.dimension, {
      count: 1,
      subspace: Math.min(op.dimension, 20),
      seed: k + 1,
    });
    expect(r.converged).toBe(true);
    // Ritz estimate 1e-10 relative; these small Jacobians are not far from normal, so the
    // eigenvalue error is of the same order (and at most the residual times a condition number).
    expect(Math.abs(r.values[0]!.re - dense[0]!.re)).toBeLessThan(1e-7 * Math.max(1, Math.abs(dense[0]!.re)));
  });
});
