/**
 * Implicitly restarted Arnoldi (src/spectra/arnoldi.ts) against dense eigenvalues (ml-matrix) on
 * random nonsymmetric matrices, including complex rightmost pairs and a clustered spectrum, and
 * its report when a bound stops it before convergence.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { arnoldiEigenvalues } from "../../src/spectra/arnoldi.ts";
import { Rng } from "../../src/util/random.ts";

/** Dense eigenvalues sorted by decreasing real part (then imaginary part). */
function denseRightmost(A: Matrix, k: number) {
  const evd = new EigenvalueDecomposition(A);
  return evd.realEigenvalues
    .map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i]! }))
    .sort((a, b) => b.re - a.re || b.im - a.im)
    .slice(0, k);
}

function operator(A: Matrix) {
  const n = A.rows;
  const data = A.to1DArray();
  return (v: Float64Array) => {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += data[i * n + j]! * v[j]!;
      w[i] = s;
    }
    return w;
  };
}

/**
 * An operator with known eigenvalues at any size: Q T Q' with T upper quasi-triangular (the
 * eigenvalues on its diagonal, conjugate pairs as 2 x 2 blocks [[a, b], [-b, a]]), random entries
 * above, and Q a product of three Householder reflections. Its spectrum is T's, exactly.
 */
function knownSpectrum(n: number, seed: number, top: { re: number; im: number }[]) {
  const rng = new Rng(seed);
  const T = new Float64Array(n * n);
  const eigenvalues: { re: number; im: number }[] = [];
  let i = 0;
  const place = (re: number, im: number) => {
    if (im === 0) {
      T[i * n + i] = re;
      eigenvalues.push({ re, im: 0 });
      i++;
    } else {
      T[i * n + i] = re;
      T[(i + 1) * n + i + 1] = re;
      T[i * n + i + 1] = im;
      T[(i + 1) * n + i] = -im;
      eigenvalues.push({ re, im }, { re, im: -im });
      i += 2;
    }
  };
  for (const e of top) place(e.re, e.im);
  while (i < n) place(-3 + 3 * rng.uniform(), i + 1 < n && rng.uniform() < 0.3 ? rng.uniform() : 0);
  for (let r = 0; r < n; r++) for (let c = r + 2; c < n; c++) T[r * n + c] = rng.normal() / Math.sqrt(n);
  const reflectors = [0, 1, 2].map(() => {
    const u = rng.normals(n);
    const s = Math.hypot(...u);
    return u.map((x) => x / s);
  });
  const reflect = (u: Float64Array, v: Float64Array) => {
    let d = 0;
    for (let q = 0; q < n; q++) d += u[q]! * v[q]!;
    for (let q = 0; q < n; q++) v[q] = v[q]! - 2 * d * u[q]!;
  };
  const apply = (v: Float64Array) => {
    const w = Float64Array.from(v);
    for (const u of [...reflectors].reverse()) reflect(u, w); // Q' v (each reflector is symmetric)
    const t = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = Math.max(0, r - 1); c < n; c++) s += T[r * n + c]! * w[c]!;
      t[r] = s;
    }
    for (const u of reflectors) reflect(u, t);
    return t;
  };
  eigenvalues.sort((a, b) => b.re - a.re || b.im - a.im);
  return { apply, eigenvalues };
}

describe("arnoldiEigenvalues", () => {
  it.each([
    [300, 4, 1],
    [1000, 6, 2],
    [2000, 5, 3],
  ])("finds the %i-dimensional operator's %i rightmost eigenvalues (known spectrum, seed %i)", (n, k, seed) => {
    const top = [
      { re: 1, im: 0 },
      { re: 0.9, im: 0.3 },
      { re: 0.8, im: 0 },
      { re: 0.7, im: 0.5 },
      { re: 0.6, im: 0 },
    ];
    const { apply, eigenvalues } = knownSpectrum(n, seed, top);
    const result = arnoldiEigenvalues(apply, n, { count: k, tolerance: 1e-10, seed });
    expect(result.converged).toBe(true);
    result.values.forEach((v, i) => {
      // A Ritz estimate of 1e-10 relative bounds the error of these well-separated eigenvalues
      // (condition numbers O(1): T's off-diagonal entries are O(1/sqrt n)) to about 1e-9.
      expect(Math.abs(v.re - eigenvalues[i]!.re)).toBeLessThan(1e-8);
      expect(Math.abs(v.im - eigenvalues[i]!.im)).toBeLessThan(1e-8);
      expect(v.residual).toBeLessThan(1e-8);
    });
  });

  it("agrees with dense eig on a random matrix", () => {
    const n = 300;
    const rng = new Rng(4);
    const A = Matrix.from1DArray(n, n, rng.normals(n * n, 0, 1 / Math.sqrt(n)));
    for (let i = 0; i < 6; i++) A.set(i, i, A.get(i, i) + 1.5 + 0.25 * i);
    const result = arnoldiEigenvalues(operator(A), n, { count: 4, seed: 4 });
    expect(result.converged).toBe(true);
    const dense = denseRightmost(A, result.values.length);
    result.values.forEach((v, i) => {
      expect(Math.abs(v.re - dense[i]!.re)).toBeLessThan(1e-8);
      expect(Math.abs(v.im - dense[i]!.im)).toBeLessThan(1e-8);
    });
  });

  it("keeps a complex rightmost pair together", () => {
    const n = 300;
    const rng = new Rng(7);
    const A = Matrix.from1DArray(n, n, rng.normals(n * n, 0, 0.5 / Math.sqrt(n)));
    // A rotation block with eigenvalues 2 +- 0.7i.
    A.set(0, 0, 2);
    A.set(1, 1, 2);
    A.set(0, 1, 0.7);
    A.set(1, 0, -0.7);
    const r = arnoldiEigenvalues(operator(A), n, { count: 1 });
    expect(r.converged).toBe(true);
    expect(r.values).toHaveLength(2);
    const dense = denseRightmost(A, 2);
    expect(Math.abs(r.values[0]!.re - dense[0]!.re)).toBeLessThan(1e-8);
    expect(Math.abs(r.values[0]!.im)).toBeCloseTo(Math.abs(dense[0]!.im), 8);
    expect(r.values[0]!.im).toBeCloseTo(-r.values[1]!.im, 12);
    expect(r.values[0]!.residual).toBeLessThan(1e-8);
  });

  it("reports a bound hit before convergence, with residuals", () => {
    const n = 400;
    const rng = new Rng(9);
    const A = Matrix.from1DArray(n, n, rng.normals(n * n, 0, 1 / Math.sqrt(n)));
    const r = arnoldiEigenvalues(operator(A), n, {
      count: 8,
      subspace: 20,
      maxRestarts: 2,
      tolerance: 1e-14,
    });
    expect(r.converged).toBe(false);
    expect(r.stoppedBy).toBe("restarts");
    expect(r.restarts).toBe(2);
    for (const v of r.values) expect(Number.isFinite(v.residual)).toBe(true);
  });

  it("refuses a count the dimension cannot hold", () => {
    expect(() => arnoldiEigenvalues((v) => v, 5, { count: 4 })).toThrow(/count/);
  });
});
