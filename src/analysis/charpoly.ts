/**
 * Characteristic polynomials det(lambda I - J) of symbolic Jacobians, exact in lambda with
 * polynomial coefficients in states and parameters (Berkowitz, division-free), and their roots:
 * in closed form for factors of degree <= 2, numerically for any degree.
 */
import {
  add,
  type Complex,
  call,
  charpolyCoefficients,
  formatExpr,
  fromPoly,
  mul,
  num,
  Poly,
  polyGcd,
  polyRoots,
  polySqrt,
  Rational,
  squareFreeDecomposition,
} from "../expr/index.ts";

/** The variable of characteristic polynomials. */
export const LAMBDA = "lambda";

/** det(lambda I - J) as a polynomial in {@link LAMBDA} (monic, degree n). */
export function charpoly(J: readonly (readonly Poly[])[]): Poly {
  const c = charpolyCoefficients(J);
  return Poly.fromCoefficients(LAMBDA, [...c].reverse());
}

/**
 * p written by powers of v, highest first, with each coefficient in parentheses when it is a
 * sum: `lambda^2 + (-w1^2 + w2^2)*lambda + 3*w1^2*w2^2 - 4*s*w1*w2 + s^2` style, but grouped:
 * `lambda^2 + (w2^2 - w1^2)*lambda + (...)`. Reads back with parsePoly to the same polynomial.
 */
export function formatByPowers(p: Poly, v: string): string {
  if (p.isZero()) return "0";
  const c = p.coefficients(v);
  const parts: string[] = [];
  for (let k = c.length - 1; k >= 0; k--) {
    const ck = c[k]!;
    if (ck.isZero()) continue;
    const power = k === 0 ? "" : k === 1 ? v : `${v}^${k}`;
    const neg = ck.size === 1 && ck.terms()[0]!.coef.sign() < 0;
    const mag = neg ? ck.neg() : ck;
    const coefText = mag.size > 1 ? `(${mag})` : mag.toString();
    const body = power === "" ? coefText : mag.equals(Poly.ONE) ? power : `${coefText}*${power}`;
    parts.push(parts.length === 0 ? (neg ? `-${body}` : body) : `${neg ? "-" : "+"} ${body}`);
  }
  return parts.join(" ");
}

/** One eigenvalue in closed form: rule-language text, with `i` the imaginary unit. */
export interface ClosedFormEigenvalue {
  /** e.g. "0", "w1^2 - w2^2", "i*s", "-1/2*a + 1/2*sqrt(a^2 + 4*b)". */
  text: string;
  multiplicity: number;
  /** Real and imaginary parts as polynomials when the eigenvalue has that form (no sqrt left). */
  re?: Poly;
  im?: Poly;
}

/**
 * Eigenvalues of a characteristic polynomial p(lambda) with polynomial coefficients, in closed
 * form where every square-free factor has degree <= 2 in lambda with a constant leading
 * coefficient; undefined otherwise. Factors lambda^k and common content are split exactly.
 */
export function closedFormEigenvalues(p: Poly): ClosedFormEigenvalue[] | undefined {
  const out: ClosedFormEigenvalue[] = [];
  for (const [factor, mult] of squareFreeDecomposition(p, LAMBDA)) {
    // split off lambda itself, which a square-free factor may contain once
    const parts: Poly[] = [];
    const lam = Poly.variable(LAMBDA);
    const g = polyGcd(factor, lam);
    if (g.degree(LAMBDA) === 1) {
      parts.push(lam);
      const rest = factor.exactQuotient(lam)!;
      if (rest.degree(LAMBDA) > 0) parts.push(rest);
    } else parts.push(factor);
    for (const part of parts) {
      const roots = quadraticRoots(part);
      if (!roots) return undefined;
      for (const r of roots) out.push({ ...r, multiplicity: mult });
    }
  }
  return out;
}

function quadraticRoots(q: Poly): Omit<ClosedFormEigenvalue, "multiplicity">[] | undefined {
  const c = q.coefficients(LAMBDA);
  const lead = c[c.length - 1]!.constantValue();
  if (!lead) return undefined;
  if (c.length === 2) {
    const root = c[0]!.scale(lead.inv()).neg();
    return [{ text: root.toString(), re: root, im: Poly.ZERO }];
  }
  if (c.length !== 3) return undefined;
  // a x^2 + b x + c: x = -b/(2a) ± sqrt(b^2 - 4ac)/(2a)
  const a = lead;
  const b = c[1]!;
  const cc = c[0]!;
  const twoA = a.add(a);
  const mid = b.scale(twoA.inv()).neg();
  const disc = b.mul(b).sub(cc.scale(a).scale(4));
  const realRoot = polySqrt(disc);
  if (realRoot) {
    const h = realRoot.scale(twoA.inv());
    return [h.neg(), h].map((x) => {
      const root = mid.add(x);
      return { text: root.toString(), re: root, im: Poly.ZERO };
    });
  }
  const imagRoot = polySqrt(disc.neg());
  if (imagRoot) {
    const h = imagRoot.scale(twoA.inv());
    return [h.neg(), h].map((x) => ({ text: complexText(mid, x), re: mid, im: x }));
  }
  // a constant discriminant k^2 m prints as k*sqrt(m) with m free of small square factors
  let half = twoA.inv();
  let radicand = disc;
  const dc = disc.constantValue();
  if (dc && dc.sign() > 0) {
    const [k, m] = extractSquare(dc);
    half = half.mul(k);
    radicand = Poly.constant(m);
  }
  return [-1, 1].map((sign) => ({
    text: formatExpr(
      add(fromPoly(mid), mul(num(half.mul(Rational.of(sign))), call("sqrt", fromPoly(radicand)))),
    ),
  }));
}

/** r = k^2 m with k rational and m an integer without square factors below 1000. */
function extractSquare(r: Rational): [Rational, Rational] {
  // sqrt(n/d) = sqrt(n d)/d
  let m = r.num * r.den;
  let k = 1n;
  for (let p = 2n; p < 1000n && p * p <= m; p++) {
    while (m % (p * p) === 0n) {
      m /= p * p;
      k *= p;
    }
  }
  return [Rational.of(k, r.den), Rational.of(m)];
}

/** "re + i*im" in rule-language style: "i*s", "-i*s", "-1/2 + i*(w1 - w2)" (im nonzero). */
export function complexText(re: Poly, im: Poly): string {
  const neg = im.leadingTerm(true)!.coef.sign() < 0;
  const mag = neg ? im.neg() : im;
  const imText = mag.equals(Poly.ONE) ? "i" : `i*${mag.size > 1 ? `(${mag})` : mag}`;
  if (re.isZero()) return neg ? `-${imText}` : imText;
  return `${re} ${neg ? "-" : "+"} ${imText}`;
}

/**
 * Numeric eigenvalues of a characteristic polynomial whose coefficients are constants (after
 * substituting a point and parameter values), with multiplicity repeated.
 */
export function numericEigenvalues(p: Poly): Complex[] {
  return polyRoots(p, LAMBDA).flatMap((r) => Array.from({ length: r.multiplicity }, () => r.root));
}
