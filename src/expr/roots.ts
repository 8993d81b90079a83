/**
 * Numeric roots of univariate polynomials, returned as complex numbers.
 *
 * Roots of a float64 coefficient vector are the eigenvalues of its companion matrix (ml-matrix's
 * Hessenberg QR, bounded: {@link realEigen}), each polished by Newton steps on the original polynomial while the residual
 * decreases. For an exact {@link Poly}, {@link polyRoots} first splits off repeated factors
 * exactly (Yun's square-free decomposition over Q), so a double root such as the 0 of lambda^2
 * comes out exactly with multiplicity 2 instead of as a 1e-8 pair.
 */
import { Matrix } from "ml-matrix";
import { InvalidArgumentError, NumericFailureError } from "../util/errors.ts";
import { realEigen } from "../util/real-eigen.ts";
import { polyGcd } from "./gcd.ts";
import type { Poly } from "./poly.ts";
import { Rational } from "./rational.ts";

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** A root with its multiplicity. */
export interface RootWithMultiplicity {
  root: Complex;
  multiplicity: number;
}

/**
 * Complex roots of sum_k coeffs[k] x^k (ascending powers), with multiplicity repeated, sorted
 * by real part then imaginary part. Trailing zero coefficients (degree drops) are ignored;
 * zero roots (leading zero coefficients) come out as exact zeros.
 */
export function numericRoots(coeffs: readonly number[]): Complex[] {
  coeffs.forEach((c, k) => {
    if (!Number.isFinite(c))
      throw new InvalidArgumentError("numericRoots", `coeffs[${k}]`, "a finite number", c);
  });
  let hi = coeffs.length - 1;
  while (hi >= 0 && coeffs[hi] === 0) hi--;
  if (hi < 0) throw new InvalidArgumentError("numericRoots", "coeffs", "a nonzero polynomial", "all zeros");
  let lo = 0;
  while (coeffs[lo] === 0) lo++;
  const roots: Complex[] = Array.from({ length: lo }, () => ({ re: 0, im: 0 }));
  const c = coeffs.slice(lo, hi + 1);
  const n = c.length - 1;
  if (n === 1) roots.push({ re: -c[0]! / c[1]!, im: 0 });
  else if (n > 1) {
    const lead = c[n]!;
    const companion = Matrix.zeros(n, n);
    for (let i = 1; i < n; i++) companion.set(i, i - 1, 1);
    for (let i = 0; i < n; i++) companion.set(i, n - 1, -c[i]! / lead);
    const evd = realEigen(companion);
    for (let i = 0; i < n; i++) {
      roots.push(polish(c, { re: evd.re[i]!, im: evd.im[i]! }));
    }
  }
  return roots.sort((a, b) => a.re - b.re || a.im - b.im);
}

/** p(z) and p'(z) by Horner, p in ascending coefficients. */
function hornerWithDerivative(c: readonly number[], z: Complex): [Complex, Complex] {
  let pr = 0;
  let pi = 0;
  let dr = 0;
  let di = 0;
  for (let k = c.length - 1; k >= 0; k--) {
    const ndr = dr * z.re - di * z.im + pr;
    const ndi = dr * z.im + di * z.re + pi;
    dr = ndr;
    di = ndi;
    const npr = pr * z.re - pi * z.im + c[k]!;
    const npi = pr * z.im + pi * z.re;
    pr = npr;
    pi = npi;
  }
  return [
    { re: pr, im: pi },
    { re: dr, im: di },
  ];
}

function abs(z: Complex): number {
  return Math.hypot(z.re, z.im);
}

/** Newton steps kept only while they reduce |p(z)|; at most 8 (quadratic convergence). */
function polish(c: readonly number[], z0: Complex): Complex {
  let z = z0;
  let [pz, dz] = hornerWithDerivative(c, z);
  for (let it = 0; it < 8 && abs(pz) > 0; it++) {
    const d = dz.re * dz.re + dz.im * dz.im;
    if (d === 0) break;
    const step = { re: (pz.re * dz.re + pz.im * dz.im) / d, im: (pz.im * dz.re - pz.re * dz.im) / d };
    const next = { re: z.re - step.re, im: z.im - step.im };
    const [pn, dn] = hornerWithDerivative(c, next);
    if (!(abs(pn) < abs(pz))) break;
    z = next;
    pz = pn;
    dz = dn;
  }
  return z;
}

/**
 * Yun's square-free decomposition of a univariate polynomial over Q: factors a_1, a_2, ...
 * (square-free, pairwise coprime) with p = const * prod a_i^i. Returns [factor, i] pairs for
 * the non-constant factors.
 */
export function squareFreeDecomposition(p: Poly, v: string): [Poly, number][] {
  const out: [Poly, number][] = [];
  if (p.degree(v) < 1) return out;
  const dp = p.derivative(v);
  const a0 = polyGcd(p, dp);
  let b = p.exactQuotient(a0)!;
  let c = dp.exactQuotient(a0)!;
  let d = c.sub(b.derivative(v));
  for (let i = 1; b.degree(v) > 0; i++) {
    if (i > p.degree(v)) throw new Error("squareFreeDecomposition: did not terminate (bug)");
    const a = polyGcd(b, d);
    b = b.exactQuotient(a)!;
    c = d.exactQuotient(a)!;
    d = c.sub(b.derivative(v));
    if (a.degree(v) > 0) out.push([a, i]);
  }
  return out;
}

/**
 * Complex roots of a univariate exact polynomial p in v with multiplicities: exact square-free
 * split, then {@link numericRoots} of each factor. Throws if p has other variables, and a
 * NumericFailureError where float64 cannot hold a factor's coefficients or roots (rather than
 * return fewer roots than the degree, or infinite ones).
 */
export function polyRoots(p: Poly, v: string): RootWithMultiplicity[] {
  const others = p.variables().filter((w) => w !== v);
  if (others.length > 0) {
    throw new InvalidArgumentError(
      "polyRoots",
      "p",
      `a polynomial in ${v} only`,
      p.toString(),
      `it also has ${others.join(", ")}; substitute values first`,
    );
  }
  if (p.isZero()) throw new InvalidArgumentError("polyRoots", "p", "a nonzero polynomial", "0");
  const out: RootWithMultiplicity[] = [];
  for (const [factor, multiplicity] of squareFreeDecomposition(p, v)) {
    const exact = factor.coefficients(v).map((c) => c.constantValue()!);
    let shift = 0;
    let coeffs = scaledCoefficients(exact, shift);
    if (!representable(exact, coeffs)) {
      // roots far from 1: substitute v = 2^shift u with 2^shift about the roots' geometric mean
      const low = exact.findIndex((c) => !c.isZero());
      const n = exact.length - 1;
      shift = Math.round((log2(exact[low]!) - log2(exact[n]!)) / (n - low));
      coeffs = scaledCoefficients(exact, shift);
    }
    if (!representable(exact, coeffs)) {
      throw new NumericFailureError(
        "polyRoots",
        "coefficients too far apart for float64 (roots would be lost)",
        {
          factor: abbreviate(factor.toString()),
        },
      );
    }
    const roots = numericRoots(coeffs).map((z) => ({ re: z.re * 2 ** shift, im: z.im * 2 ** shift }));
    if (roots.some((z) => !Number.isFinite(z.re) || !Number.isFinite(z.im))) {
      throw new NumericFailureError("polyRoots", "a root outside float64's range", {
        factor: abbreviate(factor.toString()),
      });
    }
    for (const root of roots) out.push({ root, multiplicity });
  }
  return out.sort((a, b) => a.root.re - b.root.re || a.root.im - b.root.im);
}

function log2(c: Rational): number {
  const bits = (x: bigint) => (x < 0n ? -x : x).toString(2).length;
  return bits(c.num) - bits(c.den);
}

function abbreviate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Every nonzero exact coefficient is a finite nonzero float64 (no root is lost or invented). */
function representable(exact: readonly Rational[], coeffs: readonly number[]): boolean {
  return exact.every((c, k) =>
    c.isZero() ? coeffs[k] === 0 : Number.isFinite(coeffs[k]!) && coeffs[k] !== 0,
  );
}

/**
 * Float64 coefficients of an exact polynomial, all scaled by one power of two so the largest
 * has magnitude about 1: integer coefficients of a primitive polynomial can exceed the float64
 * range although its roots are ordinary numbers. Scaling by 2^k is exact and keeps the roots.
 * `shift` first substitutes v = 2^shift u (coefficient k times 2^(shift k)), which moves roots
 * of any size near 1; the roots in v are those in u times 2^shift.
 */
function scaledCoefficients(cs: readonly Rational[], shift: number): number[] {
  const shifted = cs.map((c, k) => (c.isZero() ? c : c.mul(Rational.of(2n).pow(shift * k))));
  const size = shifted.map((c) => (c.isZero() ? Number.NEGATIVE_INFINITY : log2(c)));
  const k = Math.max(...size);
  const scale = Rational.of(2n).pow(-k);
  return shifted.map((c) => c.mul(scale).toNumber());
}
