import { describe, expect, it } from "vitest";
import {
  invertComplex,
  invertReal,
  solveComplex,
  solveReal,
} from "../../../src/spectra/free/dense-linear.ts";
import { Rng } from "../../../src/util/random.ts";

describe("small dense linear algebra", () => {
  it("complex and real inverses times the matrix are the identity; solves agree with them (seed 5)", () => {
    const rng = new Rng(5);
    for (const m of [1, 2, 4, 7]) {
      const aRe = rng.normals(m * m);
      const aIm = rng.normals(m * m);
      const iRe = aRe.slice();
      const iIm = aIm.slice();
      expect(invertComplex(m, iRe, iIm, new Int32Array(m))).toBe(true);
      const r = aRe.slice();
      expect(invertReal(m, r, new Int32Array(m))).toBe(true);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let sr = 0;
          let si = 0;
          let rr = 0;
          for (let k = 0; k < m; k++) {
            sr += aRe[i * m + k]! * iRe[k * m + j]! - aIm[i * m + k]! * iIm[k * m + j]!;
            si += aRe[i * m + k]! * iIm[k * m + j]! + aIm[i * m + k]! * iRe[k * m + j]!;
            rr += aRe[i * m + k]! * r[k * m + j]!;
          }
          // Backward-stable elimination on well-conditioned Gaussian matrices of size ≤ 7.
          expect(Math.abs(sr - (i === j ? 1 : 0))).toBeLessThan(1e-10);
          expect(Math.abs(si)).toBeLessThan(1e-10);
          expect(Math.abs(rr - (i === j ? 1 : 0))).toBeLessThan(1e-10);
        }
      const bRe = rng.normals(m);
      const bIm = rng.normals(m);
      const xRe = bRe.slice();
      const xIm = bIm.slice();
      expect(solveComplex(m, aRe.slice(), aIm.slice(), xRe, xIm)).toBe(true);
      const xr = bRe.slice();
      expect(solveReal(m, aRe.slice(), xr)).toBe(true);
      for (let i = 0; i < m; i++) {
        let yr = 0;
        let yi = 0;
        let zr = 0;
        for (let k = 0; k < m; k++) {
          yr += iRe[i * m + k]! * bRe[k]! - iIm[i * m + k]! * bIm[k]!;
          yi += iRe[i * m + k]! * bIm[k]! + iIm[i * m + k]! * bRe[k]!;
          zr += r[i * m + k]! * bRe[k]!;
        }
        expect(Math.abs(xRe[i]! - yr)).toBeLessThan(1e-9);
        expect(Math.abs(xIm[i]! - yi)).toBeLessThan(1e-9);
        expect(Math.abs(xr[i]! - zr)).toBeLessThan(1e-9);
      }
    }
  });

  it("a singular matrix is reported, not inverted", () => {
    // Rows proportional with exactly representable factors: the second pivot is exactly 0.
    expect(invertReal(2, Float64Array.from([1, 2, 2, 4]), new Int32Array(2))).toBe(false);
    expect(
      solveComplex(
        2,
        Float64Array.from([1, 2, 2, 4]),
        new Float64Array(4),
        new Float64Array(2),
        new Float64Array(2),
      ),
    ).toBe(false);
    expect(invertReal(2, Float64Array.from([0, 0, 0, 0]), new Int32Array(2))).toBe(false);
  });
});
