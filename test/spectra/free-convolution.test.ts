import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { atomicBlueBelow, atomicCauchyReal, atomicLaw, signLaw } from "../../src/spectra/atomic-law.ts";
import { compoundPoissonBlueReal, freeCompoundPoisson } from "../../src/spectra/compound-poisson.ts";
import {
  compoundPoissonCauchy,
  freeAdditiveConvolution,
  freeSumCauchy,
  freeSumDensity,
  freeSumMoments,
} from "../../src/spectra/free-convolution.ts";
import { LowerEdgeProblem, lowerEdge, lowerEdgeOfProblem } from "../../src/spectra/lower-edge.ts";
import {
  marchenkoPastur,
  marchenkoPasturDensity,
  marchenkoPasturEdges,
} from "../../src/spectra/marchenko-pastur.ts";
import { complexRoots } from "../../src/spectra/polynomial.ts";
import { spectralSupport } from "../../src/spectra/support.ts";
import { symmetricEigenvalues } from "../../src/spectra/symmetric-eigenvalues.ts";
import { Rng } from "../../src/util/random.ts";

const delta0 = atomicLaw([0], [1]);

describe("Marchenko-Pastur as a free compound Poisson law", () => {
  for (const ratio of [0.3, 2.5]) {
    it(`density and edges match the closed form at ratio ${ratio}`, () => {
      const scale = 1.7;
      const sum = freeAdditiveConvolution(delta0, marchenkoPastur(ratio, scale));
      const [a, b] = marchenkoPasturEdges(ratio, scale);
      for (let k = 1; k < 20; k++) {
        const x = a + ((b - a) * k) / 20;
        // Stieltjes inversion at η = 1e-9(1 + |x|): bulk smoothing error O(η|ρ'|) ≲ 1e-8.
        expect(freeSumDensity(sum, x)).toBeCloseTo(marchenkoPasturDensity(ratio, scale, x), 7);
      }
      const support = spectralSupport(sum);
      // Algebraic edges are roots of a polynomial in float64: relative error ~1e-12.
      expect(support.intervals).toHaveLength(1);
      expect(support.intervals[0]![0]).toBeCloseTo(a, 10);
      expect(support.intervals[0]![1]).toBeCloseTo(b, 10);
      if (ratio > 1)
        expect(support.atoms).toEqual([{ location: 0, mass: expect.closeTo(1 - 1 / ratio, 14) }]);
      else expect(support.atoms).toEqual([]);
    });
  }

  it("Cauchy and Blue transforms are inverse: B(G(x)) = x below the support", () => {
    const nu = freeCompoundPoisson(1.5, signLaw(0.25));
    for (const x of [-12, -6, -4]) {
      const g = compoundPoissonCauchy(nu, { re: x, im: 1e-12 });
      // Outside the support G is real up to the O(η) imaginary part; B is its inverse there.
      expect(Math.abs(g.im)).toBeLessThan(1e-9);
      expect(compoundPoissonBlueReal(nu, g.re)).toBeCloseTo(x, 9);
    }
  });

  it("R-transform of W1ᵀW1 (W1 iid N(0, 1/M), c = M/N) is 1/(c(1 − w)): mean 1/c and variance 1/c", () => {
    // seed 001, eq. 110 states this R-transform; it follows from MP(c, 1/c), i.e. a = 1/c.
    const c = 0.4;
    const sum = freeAdditiveConvolution(delta0, marchenkoPastur(c, 1 / c));
    const [m1, m2] = freeSumMoments(sum);
    expect(m1).toBeCloseTo(1 / c, 14);
    expect(m2 - m1 * m1).toBeCloseTo(1 / c, 14);
    expect(marchenkoPasturEdges(c, 1 / c)[0]).toBeCloseTo((1 - Math.sqrt(c)) ** 2 / c, 14);
  });
});

describe("free additive convolution by subordination", () => {
  const mu = signLaw(0.3, 1);
  const nu = freeCompoundPoisson(2, signLaw(0.2));
  const sum = freeAdditiveConvolution(mu, nu);

  it("G is a Cauchy transform: Im G < 0 in the upper half plane and G(z) ~ 1/z", () => {
    for (const z of [
      { re: 0.3, im: 0.01 },
      { re: -4, im: 1 },
      { re: 2, im: 5 },
    ]) {
      const { G, omega } = freeSumCauchy(sum, z);
      expect(G.im).toBeLessThan(0);
      expect(omega.im).toBeGreaterThanOrEqual(z.im);
    }
    const big = freeSumCauchy(sum, { re: 0, im: 1e4 }).G;
    // G(z) = 1/z + m1/z² + …: at |z| = 1e4 the relative deviation is m1/|z| ~ 1e-4.
    expect(big.im * 1e4).toBeCloseTo(-1, 3);
  });

  it("the density integrates to one and reproduces the free-cumulant moments", () => {
    const support = spectralSupport(sum);
    expect(support.atoms).toEqual([]);
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    const n = 2000;
    for (const [a, b] of support.intervals) {
      for (let k = 1; k < n; k++) {
        // x = mid − half·cos θ: the Jacobian cancels the square-root edges, so the trapezoid
        // rule converges fast; n = 2000 gives errors far below the 1e-5 asserted.
        const t = (Math.PI * k) / n;
        const x = (a + b) / 2 - ((b - a) / 2) * Math.cos(t);
        const w = freeSumDensity(sum, x) * ((b - a) / 2) * Math.sin(t) * (Math.PI / n);
        m0 += w;
        m1 += w * x;
        m2 += w * x * x;
      }
    }
    const [e1, e2] = freeSumMoments(sum);
    expect(m0).toBeCloseTo(1, 5);
    expect(m1).toBeCloseTo(e1, 5);
    expect(m2).toBeCloseTo(e2, 4);
  });

  it("every reported edge has zero density on one side and positive on the other", () => {
    const support = spectralSupport(sum);
    for (const e of support.edges) {
      const inside = e.side === "lower" ? e.densityAbove : e.densityBelow;
      const outside = e.side === "lower" ? e.densityBelow : e.densityAbove;
      expect(inside).toBeGreaterThan(1e-7);
      expect(outside).toBeLessThan(1e-3 * inside);
    }
  });

  it("agrees with the Cauchy transform of a sampled matrix off the axis", () => {
    // D1 (30% minus signs) + W1ᵀD2W1 with rate 1/c = 2, i.e. c = 0.5, 20% of D2 flipped.
    const M = 400;
    const N = 800;
    const rng = new Rng(21);
    const X = new Float64Array(M * M);
    const row = new Float64Array(M);
    for (let k = 0; k < N; k++) {
      for (let j = 0; j < M; j++) row[j] = rng.normal() / Math.sqrt(M);
      const d = k < 0.2 * N ? -1 : 1;
      for (let a = 0; a < M; a++) for (let b = 0; b <= a; b++) X[a * M + b]! += d * row[a]! * row[b]!;
    }
    for (let j = 0; j < M; j++) X[j * M + j]! += j < 0.3 * M ? -1 : 1;
    const eig = symmetricEigenvalues(X, M);
    for (const z of [
      { re: -1, im: 0.5 },
      { re: 1.5, im: 0.5 },
    ]) {
      let re = 0;
      let im = 0;
      for (const l of eig) {
        const d = (z.re - l) ** 2 + z.im ** 2;
        re += (z.re - l) / d / M;
        im += -z.im / d / M;
      }
      const { G } = freeSumCauchy(sum, z);
      // At distance 0.5 from the axis the sampled G fluctuates by O(1/M) (smooth linear
      // statistic) plus O(1/M) finite-size bias: 0.02 is several times 1/M·|G''|-sized terms.
      expect(Math.abs(G.re - re)).toBeLessThan(0.02);
      expect(Math.abs(G.im - im)).toBeLessThan(0.02);
    }
  });
});

describe("lower edge from the Blue-transform critical point", () => {
  // Fractions are 0, 1, or at least 1e-3 (1/M for M ≤ 1000): a band of mass ε ≪ 1e-3 makes the
  // polynomial route's double roots nearly coincide, and complexRoots then reports (not guesses)
  // its non-convergence.
  const fraction = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 1e-3, max: 1, noNaN: true }));
  const params = fc.record({
    c: fc.double({ min: 0.02, max: 50, noNaN: true }),
    alphaH: fraction,
    alphaR: fraction,
  });

  it("equals the lowest validated algebraic edge or atom (seed 31)", () => {
    fc.assert(
      fc.property(params, ({ c, alphaH, alphaR }) => {
        const mu = signLaw(alphaH);
        const nu = freeCompoundPoisson(1 / c, signLaw(alphaR));
        const r = lowerEdge(mu, nu);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const support = spectralSupport(freeAdditiveConvolution(mu, nu));
        const lowest = Math.min(...support.edges.map((e) => e.x), ...support.atoms.map((a) => a.location));
        // Two float64 routes to the same algebraic number; the polynomial route loses a few
        // digits to root conditioning (double roots): 1e-7 relative.
        expect(Math.abs(r.edge - lowest)).toBeLessThan(1e-7 * (1 + Math.abs(lowest)));
      }),
      { seed: 31, numRuns: 80 },
    );
  });

  it("x'(ω) has at most one zero on the principal branch (the assumption of the bracket search, seed 32)", () => {
    fc.assert(
      fc.property(params, ({ c, alphaH, alphaR }) => {
        const e = new LowerEdgeProblem().setSignLaws(1, alphaH, 1 / c, alphaR);
        let changes = 0;
        let prev = 1;
        for (let k = 0; k <= 4000; k++) {
          const s = 6 - (k * 40) / 4000;
          const omega = e.omegaEnd - Math.exp(s);
          if (!(omega < e.omegaEnd)) break;
          const f = e.xPrime(omega);
          if (!Number.isFinite(f)) break;
          const sign = f > 0 ? 1 : -1;
          if (sign !== prev) changes++;
          prev = sign;
        }
        expect(changes).toBeLessThanOrEqual(1);
      }),
      { seed: 32, numRuns: 60 },
    );
  });

  it("warm starts give the cold answer", () => {
    const e = new LowerEdgeProblem();
    for (const [c, ah, ar] of [
      [0.3, 0.4, 0],
      [0.31, 0.4, 0],
      [2, 0, 0.3],
      [2.2, 0, 0.3],
      [0.5, 0.2, 0.2],
    ] as const) {
      const cold = lowerEdgeOfProblem(e.setSignLaws(1, ah, 1 / c, ar));
      expect(cold.ok).toBe(true);
      if (!cold.ok) continue;
      for (const ws of [cold.s - 1.3, cold.s + 0.7, cold.s + 5]) {
        const warm = lowerEdgeOfProblem(e.setSignLaws(1, ah, 1 / c, ar), { warmStart: ws });
        expect(warm.ok).toBe(true);
        // The edge is stationary in ω: both roots within 1e-10 in s give the same edge to rounding.
        if (warm.ok) expect(Math.abs(warm.edge - cold.edge)).toBeLessThan(1e-13 * (1 + Math.abs(cold.edge)));
      }
    }
  });

  it("closed forms: MP shifted by ±1 and the degenerate ends α = 0, 1", () => {
    for (const c of [0.1, 0.5, 0.9]) {
      const mp = (1 - Math.sqrt(c)) ** 2 / c;
      const plus = lowerEdge(signLaw(0), marchenkoPastur(c, 1 / c));
      const minus = lowerEdge(signLaw(1), marchenkoPastur(c, 1 / c));
      // Root located to 1e-10 in s; the edge is stationary there: float64 rounding only.
      expect(plus.ok && plus.edge).toBeCloseTo(1 + mp, 12);
      expect(minus.ok && minus.edge).toBeCloseTo(-1 + mp, 12);
    }
    // c > 1 without flips: atom of mass 1 − 1/c at 1 is the edge.
    const atom = lowerEdge(signLaw(0), marchenkoPastur(3, 1 / 3));
    expect(atom).toMatchObject({ ok: true, kind: "atom", edge: 1 });
    // c = 1: hard edge at 1 (MP at ratio 1 has density ~ 1/√x and no atom).
    expect(lowerEdge(signLaw(0), marchenkoPastur(1, 1))).toMatchObject({ ok: true, kind: "hard", edge: 1 });
  });

  it("reports an evaluation bound instead of guessing", () => {
    const r = lowerEdge(signLaw(0.3), freeCompoundPoisson(2, signLaw(0.2)), { maxEvaluations: 3 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/evaluation bound/);
  });
});

describe("transforms of the sign law D1 (seed 001, eqs. 105-108)", () => {
  it("the Blue transform below the support inverts G and matches eq. 107's branch", () => {
    for (const alpha of [0, 0.3, 0.8, 1]) {
      const mu = signLaw(alpha);
      const delta = 1 - 2 * alpha;
      for (const w of [-0.01, -0.3, -2, -40]) {
        const b = atomicBlueBelow(mu, w);
        // Bisection to float64 resolution of ω; G has slope ≥ 1/(ω + 1)² there.
        expect(atomicCauchyReal(mu, b).g).toBeCloseTo(w, 9);
        // Eq. 107 with the principal square root holds wherever the radicand stays positive:
        // always for 0 < α ≤ 1, but for α = 0 it is (1 + 2w)², whose principal root |1 + 2w|
        // takes the wrong branch once w < −1/2 (checked separately below).
        if (alpha === 0 && w < -0.5) continue;
        const eq107 = (1 + Math.sqrt(1 + 4 * w * (w + delta))) / (2 * w);
        expect(b).toBeCloseTo(eq107, 9);
        // R-transform, eq. 108: B(w) − 1/w.
        expect(b - 1 / w).toBeCloseTo((Math.sqrt(1 + 4 * w * (w + delta)) - 1) / (2 * w), 9);
      }
    }
  });

  it("eq. 107 at α = 0 (D1 = I): the principal root gives B(−2) = −1, the inverse of G is 1/2", () => {
    const w = -2;
    expect(atomicBlueBelow(signLaw(0), w)).toBeCloseTo(1 + 1 / w, 12);
    expect((1 + Math.sqrt(1 + 4 * w * (w + 1))) / (2 * w)).toBeCloseTo(-1, 12);
    // G at eq. 107's value is 1/(−1 − 1) = −1/2 ≠ −2: not an inverse there.
    expect(atomicCauchyReal(signLaw(0), -1).g).toBeCloseTo(-0.5, 12);
  });
});

describe("numeric building blocks", () => {
  it("complexRoots finds the roots of (x − 1)(x + 2)(x − i)", () => {
    // (x² + x − 2)(x − i) = x³ + (1 − i)x² + (−2 − i)x + 2i
    const roots = complexRoots([0, -2, 1, 1], [2, -1, -1, 0]).sort((a, b) => a.re - b.re || a.im - b.im);
    // Simple, well-separated roots: Aberth converges to float64 rounding.
    expect(roots[0]!.re).toBeCloseTo(-2, 12);
    expect(roots[1]!.im).toBeCloseTo(1, 12);
    expect(roots[2]!.re).toBeCloseTo(1, 12);
  });

  it("symmetricEigenvalues matches a diagonal-plus-rank-one closed form", () => {
    // diag(1..n) + v vᵀ with v = e_n: eigenvalues 1..n−1 and n + 1.
    const n = 6;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = i + 1;
    a[n * n - 1]! += 1;
    // The eigenvalues are small integers; a backward-stable solver errs by O(n ε ‖A‖).
    const ev = Array.from(symmetricEigenvalues(a, n));
    for (const [k, v] of ev.entries()) expect(v).toBeCloseTo(k < n - 1 ? k + 1 : n + 1, 12);
  });

  it("bad laws are refused with the argument named", () => {
    expect(() => atomicLaw([1, 2], [0.5, 0.6])).toThrow(
      /atomicLaw: argument "weights" must be masses summing to 1/,
    );
    expect(() => freeCompoundPoisson(-1, delta0)).toThrow(/freeCompoundPoisson: argument "rate"/);
    expect(() => marchenkoPastur(0)).toThrow(/marchenkoPastur: argument "ratio"/);
  });
});
