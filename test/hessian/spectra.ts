/** Test matrices with known spectra (not a test file itself). */
import { orthonormalize } from "../../src/hessian/subspace-iteration.ts";
import { Rng } from "../../src/util/random.ts";

/** Q diag(λ) Qᵀ with a random orthogonal Q (row-major, n = λ.length). */
export function symmetricWithSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const rng = new Rng(seed);
  const Q = orthonormalize(Array.from({ length: n }, () => rng.normals(n)));
  const a = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const q = Q[k]!;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) a[i * n + j] = a[i * n + j]! + lambda[k]! * q[i]! * q[j]!;
  }
  return a;
}

/** S B S⁻¹ with S = Q (orthogonal) and B block-diagonal: a 2 x 2 block [[re, -im], [im, re]] then diag(rest). */
export function withComplexPair(re: number, im: number, rest: number[], seed: number): Float64Array {
  const n = rest.length + 2;
  const B = new Float64Array(n * n);
  B[0] = re;
  B[1] = -im;
  B[n] = im;
  B[n + 1] = re;
  rest.forEach((x, i) => {
    B[(i + 2) * n + i + 2] = x;
  });
  const rng = new Rng(seed);
  const Q = orthonormalize(Array.from({ length: n }, () => rng.normals(n)));
  // A = Qᵀ B Q with Q's rows the vectors above.
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) {
        const qp = Q[p]!;
        for (let q = 0; q < n; q++) {
          const qq = Q[q]!;
          s += qp[i]! * B[p * n + q]! * qq[j]!;
        }
      }
      a[i * n + j] = s;
    }
  return a;
}
