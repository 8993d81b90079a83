/**
 * The bounded nonsymmetric eigensolver (src/util/real-eigen.ts) against its contract: on a matrix
 * where ml-matrix's hqr2 cycles forever it returns the right eigenvalues and eigenvectors, and so
 * do the solver's callers (the reduced Jacobian's spectrum, continuation's eigenvalues, polynomial
 * roots); elsewhere it equals ml-matrix's EigenvalueDecomposition to the bit (the same code); a
 * non-finite entry is refused.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { eigenvalues as continuationEigenvalues } from "../../src/analysis/continuation/linear-algebra.ts";
import { rightmostFirst } from "../../src/analysis/network/reduced-jacobian.ts";
import { numericRoots } from "../../src/expr/index.ts";
import { NumericFailureError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/random.ts";
import { realEigen } from "../../src/util/real-eigen.ts";

/**
 * [[0, a, 0], [-a, 0, -b], [0, b, 0]], eigenvalues 0 and +-i sqrt(a^2 + b^2). With a = b = 1 (or
 * a = 0.5, b = 2) ml-matrix 6.15.1's hqr2 never returns: found at a fixed point of a mutated
 * saxe-depth3 rule in the rule fuzz run.
 */
const cycling = (a: number, b: number) => [
  [0, a, 0],
  [-a, 0, -b],
  [0, b, 0],
];

// Eigenvalues of an O(1) matrix by a backward-stable QR iteration err by a few ulps times the
// norm (about 1e-16 * 3 here); 1e-12 leaves room for the similarity's extra rounding.
const TOL = 1e-12;

const sortedByIm = (zs: { re: number; im: number }[]) => [...zs].sort((p, q) => p.im - q.im);

describe("realEigen", () => {
  it.each([
    [1, 1],
    [0.5, 2],
  ])("returns 0, +-i sqrt(a^2+b^2) where ml-matrix's hqr2 cycles (a = %f, b = %f)", (a, b) => {
    const A = cycling(a, b);
    const { re, im, vectors } = realEigen(A);
    const w = Math.hypot(a, b);
    const z = sortedByIm(re.map((x, k) => ({ re: x, im: im[k]! })));
    const expected = [-w, 0, w];
    z.forEach((zk, k) => {
      expect(Math.abs(zk.re)).toBeLessThan(TOL);
      expect(Math.abs(zk.im - expected[k]!)).toBeLessThan(TOL);
    });
    // A V = V D with D block diagonal (EISPACK layout: [[re, im], [-im, re]] for a pair)
    const D = Matrix.zeros(3, 3);
    for (let k = 0; k < 3; k++) {
      D.set(k, k, re[k]!);
      if (im[k]! > 0) D.set(k, k + 1, im[k]!);
      if (im[k]! < 0) D.set(k, k - 1, im[k]!);
    }
    const residual = new Matrix(A).mmul(vectors).sub(vectors.mmul(D)).abs().max();
    expect(residual).toBeLessThan(TOL * vectors.abs().max());
    expect(vectors.abs().max()).toBeGreaterThan(0.1);
  });

  it("serves the callers that cycled before: reduced-Jacobian spectra, continuation, roots", () => {
    const A = cycling(1, 1);
    for (const zs of [rightmostFirst(new Matrix(A)), continuationEigenvalues(A)]) {
      const z = sortedByIm(zs);
      expect(z.map((x) => x.im)).toEqual([
        expect.closeTo(-Math.SQRT2, 12),
        expect.closeTo(0, 12),
        expect.closeTo(Math.SQRT2, 12),
      ]);
    }
    // companion matrices of lambda^3 + 2 lambda (the charpoly of A): its roots
    const roots = sortedByIm(numericRoots([0, 2, 0, 1]));
    expect(roots.map((x) => x.im)).toEqual([
      expect.closeTo(-Math.SQRT2, 12),
      expect.closeTo(0, 12),
      expect.closeTo(Math.SQRT2, 12),
    ]);
  });

  it("equals ml-matrix's EigenvalueDecomposition where that one returns", () => {
    const rng = new Rng(7);
    for (let k = 0; k < 60; k++) {
      const n = 1 + (k % 9);
      const A = new Matrix(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())));
      const ours = realEigen(A);
      const theirs = new EigenvalueDecomposition(A);
      expect(ours.re).toEqual(theirs.realEigenvalues);
      expect(ours.im).toEqual(theirs.imaginaryEigenvalues);
      expect(ours.vectors.to2DArray()).toEqual(theirs.eigenvectorMatrix.to2DArray());
    }
  });

  it("refuses NaN and infinite entries", () => {
    expect(() =>
      realEigen([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toThrow(NumericFailureError);
    expect(() =>
      realEigen([
        [1, 2],
        [Number.POSITIVE_INFINITY, 1],
      ]),
    ).toThrow(/not a finite float64/);
  });
});

describe("every nonsymmetric eigenproblem goes through realEigen", () => {
  it("src/ and theory/ call ml-matrix's EigenvalueDecomposition only with assumeSymmetric: true", () => {
    const offenders: string[] = [];
    for (const root of ["src", "theory"])
      for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
        if (!file.endsWith(".ts") || join(root, file) === join("src", "util", "real-eigen.ts")) continue;
        const text = readFileSync(join(root, file), "utf8");
        for (const m of text.matchAll(/new EigenvalueDecomposition\(([^;]*)/g))
          if (!m[1]!.includes("assumeSymmetric: true")) offenders.push(join(root, file));
      }
    expect(offenders).toEqual([]);
  });
});
