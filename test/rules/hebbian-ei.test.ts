/**
 * rules/hebbian-ei.rule against seed 001 eq. 2, τ_W Ẇ = y yᵀ - γW ≈ f fᵀ + W D f fᵀ + f fᵀ D Wᵀ
 * - γW, and the claims that follow it:
 * (1) the field is eq. 2's right-hand side with C = <f fᵀ> over the training set, by hand;
 * (2) it is the first-order expansion of (<y yᵀ> - γW)/τ with y = (I - W D)⁻¹ f, the steady
 *     state of eq. 1: the remainder is t² Q + O(t³) at W → tW, Q the second-order term;
 * (3) the first and last terms are gradients (C of Tr(C Wᵀ), -γW of -γ/2 Tr(W Wᵀ)); the middle
 *     terms W D C + C D Wᵀ are a gradient over all N x N matrices only when C D is a multiple of
 *     I, and over symmetric W (the restriction of the paper's appendix A.3) exactly when C D is
 *     symmetric (e.g. inhibitory neurons without input, or D = I). The main text's "cannot,
 *     unless f fᵀ D is symmetric" is the second statement; the rule's W is not symmetric.
 * The field is affine in W, so its Jacobian is read off exactly (up to rounding) from differences.
 */
import { describe, expect, it } from "vitest";
import {
  add,
  at,
  identity,
  type Mat,
  mat,
  mul,
  roundingBound,
  sample,
  sampleMean,
  scale,
  scaleColumns,
  sub,
  transpose,
} from "./reference/matrix.ts";
import { field, fixedIndex, type Instance, instance } from "./reference/programs.ts";

const [N, P] = [4, 12];
const SIZES = { N, P, Q: 4, S: 4 };
/** Roundings: C (the product and the sum over P samples, P + 2), W D C (N + 1), the sum of four terms and the division by τ (4): N + P + 7. */
const L = N + P + 10;

function drives(inst: Instance, data = inst.run.train[0]!) {
  return { C: sampleMean(P, (s) => mul(sample(data, N, 1, s), transpose(sample(data, N, 1, s)))), data };
}

/** Eq. 2's right-hand side divided by τ, and its magnitude. */
function equation2(W: Mat, C: Mat, d: Float64Array, gamma: number, tau: number) {
  const WDC = mul(scaleColumns(W, d), C);
  const CDWt = mul(scaleColumns(C, d), transpose(W));
  const value = scale(1 / tau, sub(add(add(C, WDC), CDWt), scale(gamma, W)));
  const absm = (A: Mat) => mat(A.rows, A.cols, A.a.map(Math.abs));
  const aW = absm(W);
  const aC = absm(C);
  const magnitude = scale(
    1 / tau,
    add(add(add(aC, mul(aW, aC)), mul(aC, transpose(aW))), scale(Math.abs(gamma), aW)),
  );
  return { value, magnitude };
}

/** The Jacobian of the field at W = 0 (the field is affine): column q is F(e_q) - F(0). */
function jacobian(inst: Instance, data: Float64Array): Mat {
  const F0 = field(inst, { states: [new Float64Array(N * N)], data: [data] })[0]!;
  const J = mat(N * N, N * N);
  for (let q = 0; q < N * N; q++) {
    const e = new Float64Array(N * N);
    e[q] = 1;
    const Fq = field(inst, { states: [e], data: [data] })[0]!;
    for (let p = 0; p < N * N; p++) J.a[p * N * N + q] = Fq[p]! - F0[p]!;
  }
  return J;
}

/** The orthogonal projector onto symmetric N x N matrices, acting on row-major vec(W). */
function symmetricProjector(): Mat {
  const S = mat(N * N, N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      S.a[(i * N + j) * N * N + (i * N + j)] = S.a[(i * N + j) * N * N + (i * N + j)]! + 0.5;
      S.a[(i * N + j) * N * N + (j * N + i)] = S.a[(i * N + j) * N * N + (j * N + i)]! + 0.5;
    }
  }
  return S;
}

/** max |A - Aᵀ| over the entries. */
function asymmetry(A: Mat): number {
  let m = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) m = Math.max(m, Math.abs(at(A, i, j) - at(A, j, i)));
  return m;
}

/**
 * Rounding of a Jacobian entry: F(e_q) and F(0) are each within γ_L (|C| + |C| + ...) of exact,
 * entries of size max|C| (<= max_s |f|² ); so every entry of J, and of J - Jᵀ, is within
 * 4 roundingBound(L, 3 max|C| + 1) of the exact value.
 */
function jacobianRounding(C: Mat): number {
  return 4 * roundingBound(L, 3 * Math.max(...C.a.map(Math.abs)) + 1);
}

describe("hebbian-ei: seed 001 eq. 2", () => {
  it("the field is (C + W D C + C D W' - gamma W) / tauW with C = <f f'>, by hand", () => {
    for (const [seed, params] of [
      [701, {}],
      [702, { gamma: 0.3, tauW: 2.5, alphaI: 0.5 }],
    ] as const) {
      const inst = instance("hebbian-ei", { sizes: SIZES, params, seed });
      const d = inst.run.fixed[fixedIndex(inst, "d")]!;
      const { C } = drives(inst);
      const gamma = "gamma" in params ? params.gamma : 1;
      const tau = "tauW" in params ? params.tauW : 1;
      const ref = equation2(mat(N, N, inst.run.states[0]!), C, d, gamma, tau);
      field(inst)[0]!.forEach((v, q) => {
        expect(Math.abs(v - ref.value.a[q]!)).toBeLessThanOrEqual(roundingBound(L, ref.magnitude.a[q]!));
      });
    }
  });

  it("is the first-order expansion of (<y y'> - gamma W)/tauW at the steady state y = (I - W D)^-1 f of eq. 1", () => {
    const inst = instance("hebbian-ei", { sizes: SIZES, params: { alphaI: 0.5 }, seed: 703 });
    const d = inst.run.fixed[fixedIndex(inst, "d")]!;
    const { data } = drives(inst);
    const W = mat(N, N, inst.run.states[0]!);
    const A = (t: number) => scale(t, scaleColumns(W, d)); // t W D
    const exact = (t: number) => {
      // y = Σ_k (t W D)^k f: the series converges since ||t W D|| < 1 (t <= 0.01, entries of W in [0, 1/N)).
      const yyT = sampleMean(P, (s) => {
        const f = sample(data, N, 1, s);
        let y = f;
        for (let k = 0; k < 40; k++) y = add(f, mul(A(t), y));
        return mul(y, transpose(y));
      });
      return sub(yyT, scale(t, W)); // γ = τ = 1
    };
    const rule = (t: number) =>
      mat(N, N, field(inst, { states: [Float64Array.from(W.a, (v) => t * v)] })[0]!);
    const Q = sampleMean(P, (s) => {
      const f = sample(data, N, 1, s);
      const F = mul(f, transpose(f));
      const WD = scaleColumns(W, d);
      return add(add(mul(mul(WD, WD), F), mul(mul(WD, F), transpose(WD))), mul(F, transpose(mul(WD, WD))));
    });
    // The remainder over t² tends to Q with an error O(t): its order, fitted between t = 1e-2
    // and 1e-3, is 1 (the next term is smaller by O(t ||W D||) < 1e-2, so within 0.9 .. 1.1;
    // rounding, u / t² ≈ 1e-10 relative at t = 1e-3, is far below the O(t) term).
    const error = (t: number) => {
      const r = sub(exact(t), rule(t));
      return Math.max(...sub(scale(1 / (t * t), r), Q).a.map(Math.abs));
    };
    const order = Math.log10(error(1e-2) / error(1e-3));
    expect(order).toBeGreaterThan(0.9);
    expect(order).toBeLessThan(1.1);
  });
});

describe("hebbian-ei: which terms of eq. 2 are gradients", () => {
  it("f f' is the field at W = 0 and -gamma W contributes -gamma/tauW I to the Jacobian (gradients of Tr(C W') and -gamma/2 Tr(W W'))", () => {
    const seed = 704;
    const withDecay = instance("hebbian-ei", {
      sizes: SIZES,
      params: { gamma: 0.7, tauW: 2, alphaI: 0.5 },
      seed,
    });
    const without = instance("hebbian-ei", {
      sizes: SIZES,
      params: { gamma: 0, tauW: 2, alphaI: 0.5 },
      seed,
    });
    const { C, data } = drives(withDecay);
    field(withDecay, { states: [new Float64Array(N * N)] })[0]!.forEach((v, q) => {
      expect(Math.abs(v - C.a[q]! / 2)).toBeLessThanOrEqual(roundingBound(L, Math.abs(C.a[q]!)));
    });
    expect(asymmetry(C)).toBeLessThanOrEqual(roundingBound(L, Math.max(...C.a.map(Math.abs))));
    const difference = sub(jacobian(withDecay, data), jacobian(without, data));
    const expected = scale(-0.7 / 2, identity(N * N));
    difference.a.forEach((v, q) => {
      expect(Math.abs(v - expected.a[q]!)).toBeLessThanOrEqual(2 * jacobianRounding(C));
    });
  });

  it("W D C + C D W' is a gradient over all N x N matrices only when C D is a multiple of I", () => {
    const inst = instance("hebbian-ei", { sizes: SIZES, params: { gamma: 0, alphaI: 0.5 }, seed: 705 });
    const flat = instance("hebbian-ei", { sizes: SIZES, params: { gamma: 0, alphaI: 0 }, seed: 705 });
    const d = inst.run.fixed[fixedIndex(inst, "d")]!;
    expect(d.filter((v) => v === -1).length).toBe(2);
    const { C, data } = drives(inst);
    const noise = jacobianRounding(C);
    // Sign-diverse D, and D = I with a generic C: the Jacobian is not symmetric (a curl).
    expect(asymmetry(jacobian(inst, data))).toBeGreaterThan(1e6 * noise);
    expect(asymmetry(jacobian(flat, data))).toBeGreaterThan(1e6 * noise);
    // Inhibitory neurons without input make C D symmetric, and still leave a curl over all W.
    const silent = Float64Array.from(data, (v, q) => (d[q % N] === -1 ? 0 : v));
    expect(asymmetry(jacobian(inst, silent))).toBeGreaterThan(1e6 * noise);
    // Drives ±2 e_i: C = c I exactly, and with D = I the middle terms c (W + Wᵀ) are the
    // gradient of c (Tr(W Wᵀ) + Tr(W W)) / 2: a symmetric Jacobian.
    const white = new Float64Array(P * N);
    for (let s = 0; s < 2 * N; s++) white[s * N + (s >> 1)] = s % 2 === 0 ? 2 : -2;
    for (let s = 2 * N; s < P; s++) white.fill(0, s * N, (s + 1) * N);
    // The last P - 2N samples are zero, so <f fᵀ> = (2N · 4 / 2) I / P = (4 / 3) I here.
    const Cw = drives(inst, white).C;
    expect(asymmetry(sub(Cw, scale(Cw.a[0]!, identity(N))))).toBe(0);
    expect(asymmetry(jacobian(flat, white))).toBeLessThanOrEqual(jacobianRounding(Cw));
    // ... but with sign-diverse D, C D = (4/3) D is not a multiple of I: a curl again.
    expect(asymmetry(jacobian(inst, white))).toBeGreaterThan(1e6 * jacobianRounding(Cw));
  });

  it("over symmetric W (seed 001, A.3) it is a gradient exactly when C D is symmetric", () => {
    const inst = instance("hebbian-ei", { sizes: SIZES, params: { gamma: 0, alphaI: 0.5 }, seed: 706 });
    const flat = instance("hebbian-ei", { sizes: SIZES, params: { gamma: 0, alphaI: 0 }, seed: 706 });
    const d = inst.run.fixed[fixedIndex(inst, "d")]!;
    const { C, data } = drives(inst);
    const S = symmetricProjector();
    const restricted = (J: Mat) => mul(mul(S, J), S);
    const noise = 4 * jacobianRounding(C); // the projector's entries 1/2 and sums of two add little
    // Symmetric W stay symmetric under the field (W D C and C D Wᵀ are transposes of each other).
    const Wsym = mat(N, N, inst.run.states[0]!);
    const sym = add(Wsym, transpose(Wsym));
    expect(asymmetry(mat(N, N, field(inst, { states: [Float64Array.from(sym.a)] })[0]!))).toBeLessThanOrEqual(
      noise,
    );
    // Generic C, sign-diverse D: C D is not symmetric, and the restriction has a curl.
    expect(asymmetry(mul(C, scaleColumns(identity(N), d)))).toBeGreaterThan(1e6 * noise);
    expect(asymmetry(restricted(jacobian(inst, data)))).toBeGreaterThan(1e6 * noise);
    // C D symmetric: D = I, or inhibitory neurons receiving no input (the paper's remark).
    expect(asymmetry(restricted(jacobian(flat, data)))).toBeLessThanOrEqual(noise);
    const silent = Float64Array.from(data, (v, q) => (d[q % N] === -1 ? 0 : v));
    const Cs = drives(inst, silent).C;
    expect(asymmetry(mul(Cs, scaleColumns(identity(N), d)))).toBe(0);
    expect(asymmetry(restricted(jacobian(inst, silent)))).toBeLessThanOrEqual(noise);
  });
});
