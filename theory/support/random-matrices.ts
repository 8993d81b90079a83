/** Random vectors and matrices for generating claim instances, all drawn from a seeded Rng. */
import { Rng } from "../../src/util/random.ts";
import { dot, type Mat, norm } from "./linalg.ts";

/** A uniformly distributed unit vector in R^n (normalized Gaussian). */
export function unitVector(rng: Rng, n: number): number[] {
  for (;;) {
    const v = Array.from(rng.normals(n));
    const r = norm(v);
    if (r > 1e-12) return v.map((x) => x / r);
  }
}

/** An n x n orthogonal matrix (Gram-Schmidt on Gaussian columns), rows are the basis vectors. */
export function orthogonal(rng: Rng, n: number): Mat {
  const rows: number[][] = [];
  while (rows.length < n) {
    let v = Array.from(rng.normals(n));
    for (const q of rows) {
      const c = dot(v, q);
      v = v.map((x, i) => x - c * q[i]!);
    }
    const r = norm(v);
    if (r > 1e-8) rows.push(v.map((x) => x / r));
  }
  return rows;
}

/** Q^T diag(lambda) Q for an orthogonal Q: a symmetric matrix with the given eigenvalues. */
export function symmetricWithSpectrum(q: Mat, lambda: number[]): Mat {
  const n = lambda.length;
  const h: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i]![j]! += q[k]![i]! * lambda[k]! * q[k]![j]!;
  return h;
}

/** A rows x cols matrix with i.i.d. N(0, variance) entries. */
export function gaussian(rng: Rng, rows: number, cols: number, variance: number): Mat {
  const sd = Math.sqrt(variance);
  return Array.from({ length: rows }, () => Array.from(rng.normals(cols, 0, sd)));
}

export { Rng };
