/**
 * The hidden-layer quartic of seed 001 (appendix B.4.1, eqs. 115-122), derived exactly with
 * src/expr from the Blue-transform equation and compared with the printed coefficients.
 *
 * With D2 = I, X = D1 + W1ᵀW1 has B_X(ω) = (1 + √R(ω))/(2ω) + 1/(c(1 − ω)) (eq. 113), where
 * R = 1 + 4ω(ω + Δ), Δ = 1 − 2α_h. B_X(ω) = x is √R = A with A = 2ω(x − 1/(c(1 − ω))) − 1
 * (eq. 115); squaring (eq. 116) and clearing c²(1 − ω)² gives
 *   P(ω) = (c(1 − ω)A)² − c²(1 − ω)² R,
 * which is c² times the paper's P_x (eq. 117). Squaring admits the other branch √R = −A too, so
 * double roots of P are only edge candidates; src/spectra validates each by the density.
 * Since a0 = 0, P = ω Q and disc_ω(P) = a1² disc_ω(Q): the factor a1² adds the spurious
 * candidate x = 1/c − Δ (the double root ω = 0, i.e. z = ∞), and disc_ω(Q) is the quartic in x
 * of the text after eq. 125.
 */
import { discriminant, type Poly, parsePoly, polyRoots, Rational } from "../expr/index.ts";

/** P(ω) of the header, in the variables w (= ω), x, c and D (= Δ). */
export function derivedHiddenQuartic(): Poly {
  const cA = parsePoly("2*w*(x*c*(1-w) - 1) - c*(1-w)");
  const R = parsePoly("1 + 4*w*(w + D)");
  return cA.mul(cA).sub(parsePoly("c^2*(1-w)^2").mul(R));
}

/** The printed coefficients a0..a4 of eqs. 118-122, each multiplied by c² (as typeset there). */
export const PRINTED_COEFFICIENTS_TIMES_C2 = [
  "0",
  "c*(-4*D*c - 4*c*x + 4)",
  "8*D*c^2 + 4*c^2*x^2 + 8*c^2*x - 4*c^2 - 8*c*x - 4*c + 4",
  "c*(-4*D*c - 8*c*x^2 - 4*c*x + 8*c + 8*x)",
  "4*(x^2 - 1)*c^2",
] as const;

export interface CoefficientComparison {
  power: number;
  derived: string;
  printed: string;
  /** derived − printed, "0" when they agree. */
  difference: string;
}

/** Coefficient-by-coefficient comparison of the derived P with c² times eqs. 118-122. */
export function compareHiddenQuartic(): CoefficientComparison[] {
  const derived = derivedHiddenQuartic().coefficients("w");
  const n = Math.max(derived.length, PRINTED_COEFFICIENTS_TIMES_C2.length);
  return Array.from({ length: n }, (_, k) => {
    const d = derived[k] ?? parsePoly("0");
    const p = parsePoly(PRINTED_COEFFICIENTS_TIMES_C2[k] ?? "0");
    return { power: k, derived: d.toString(), printed: p.toString(), difference: d.sub(p).toString() };
  });
}

/** disc_ω(P/ω): the quartic in x whose real roots are the edge candidates (variables x, c, D). */
export function hiddenEdgePolynomial(): Poly {
  return discriminant(derivedHiddenQuartic().exactQuotient(parsePoly("w"))!, "w");
}

/**
 * Real roots in x of the edge polynomial at given c and α_h (c and Δ = 1 − 2α_h substituted
 * exactly as the rationals nearest their float64 values), ascending.
 */
export function hiddenEdgeCandidates(c: number, alphaH: number): number[] {
  const values = {
    c: parsePoly(Rational.fromNumber(c).toString()),
    D: parsePoly(Rational.fromNumber(1 - 2 * alphaH).toString()),
  };
  const inX = hiddenEdgePolynomial().substituteAll(values);
  // Simple real roots come out with |Im| at rounding level.
  return polyRoots(inX, "x")
    .filter((r) => Math.abs(r.root.im) <= 1e-9 * (1 + Math.abs(r.root.re)))
    .map((r) => r.root.re);
}
