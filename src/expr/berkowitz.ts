/**
 * Characteristic polynomials and determinants of matrices over Q[variables] by Berkowitz's
 * division-free algorithm (S. J. Berkowitz, "On computing the determinant in small parallel
 * time using a small number of processors", Inf. Process. Lett. 18, 1984). Only ring
 * operations are used, so symbolic entries give exact polynomial coefficients with no
 * rational functions left behind; cost O(n^4) polynomial multiplications.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { Poly } from "./poly.ts";

/**
 * Coefficients [1, c1, ..., cn] of det(lambda I - A) = lambda^n + c1 lambda^(n-1) + ... + cn
 * for a square matrix A (rows of Poly). The empty matrix gives [1].
 *
 * Step r extends the leading r x r block M by column C, row R and corner a; the new
 * coefficient vector is T p with T the lower-triangular Toeplitz matrix whose first column is
 * (1, -a, -R C, -R M C, ..., -R M^(r-1) C).
 */
export function charpolyCoefficients(matrix: readonly (readonly Poly[])[]): Poly[] {
  const n = matrix.length;
  matrix.forEach((row, i) => {
    if (row.length !== n) {
      throw new InvalidArgumentError(
        "charpolyCoefficients",
        `matrix row ${i}`,
        `length ${n} (a square matrix)`,
        `length ${row.length}`,
      );
    }
  });
  const at = (i: number, j: number): Poly => (matrix[i] as readonly Poly[])[j] as Poly;
  let p: Poly[] = [Poly.ONE];
  for (let r = 0; r < n; r++) {
    const a = at(r, r);
    const col: Poly[] = [Poly.ONE, a.neg()];
    let v: Poly[] = [];
    for (let i = 0; i < r; i++) v.push(at(i, r)); // C
    for (let k = 0; k < r; k++) {
      let dot = Poly.ZERO;
      for (let j = 0; j < r; j++) dot = dot.add(at(r, j).mul(v[j]!)); // R . M^k C
      col.push(dot.neg());
      if (k < r - 1) {
        const next: Poly[] = [];
        for (let i = 0; i < r; i++) {
          let s = Poly.ZERO;
          for (let j = 0; j < r; j++) s = s.add(at(i, j).mul(v[j]!));
          next.push(s);
        }
        v = next;
      }
    }
    const q: Poly[] = [];
    for (let i = 0; i <= r + 1; i++) {
      let s = Poly.ZERO;
      for (let j = 0; j <= Math.min(i, r); j++) s = s.add(col[i - j]!.mul(p[j]!));
      q.push(s);
    }
    p = q;
  }
  return p;
}

/** det(A) = (-1)^n cn from {@link charpolyCoefficients}. */
export function determinant(matrix: readonly (readonly Poly[])[]): Poly {
  const c = charpolyCoefficients(matrix);
  const cn = c[c.length - 1]!;
  return matrix.length % 2 === 0 ? cn : cn.neg();
}
