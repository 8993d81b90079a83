import fc from "fast-check";
import { LuDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  type ComplexNumber,
  curlDescentField,
  curlDescentJacobian,
  manifoldSpectrum,
  originSpectrum,
  stateVector,
  type TwoLayerPoint,
  withState,
} from "../../../src/analysis/two-layer/index.ts";
import { Rng } from "../../../src/util/random.ts";

/** A random point with M, N in 1..5, Gaussian weights and target, random signs. */
const pointArb = fc
  .record({ M: fc.integer({ min: 1, max: 5 }), N: fc.integer({ min: 1, max: 5 }), seed: fc.nat() })
  .map(({ M, N, seed }): TwoLayerPoint => {
    const rng = new Rng(seed);
    const sign = () => (rng.uniform() < 0.5 ? -1 : 1);
    return {
      W1: Array.from({ length: N }, () => Array.from(rng.normals(M))),
      W2: Array.from(rng.normals(N)),
      s: Array.from(rng.normals(M)),
      d1: Array.from({ length: M }, sign),
      d2: Array.from({ length: N }, sign),
    };
  });

function onManifold(p: TwoLayerPoint): TwoLayerPoint {
  const M = p.s.length;
  const s = Array.from({ length: M }, (_, j) => p.W1.reduce((a, row, k) => a + p.W2[k]! * row[j]!, 0));
  return { ...p, s };
}

/**
 * Checks det(J − λI) = rhs(λ) at NM + N + 1 distinct real λ: two polynomials of degree NM + N
 * (both with leading coefficient (−1)^{NM+N}) that agree at that many points are identical, so
 * this checks the whole characteristic polynomial, zero multiplicities included, without a
 * nonsymmetric eigensolver (ml-matrix's QR iteration has no iteration bound and does not finish
 * on the highly degenerate spectrum at the origin). Points within δ = 0.01(1 + ‖J‖) of a
 * predicted eigenvalue are skipped, so the relative error of the LU determinant is at most
 * n² ε g ‖J‖ / δ ≈ 1e-11 g (n ≤ 30, pivot growth g small): the tolerance 1e-8 allows g ≤ 1000.
 */
function expectCharpoly(p: TwoLayerPoint, eigen: ComplexNumber[], rhs: (lambda: number) => number): void {
  const J = curlDescentJacobian(p);
  const n = J.rows;
  const scale = 1 + J.norm("frobenius");
  const delta = 0.01 * scale;
  let checked = 0;
  for (let k = 0; checked < n + 1; k++) {
    expect(k).toBeLessThan(100 * (n + 1));
    const lambda = scale * (2 * ((k * 0.6180339887498949) % 1) - 1);
    if (eigen.some((e) => Math.hypot(e.re - lambda, e.im) < delta)) continue;
    const left = new LuDecomposition(J.clone().sub(Matrix.eye(n).mul(lambda))).determinant;
    const right = rhs(lambda);
    expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-8 * Math.abs(right));
    checked++;
  }
}

describe("two-layer curl descent: dense Jacobian", () => {
  it("equals central finite differences of the field (seed 11)", () => {
    fc.assert(
      fc.property(pointArb, (p) => {
        const x = stateVector(p);
        const J = curlDescentJacobian(p);
        const h = 1e-4;
        for (let c = 0; c < x.length; c++) {
          const xp = Float64Array.from(x);
          const xm = Float64Array.from(x);
          xp[c]! += h;
          xm[c]! -= h;
          const fp = curlDescentField(withState(p, xp));
          const fm = curlDescentField(withState(p, xm));
          for (let r = 0; r < x.length; r++) {
            // The field is a cubic polynomial: the central difference errs by exactly h²/6 times a
            // third derivative (entries O(10) for standard normal weights), i.e. ~1e-8, plus
            // rounding ε|f|/h ~ 1e-10; 1e-6 leaves a factor 100 over both.
            expect(Math.abs((fp[r]! - fm[r]!) / (2 * h) - J.get(r, c))).toBeLessThan(
              1e-6 * (1 + Math.abs(J.get(r, c))),
            );
          }
        }
      }),
      { seed: 11, numRuns: 60 },
    );
  });
});

describe("two-layer curl descent: reduced spectra against the dense Jacobian", () => {
  it("origin: det(J − λI) = (−λ)^{MN−N} Π_i (λ² − d2_i Σ), eq. 75 (seed 12)", () => {
    fc.assert(
      fc.property(pointArb, (p) => {
        const origin: TwoLayerPoint = {
          ...p,
          W1: p.W1.map((r) => r.map(() => 0)),
          W2: p.W2.map(() => 0),
        };
        const o = originSpectrum(origin);
        const M = p.s.length;
        const N = p.W2.length;
        expect(o.zeroCount).toBe(M * N - N);
        expect(o.pairs).toHaveLength(2 * N);
        const eigen = [...o.pairs, { re: 0, im: 0 }];
        expectCharpoly(origin, eigen, (l) => {
          let r = (-l) ** o.zeroCount;
          for (let i = 0; i < o.pairs.length; i += 2) {
            const e = o.pairs[i]!;
            r *= (l - e.re) * (l + e.re) + e.im * e.im;
          }
          return r;
        });
      }),
      { seed: 12, numRuns: 100 },
    );
  });

  it("solution manifold: det(J − λI) = (−1)^{NM+N} λ^{MN+N−M} det(λI + X), eq. 98 (seed 13)", () => {
    fc.assert(
      fc.property(pointArb, (raw) => {
        const p = onManifold(raw);
        const m = manifoldSpectrum(p);
        const M = p.s.length;
        const N = p.W2.length;
        expect(m.jacobianEigenvalues).toHaveLength(M);
        expect(m.zeroCount).toBeGreaterThanOrEqual(M * N + N - M);
        const eigen = [...m.jacobianEigenvalues.map((re) => ({ re, im: 0 })), { re: 0, im: 0 }];
        expectCharpoly(p, eigen, (l) => {
          let r = (-1) ** (N * M + N) * l ** (M * N + N - M);
          for (const x of m.xEigenvalues) r *= l + x;
          return r;
        });
      }),
      { seed: 13, numRuns: 100 },
    );
  });

  it("the sign convention: a gradient-flow point (D1 = D2 = I) has only eigenvalues ≤ 0", () => {
    const rng = new Rng(5);
    const M = 4;
    const N = 3;
    const p = onManifold({
      W1: Array.from({ length: N }, () => Array.from(rng.normals(M))),
      W2: Array.from(rng.normals(N)),
      s: new Array(M).fill(0),
      d1: new Array(M).fill(1),
      d2: new Array(N).fill(1),
    });
    const m = manifoldSpectrum(p);
    expect(Math.max(...m.jacobianEigenvalues)).toBeLessThan(0);
    // Every X eigenvalue is at least ‖W2‖² (X − ‖W2‖²I = W1ᵀW1 ⪰ 0); float64 rounding only.
    expect(m.xEigenvalues[0]!).toBeGreaterThan(m.w2NormSquared - 1e-12);
  });

  it("counts the kernel of X when c > 1 and D1 flips more than N inputs", () => {
    // M = 5 inputs, N = 2 hidden: W1ᵀW1 has rank 2, so flipping 4 > N inputs leaves an exact
    // eigenvector of X with eigenvalue −‖W2‖² (the atom of the hidden-layer law at c > 1).
    const rng = new Rng(8);
    const p = onManifold({
      W1: Array.from({ length: 2 }, () => Array.from(rng.normals(5))),
      W2: Array.from(rng.normals(2)),
      s: new Array(5).fill(0),
      d1: [-1, -1, -1, -1, 1],
      d2: [1, 1],
    });
    const m = manifoldSpectrum(p);
    // Rounding of a 5×5 symmetric eigensolver: ε‖X‖ scale.
    expect(Math.abs(m.xEigenvalues[0]! + m.w2NormSquared)).toBeLessThan(1e-12 * (1 + m.X.norm("frobenius")));
  });

  it("rejects a point off the manifold and bad signs", () => {
    const p: TwoLayerPoint = { W1: [[1, 2]], W2: [1], s: [0, 0], d1: [1, 1], d2: [1] };
    expect(() => manifoldSpectrum(p)).toThrow(
      /manifoldSpectrum: argument "p" must be a point on the solution manifold/,
    );
    expect(() => originSpectrum({ ...p, d1: [1, 0.5] })).toThrow(
      /originSpectrum: argument "d1\[1\]" must be \+1 or -1/,
    );
    expect(() => originSpectrum({ ...p, s: [1] })).toThrow(/argument "s" must be a vector of length 2/);
  });
});
