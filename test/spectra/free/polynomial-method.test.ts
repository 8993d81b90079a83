/**
 * The polynomial method (exact L(G, z) and its discriminant) against closed forms and against the
 * general engine (operator-valued fixed point, edges from the real branch and a density scan) on
 * random free sums of semicircles, free Poisson laws and atomic laws with rational parameters.
 */
import { describe, expect, it } from "vitest";
import { Poly, Rational } from "../../../src/expr/index.ts";
import { atomicLaw } from "../../../src/spectra/atomic-law.ts";
import { freeCompoundPoisson } from "../../../src/spectra/compound-poisson.ts";
import { algebraicSummands } from "../../../src/spectra/free/algebraic-summands.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import { parseMatrixExpression } from "../../../src/spectra/free/expression-parse.ts";
import {
  type AlgebraicSummand,
  algebraicDensity,
  algebraicFreeSum,
  cauchyPolynomial,
  polynomialMethodSupport,
  rTransformPolynomial,
} from "../../../src/spectra/free/polynomial-method.ts";
import {
  polynomialCauchy,
  polynomialDensity,
  polynomialSpectrum,
} from "../../../src/spectra/free/polynomial-spectrum.ts";
import { polynomialSupport } from "../../../src/spectra/free/polynomial-support.ts";
import { freeAdditiveConvolution } from "../../../src/spectra/free-convolution.ts";
import { spectralSupport } from "../../../src/spectra/support.ts";
import { Budget, BudgetExceededError } from "../../../src/util/budget.ts";
import { BoundExceededError, InvalidArgumentError } from "../../../src/util/errors.ts";

// Edges of the polynomial method are roots of an exact polynomial, polished in float64 (relative
// error ~1e-15 for simple roots); the engine's edges are located to ≲1e-10 relative (real branch
// maxima and bisection to 1e-13): 1e-8 leaves two orders of margin over both.
const EDGE_TOL = 1e-8;

/** The same law as a random-matrix expression for the general engine (all on one space N). */
function expression(summands: readonly AlgebraicSummand[]): E.MatrixExpr {
  const N = E.space("N");
  const num = (v: Rational | string | number | undefined, fallback = 1) =>
    v === undefined
      ? fallback
      : v instanceof Rational
        ? v.toNumber()
        : typeof v === "string"
          ? Rational.parse(v).toNumber()
          : v;
  const terms = summands.map((s, k): E.MatrixExpr => {
    let t: E.MatrixExpr;
    switch (s.kind) {
      case "semicircle":
        t = E.wigner(`S${k}`, N, num(s.variance));
        break;
      case "freePoisson": {
        const W = E.gaussian(`W${k}`, E.space(`A${k}`, num(s.rate)), N, num(s.jump));
        t = E.product(E.transpose(W), W);
        break;
      }
      case "atoms":
        t = E.diagonal(
          `D${k}`,
          N,
          E.atomsLaw(
            s.atoms.map((a) => num(a)),
            s.weights.map((w) => num(w)),
          ),
        );
        break;
      case "shift":
        return E.scale(num(s.value), E.identity(N));
    }
    return s.coefficient === undefined ? t : E.scale(num(s.coefficient), t);
  });
  return terms.length === 1 ? terms[0]! : E.sum(...terms);
}

/** |L(G, z)| and Σ |terms| of L at complex G and z. */
function complexEval(L: Poly, g: { re: number; im: number }, z: { re: number; im: number }) {
  const pow = (b: { re: number; im: number }, k: number) => {
    let r = { re: 1, im: 0 };
    for (let i = 0; i < k; i++) r = { re: r.re * b.re - r.im * b.im, im: r.re * b.im + r.im * b.re };
    return r;
  };
  let re = 0;
  let im = 0;
  let scale = 0;
  for (const t of L.terms()) {
    const e = Object.fromEntries(t.mono);
    const a = pow(g, e.G ?? 0);
    const b = pow(z, e.z ?? 0);
    const c = t.coef.toNumber();
    const x = { re: c * (a.re * b.re - a.im * b.im), im: c * (a.re * b.im + a.im * b.re) };
    re += x.re;
    im += x.im;
    scale += Math.hypot(x.re, x.im);
  }
  return { value: Math.hypot(re, im), scale };
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const frac = (u: () => number, lo: number, hi: number) =>
  `${lo + Math.floor(u() * (hi - lo + 1))}/${1 + Math.floor(u() * 8)}`;

/** Two atoms ±, random rational locations and weights. */
function randomAtoms(u: () => number): AlgebraicSummand {
  const den = 2 + Math.floor(u() * 7);
  const num = 1 + Math.floor(u() * (den - 1));
  return {
    kind: "atoms",
    atoms: [frac(u, 1, 6), `-${frac(u, 1, 6)}`],
    weights: [`${num}/${den}`, `${den - num}/${den}`],
  };
}

/**
 * A random free sum: one atomic law at most (two diagonal matrices on one space commute, so in
 * the expression language they are not free), semicircles and free Poisson laws.
 */
function randomSum(u: () => number, n: number): AlgebraicSummand[] {
  return Array.from({ length: n }, (_, k): AlgebraicSummand => {
    const pick = Math.floor(u() * 3);
    if (k === 0 && pick === 2) return randomAtoms(u);
    return pick === 0
      ? { kind: "semicircle", variance: frac(u, 1, 8) }
      : { kind: "freePoisson", rate: frac(u, 1, 12), jump: frac(u, 1, 6) };
  });
}

describe("polynomial method for free additive convolutions", () => {
  it("builds the exact R-transform polynomials", () => {
    expect(rTransformPolynomial({ kind: "semicircle", variance: "2/3" }).toString()).toBe("3*R - 2*w");
    expect(rTransformPolynomial({ kind: "freePoisson", rate: 2, jump: "1/2" }).toString()).toBe(
      "R*w - 2*R + 2",
    );
    // ±1 with weights 1/2: G = z/(z² − 1), so R = (√(1 + 4w²) − 1)/(2w): wR² + R − w = 0.
    expect(rTransformPolynomial({ kind: "atoms", atoms: [1, -1], weights: ["1/2", "1/2"] }).toString()).toBe(
      "R^2*w + R - w",
    );
    // a point mass 3 scaled by 2: R = 6.
    expect(rTransformPolynomial({ kind: "atoms", atoms: [3], weights: [1], coefficient: 2 }).toString()).toBe(
      "R - 6",
    );
  });

  it("semicircle ⊞ semicircle: L = (s1 + s2)G² − zG + 1, edges ±2√(s1 + s2)", () => {
    const L = cauchyPolynomial([
      { kind: "semicircle", variance: "1/3" },
      { kind: "semicircle", variance: "5/7" },
    ]);
    const s = Rational.parse("22/21");
    const G = Poly.variable("G");
    const z = Poly.variable("z");
    expect(L.equals(G.pow(2).scale(s).sub(z.mul(G)).add(Poly.ONE).primitive())).toBe(true);
    const sup = polynomialMethodSupport([
      { kind: "semicircle", variance: "1/3" },
      { kind: "semicircle", variance: "5/7" },
    ]);
    const r = 2 * Math.sqrt(22 / 21);
    expect(sup.edges.map((e) => e.x)).toHaveLength(2);
    expect(Math.abs(sup.edges[0]!.x + r)).toBeLessThan(1e-12);
    expect(Math.abs(sup.edges[1]!.x - r)).toBeLessThan(1e-12);
  });

  it("Marchenko-Pastur at several ratios: edges (1 ± √λ)²", () => {
    for (const lambda of ["1/5", "1/2", "3", "7/2"]) {
      const l = Rational.parse(lambda).toNumber();
      const sup = polynomialMethodSupport([{ kind: "freePoisson", rate: lambda }]);
      const xs = sup.edges.map((e) => e.x);
      expect(xs).toHaveLength(2);
      expect(Math.abs(xs[0]! - (1 - Math.sqrt(l)) ** 2)).toBeLessThan(1e-12);
      expect(Math.abs(xs[1]! - (1 + Math.sqrt(l)) ** 2)).toBeLessThan(1e-12);
    }
  });

  it("equals the specialized atomic ⊞ free Poisson path (src/spectra/support.ts) on every edge", () => {
    const u = rng(7);
    for (let trial = 0; trial < 5; trial++) {
      const mu = randomAtoms(u);
      const nu: AlgebraicSummand = { kind: "freePoisson", rate: frac(u, 1, 12), jump: frac(u, 1, 6) };
      if (mu.kind !== "atoms" || nu.kind !== "freePoisson") throw new Error("unreachable");
      const value = (v: unknown) => Rational.parse(String(v)).toNumber();
      const special = spectralSupport(
        freeAdditiveConvolution(
          atomicLaw(mu.atoms.map(value), mu.weights.map(value)),
          freeCompoundPoisson(value(nu.rate), atomicLaw([value(nu.jump)], [1])),
        ),
      );
      const sup = polynomialMethodSupport([mu, nu]);
      // Both are float64 roots of exact or float polynomials of degree ≤ 4 (simple roots):
      // 1e-10 is five orders above their rounding.
      expect(sup.edges.map((e) => e.side)).toEqual(special.edges.map((e) => e.side));
      sup.edges.forEach((e, k) => {
        expect(Math.abs(e.x - special.edges[k]!.x)).toBeLessThan(1e-10 * (1 + Math.abs(e.x)));
      });
      expect(sup.atoms.map((a) => a.location.toNumber())).toEqual(special.atoms.map((a) => a.location));
      sup.atoms.forEach((a, k) => {
        expect(Math.abs(a.mass.toNumber() - special.atoms[k]!.mass)).toBeLessThan(1e-12);
      });
    }
  });

  it("equals the general engine's edges and density on random free sums of 2-3 summands", () => {
    const u = rng(20261205);
    const v = rng(99);
    let outer = 0;
    let gaps = 0;
    for (let trial = 0; trial < 8; trial++) {
      const summands = randomSum(u, 2 + (trial % 2));
      const sup = polynomialMethodSupport(summands);
      const spectrum = polynomialSpectrum(expression(summands));
      const engine = polynomialSupport(spectrum);
      expect(sup.edges.map((e) => e.side)).toEqual(engine.edges.map((e) => e.side));
      const last = sup.edges.length - 1;
      sup.edges.forEach((e, k) => {
        const d = Math.abs(e.x - engine.edges[k]!.x) / (1 + Math.abs(e.x));
        if (k === 0 || k === last) {
          // The engine's outer edges are maxima of the real branch located to ≲1e-10.
          expect(d).toBeLessThan(EDGE_TOL);
          outer++;
        } else if (sup.atoms.length === 0) {
          // The engine's gap edges are bisections of ρ_η > 1e-9·peak at η = 1e-13(1 + |x|); outside
          // a square-root edge ρ_η ≈ η c/(2π√δ), so the crossing lies up to δ ≈ (1e-4 c/(2π peak))²
          // outside, a few 1e-8 for c/peak of a few (the exact edges here match the specialized
          // path to 1e-15 in the test above): 1e-6 bounds that for c/peak ≤ 60.
          expect(d).toBeLessThan(1e-6);
          gaps++;
        }
      });
      // The symbolic L against the numeric twin: the engine's G(z) solves L(G, z) = 0 at random
      // z in the upper half plane, relative to Σ|terms| (float64 rounding ~1e-15 per term, the
      // engine's G to ~1e-12 relative).
      for (let k = 0; k < 3; k++) {
        const z = { re: 6 * v() - 3, im: 0.05 + 2 * v() };
        const g = polynomialCauchy(spectrum, z);
        const { value, scale } = complexEval(sup.L, g, z);
        expect(value / scale).toBeLessThan(1e-10);
      }
      // The density from L alone against the fixed point's, at the middle of each interval
      // (both at η = 1e-9(1 + |x|); both are float64 roots of well-conditioned problems there).
      const sum = algebraicFreeSum(summands);
      for (const [a, b] of sup.intervals) {
        const x = 0.5 * (a + b);
        expect(Math.abs(algebraicDensity(sum, x) - polynomialDensity(spectrum, x))).toBeLessThan(1e-7);
      }
    }
    expect(outer).toBeGreaterThanOrEqual(16);
    expect(gaps).toBeGreaterThanOrEqual(2);
  });

  it("reads a parsed expression as free summands and matches the engine on it", () => {
    const text = [
      "dim N = 1",
      "dim M = 0.4",
      "dim K = 2.5",
      "W = gaussian(M, N, 1.5)",
      "V = gaussian(N, K, 0.7)",
      "S = wigner(N, 0.3)",
      "D = diagonal(N, signs(0.25, 2))",
      "D + 0.5 * W' * W - V * V' + S + 1",
    ].join("\n");
    const e = parseMatrixExpression(text).expression;
    const summands = algebraicSummands(e);
    // W'W: rate |M|/|N| = 2/5, jump 3/2; VV': rate |K|/|N| = 5/2, jump 0.7·|N|/|K| = 7/25.
    expect(summands.map((s) => s.kind)).toEqual([
      "atoms",
      "freePoisson",
      "freePoisson",
      "semicircle",
      "shift",
    ]);
    const wp = summands[1]!;
    const vv = summands[2]!;
    if (wp.kind !== "freePoisson" || vv.kind !== "freePoisson") throw new Error("unreachable");
    expect([wp.rate, wp.jump, wp.coefficient].map(String)).toEqual(["2/5", "3/2", "1/2"]);
    expect([vv.rate, vv.jump, vv.coefficient].map(String)).toEqual(["5/2", "7/25", "-1"]);
    const sup = polynomialMethodSupport(summands);
    const engine = polynomialSupport(polynomialSpectrum(e));
    expect(sup.edges.map((x) => x.side)).toEqual(engine.edges.map((x) => x.side));
    expect(sup.edges).toHaveLength(4);
    // Outer edges to EDGE_TOL, gap edges to the engine's bisection bound (see above).
    sup.edges.forEach((x, k) => {
      const tol = k === 0 || k === 3 ? EDGE_TOL : 1e-6;
      expect(Math.abs(x.x - engine.edges[k]!.x)).toBeLessThan(tol * (1 + Math.abs(x.x)));
    });
    const N = E.space("N");
    expect(() =>
      algebraicSummands(E.sum(E.diagonal("A", N, E.signsLaw(0.5)), E.diagonal("B", N, E.signsLaw(0.2)))),
    ).toThrow(/not free/);
    expect(() =>
      algebraicSummands(E.sum(E.wigner("S", N), E.product(E.wigner("S", N), E.wigner("S", N)))),
    ).toThrow(/W'W or WW'/);
    expect(() => algebraicSummands(E.diagonal("U", N, E.uniformLaw(0, 1)))).toThrow(/algebraic/);
  });

  it("refuses a free sum beyond the degree bound, and bad parameters by name", () => {
    const atoms: AlgebraicSummand = { kind: "atoms", atoms: [1, 2, 3], weights: ["1/3", "1/3", "1/3"] };
    expect(() => cauchyPolynomial([atoms, atoms, atoms], { maxDegree: 8 })).toThrow(BoundExceededError);
    expect(() => cauchyPolynomial([atoms, atoms, atoms], { maxDegree: 8 })).toThrow(
      /degree in R of the free sum/,
    );
    const two: AlgebraicSummand = { kind: "atoms", atoms: [1, -1], weights: ["1/3", "2/3"] };
    expect(() => polynomialMethodSupport([two, atoms], { budget: new Budget(0) })).toThrow(
      BudgetExceededError,
    );
    expect(() => polynomialMethodSupport([two, atoms], { budget: new Budget(0) })).toThrow(
      /freeSumRPolynomial/,
    );
    expect(() => rTransformPolynomial({ kind: "semicircle", variance: -1 })).toThrow(InvalidArgumentError);
    expect(() => rTransformPolynomial({ kind: "semicircle", variance: -1 })).toThrow(/variance/);
    expect(() => rTransformPolynomial({ kind: "atoms", atoms: [1, 2], weights: ["1/2", "1/3"] })).toThrow(
      /weights summing to 1/,
    );
  });
});
