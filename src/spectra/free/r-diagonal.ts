/**
 * The Brown measure of an R-diagonal element from the law ν of its squared modulus T*T
 * (Haagerup and Larsen 2000, theorem 4.4; the single-ring theorem of Guionnet, Krishnapur and
 * Zeitouni 2011 for U T V with U, V Haar): rotation invariant, supported on the ring
 *     (∫ t⁻¹ dν)^{−1/2} ≤ |λ| ≤ (∫ t dν)^{1/2},
 * with radial distribution F(r) = μ(|λ| ≤ r) given by S_ν(F − 1) = 1/r², S_ν the S-transform:
 *     ψ(z) = ∫ zt/(1 − zt) dν(t) = −1 + G_ν(1/z)/z,   χ = ψ⁻¹,   S(w) = χ(w)(1 + w)/w,
 * so for F ∈ (0, 1), with z < 0 the root of ψ(z) = F − 1,  r(F)² = (F − 1)/(F z).
 * ν is the law of a self-adjoint polynomial (T*T, e.g. T'·T of a diagonal or of Gaussians), its
 * Cauchy transform at negative reals (outside the support) from the general engine.
 */
import { InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import type { MatrixExpr } from "./expression.ts";
import { illinoisRoot } from "./illinois.ts";
import { type PolynomialSpectrum, polynomialCauchy, polynomialSpectrum } from "./polynomial-spectrum.ts";
import { spectralEdge } from "./real-branch.ts";

export interface RDiagonalBrownMeasure {
  readonly modulusSquared: PolynomialSpectrum;
  /** r(F): the radius within which the measure has mass F (the quantile function of |λ|). */
  radiusAt(F: number): number;
  readonly innerRadius: number;
  readonly outerRadius: number;
}

/** ψ(z) for z < 0. */
function psi(s: PolynomialSpectrum, z: number): number {
  return -1 + polynomialCauchy(s, { re: 1 / z, im: 0 }).re / z;
}

/**
 * z < 0 with ψ(z) = w ∈ (−1, 0): ψ increases from −1 (z → −∞) to 0 (z → 0⁻); Illinois in
 * u = log(−z) to relative 1e-12, the bracket widened by factors of 10 (at most 60 times).
 */
function psiInverse(s: PolynomialSpectrum, w: number): number {
  const fn = "rDiagonalBrownMeasure";
  const f = (u: number) => psi(s, -Math.exp(u)) - w;
  // f decreases in u (ψ increases in z = −e^u): find f(a) > 0 > f(b).
  let a = 0;
  let fa = f(a);
  let b = a;
  let fb = fa;
  for (let k = 0; !(fa > 0 && fb < 0); k++) {
    if (k > 60) throw new NumericFailureError(fn, "no bracket for ψ(z) = w", { w, u: [a, b] });
    if (fa > 0) {
      b += Math.log(10);
      fb = f(b);
    } else {
      a -= Math.log(10);
      fa = f(a);
    }
  }
  const u = illinoisRoot(fn, f, { a, fa, b, fb }, (x) => 1e-12 * Math.max(1, Math.abs(x)));
  return -Math.exp(u);
}

/**
 * `modulusSquared`: a self-adjoint expression for T*T (≥ 0). The radii are the limits of r(F) at
 * F → 0 and 1: r(1e-10) (relative error ~1e-10 when ∫ t⁻¹ < ∞; where ν's lower edge is 0, as
 * for products of square Gaussian matrices whose hard edge makes ∫ t⁻¹ infinite, the inner radius
 * is 0 and is not computed) and the linear extrapolation of
 * r(1 − 1e-5), r(1 − 2e-5) to F = 1 (bias O(1e-10); rounding of ψ ≈ −F' with F' = 1 − F, 1e-14/1e-5).
 */
export function rDiagonalBrownMeasure(modulusSquared: MatrixExpr): RDiagonalBrownMeasure {
  const s = polynomialSpectrum(modulusSquared);
  const radiusAt = (F: number) => {
    if (!(F > 0 && F < 1)) throw new InvalidArgumentError("radiusAt", "F", "a mass in (0, 1)", F);
    const z = psiInverse(s, F - 1);
    return Math.sqrt((F - 1) / (F * z));
  };
  const r1 = radiusAt(1 - 1e-5);
  const r2 = radiusAt(1 - 2e-5);
  const lower = spectralEdge(s.problem, "lower", { scale: s.scale }).x;
  return {
    modulusSquared: s,
    radiusAt,
    innerRadius: lower <= 1e-9 * s.scale ? 0 : radiusAt(1e-10),
    outerRadius: 2 * r1 - r2,
  };
}
