/**
 * Greatest common divisors of multivariate polynomials over Q, by the recursive primitive
 * polynomial remainder sequence (Knuth, TAOCP vol. 2, sec. 4.6.1, Algorithm E applied
 * recursively): the gcd of p and q in Q[x, y, ...] is gcd(content) times gcd(primitive parts),
 * where contents and primitive parts are taken with respect to the main variable x and the
 * contents (polynomials in y, ...) are handled by recursion on fewer variables.
 *
 * Used to find common factors of the components of a vector field: a common factor g of all
 * components vanishes on a whole family of fixed points {g = 0}.
 */
import { BoundExceededError } from "../util/errors.ts";
import { Poly } from "./poly.ts";

/**
 * Pseudo-remainder of a by b in variable v: lc_v(b)^k * a - Q * b with deg_v(result) <
 * deg_v(b), with k <= deg_v(a) - deg_v(b) + 1. Requires b nonzero.
 */
export function pseudoRemainder(a: Poly, b: Poly, v: string): Poly {
  const db = b.degree(v);
  const lb = b.leadingCoefficient(v);
  let r = a;
  const x = Poly.variable(v);
  for (let steps = 0; !r.isZero() && r.degree(v) >= db; steps++) {
    if (steps > a.degree(v) + 1) {
      throw new BoundExceededError("pseudoRemainder", "step", a.degree(v) + 1, steps);
    }
    const shift = r.degree(v) - db;
    r = r.mul(lb).sub(b.mul(r.leadingCoefficient(v)).mul(x.pow(shift)));
  }
  return r;
}

/**
 * gcd(p, q) in Q[variables], normalized to integer coefficients without common factor and a
 * positive leading term (graded lex); gcd(0, 0) = 0, and the gcd of coprime polynomials is 1.
 */
export function polyGcd(p: Poly, q: Poly): Poly {
  if (p.isZero()) return q.primitive();
  if (q.isZero()) return p.primitive();
  if (p.isConstant() || q.isConstant()) return Poly.ONE;
  // a variable w of only one of them: the gcd divides the other, so it is free of w, and a
  // divisor of p free of w divides each of p's coefficients in w: gcd(p, q) = gcd(cont_w(p), q).
  // Taken first, this keeps a univariate q from entering a remainder sequence in p's other
  // variables, whose coefficients swell (a bivariate quartic against a univariate octic with
  // 8-digit coefficients ran for minutes; its contents are univariate gcds of milliseconds)
  const onlyInP = p.variables().find((w) => q.degree(w) === 0);
  if (onlyInP !== undefined) return polyGcd(contentIn(p, onlyInP), q);
  const onlyInQ = q.variables().find((w) => p.degree(w) === 0);
  if (onlyInQ !== undefined) return polyGcd(p, contentIn(q, onlyInQ));
  const v = [...p.variables()].sort()[0]!;
  const cp = contentIn(p, v);
  const cq = contentIn(q, v);
  const c = polyGcd(cp, cq);
  let a = p.exactQuotient(cp)!;
  let b = q.exactQuotient(cq)!;
  if (a.degree(v) < b.degree(v)) [a, b] = [b, a];
  while (!b.isZero() && b.degree(v) > 0) {
    const r = pseudoRemainder(a, b, v);
    a = b;
    b = r.isZero() ? r : primitivePartIn(r, v).primitive();
  }
  // b is zero (a is the gcd of the primitive parts) or a nonzero constant in v (coprime).
  const g = b.isZero() ? primitivePartIn(a, v) : Poly.ONE;
  return c.mul(g).primitive();
}

/** gcd of a list of polynomials (0 for an empty list). */
export function polyGcdAll(ps: readonly Poly[]): Poly {
  let g = Poly.ZERO;
  for (const p of ps) {
    g = polyGcd(g, p);
    if (g.isConstant() && !g.isZero()) return Poly.ONE;
  }
  return g;
}

/** gcd of the coefficients of p as a polynomial in v (a polynomial free of v). */
export function contentIn(p: Poly, v: string): Poly {
  return polyGcdAll(p.coefficients(v));
}

/** p divided by its content in v. */
export function primitivePartIn(p: Poly, v: string): Poly {
  if (p.isZero()) return p;
  return p.exactQuotient(contentIn(p, v))!;
}
