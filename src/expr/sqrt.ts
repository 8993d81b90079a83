/**
 * Exact square roots of polynomials that are perfect squares: used to print eigenvalues such
 * as ±sqrt(-4*s^2)/2 as ±i*s.
 */
import { compareMonomials, Poly } from "./poly.ts";
import { Rational } from "./rational.ts";

/** The exact square root of a non-negative rational, or undefined if it is not a square. */
export function rationalSqrt(r: Rational): Rational | undefined {
  if (r.sign() < 0) return undefined;
  const n = bigSqrt(r.num);
  const d = bigSqrt(r.den);
  return n !== undefined && d !== undefined ? Rational.of(n, d) : undefined;
}

/**
 * The exact square root of a non-negative integer if it is a perfect square. Newton's iteration
 * from a power of two at or above sqrt(x) decreases monotonically to floor(sqrt(x)) for x of any
 * size (a float64 estimate would overflow above 1.8e308).
 */
export function bigSqrt(x: bigint): bigint | undefined {
  if (x < 0n) return undefined;
  if (x < 2n) return x;
  let y = 1n << BigInt(Math.ceil(x.toString(2).length / 2));
  for (;;) {
    const next = (y + x / y) >> 1n;
    if (next >= y) break;
    y = next;
  }
  return y * y === x ? y : undefined;
}

/**
 * q with q^2 = p and positive leading coefficient (graded lex), or undefined if p is not the
 * square of a polynomial with rational coefficients. Term by term: the leading term of q is
 * the square root of p's; each next term is lt(p - q^2) / (2 lt(q)); at most size(p) steps.
 */
export function polySqrt(p: Poly): Poly | undefined {
  if (p.isZero()) return p;
  const lead = p.leadingTerm(true)!;
  const c = rationalSqrt(lead.coef);
  if (!c || lead.mono.some(([, e]) => e % 2 !== 0)) return undefined;
  const lq = { coef: c, mono: lead.mono.map(([v, e]) => [v, e / 2] as const) };
  let q = Poly.ONE.mulTerm(lq.coef, lq.mono);
  const twoLead = Poly.ONE.mulTerm(lq.coef.mul(Rational.of(2)), lq.mono);
  for (let step = 0; step <= p.size; step++) {
    const r = p.sub(q.mul(q));
    if (r.isZero()) return q;
    const lr = r.leadingTerm(true)!;
    const t = Poly.ONE.mulTerm(lr.coef, lr.mono).exactQuotient(twoLead);
    // the next term must be a monomial below lt(q) (a true quotient of leading terms)
    if (!t || t.size !== 1 || compareMonomials(t.terms()[0]!.mono, lq.mono, true) >= 0) return undefined;
    q = q.add(t);
  }
  return undefined;
}
