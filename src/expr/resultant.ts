/**
 * Resultants and discriminants of polynomials in one chosen variable, with coefficients that
 * are themselves polynomials in the other variables. The resultant is the determinant of the
 * Sylvester matrix, computed division-free by Berkowitz's algorithm, so it is exact and lies
 * in Q[other variables]. res(p, q, v) = 0 exactly when p and q have a common root in v (or
 * both leading coefficients vanish): it eliminates v from the system p = q = 0.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { determinant } from "./berkowitz.ts";
import { Poly } from "./poly.ts";

/**
 * The (m+n) x (m+n) Sylvester matrix of p (degree m in v) and q (degree n in v): n shifted
 * rows of p's coefficients (highest power first), then m shifted rows of q's.
 */
export function sylvesterMatrix(p: Poly, q: Poly, v: string): Poly[][] {
  const a = p.coefficients(v).reverse();
  const b = q.coefficients(v).reverse();
  const m = a.length - 1;
  const n = b.length - 1;
  const size = m + n;
  const rows: Poly[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from({ length: size }, (_, j) => a[j - i] ?? Poly.ZERO));
  for (let i = 0; i < m; i++) rows.push(Array.from({ length: size }, (_, j) => b[j - i] ?? Poly.ZERO));
  return rows;
}

/**
 * Resultant of p and q with respect to v, in Q[other variables]. Conventions: res = 0 if
 * either is zero; res(c, q) = c^deg(q) for p = c free of v.
 */
export function resultant(p: Poly, q: Poly, v: string): Poly {
  if (p.isZero() || q.isZero()) return Poly.ZERO;
  const m = p.degree(v);
  const n = q.degree(v);
  if (m === 0 && n === 0) return Poly.ONE;
  if (m === 0) return p.pow(n);
  if (n === 0) return q.pow(m);
  return determinant(sylvesterMatrix(p, q, v));
}

/**
 * Discriminant of p in v: (-1)^(n(n-1)/2) res(p, dp/dv, v) / lc_v(p), for deg_v(p) = n >= 1;
 * zero exactly when p has a repeated root in v. For a v^2 + b v + c it is b^2 - 4 a c.
 */
export function discriminant(p: Poly, v: string): Poly {
  const n = p.degree(v);
  if (n < 1) {
    throw new InvalidArgumentError("discriminant", "p", `a polynomial of degree >= 1 in ${v}`, p.toString());
  }
  if (n === 1) return Poly.ONE;
  const r = resultant(p, p.derivative(v), v);
  const q = r.exactQuotient(p.leadingCoefficient(v));
  if (!q) throw new Error(`discriminant: leading coefficient does not divide the resultant (bug)`);
  return ((n * (n - 1)) / 2) % 2 === 0 ? q : q.neg();
}
