/**
 * Non-self-adjoint random-matrix expressions with known Brown measures, shared by the tests and
 * the sampled comparison scripts:
 * - `ginibre()`: G ∈ R^{N×N}, iid N(0, 1/N): the circular law, uniform on the unit disk (Ginibre
 *   1965; Girko; Tao and Vu 2010 for iid entries);
 * - `elliptic(τ)`: entries with E X_ij² = 1/N and E X_ij X_ji = τ/N, τ ∈ (−1, 1): uniform on the
 *   ellipse with semi-axes 1 + τ (real) and 1 − τ (imaginary), density 1/(π(1 − τ²)) (Girko 1985;
 *   Sommers, Crisanti, Sompolinsky and Stein 1988), as √τ S + √(1 − τ) G with S Wigner for τ ≥ 0
 *   and √|τ| (H − Hᵀ)/√2 + √(1 − |τ|) G for τ < 0;
 * - `ginibreProduct()`: G₁G₂, R-diagonal, density 1/(2π|λ|) on the unit disk (Burda, Janik and
 *   Waclaw 2010: |λ|^{2/k − 2}/(kπ) for k factors);
 * - `haarTimesDiagonal(atoms, weights)`: U T with U Haar orthogonal and T diagonal with the given
 *   singular values: R-diagonal, its Brown measure on the single ring
 *   (∫ s⁻²)^{−1/2} ≤ |λ| ≤ (∫ s²)^{1/2} (Haagerup and Larsen 2000; Guionnet, Krishnapur and
 *   Zeitouni 2011), see r-diagonal.ts.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import * as E from "./expression.ts";

export function ginibre(): E.MatrixExpr {
  const N = E.space("N");
  return E.gaussian("G", N, N);
}

export function elliptic(tau: number): E.MatrixExpr {
  if (!(Number.isFinite(tau) && tau > -1 && tau < 1))
    throw new InvalidArgumentError("elliptic", "tau", "a number in (−1, 1)", tau);
  const N = E.space("N");
  const G = E.gaussian("G", N, N);
  if (tau === 0) return G;
  const noise = E.scale(Math.sqrt(1 - Math.abs(tau)), G);
  if (tau > 0) return E.sum(E.scale(Math.sqrt(tau), E.wigner("S", N)), noise);
  const H = E.gaussian("H", N, N);
  return E.sum(E.scale(Math.sqrt(-tau / 2), E.sum(H, E.scale(-1, E.transpose(H)))), noise);
}

export function ginibreProduct(): E.MatrixExpr {
  const N = E.space("N");
  return E.product(E.gaussian("G1", N, N), E.gaussian("G2", N, N));
}

export function haarTimesDiagonal(atoms: readonly number[], weights: readonly number[]): E.MatrixExpr {
  const N = E.space("N");
  return E.product(E.haar("U", N), E.diagonal("T", N, E.atomsLaw(atoms, weights)));
}

/** The elliptic law's density inside its ellipse (and 0 outside). */
export function ellipticDensity(tau: number, lambda: { re: number; im: number }): number {
  const inside = (lambda.re / (1 + tau)) ** 2 + (lambda.im / (1 - tau)) ** 2 <= 1;
  return inside ? 1 / (Math.PI * (1 - tau * tau)) : 0;
}

/**
 * The reduced Jacobian of three-layer curl descent (rules/curl-descent-3.rule, linear φ, population
 * field with E xxᵀ = I/2) at the teacher point: with e = rᵀx, rᵀ = W₃W₂W₁ − V₃V₂V₁, the field is
 * Ẇ₃ = −½ rᵀW₁ᵀW₂ᵀD₃, Ẇ₂ = −½ W₃ᵀrᵀW₁ᵀD₂, Ẇ₁ = −½ W₂ᵀW₃ᵀrᵀD₁, so J = −½ A∘R with
 * R: δW ↦ δrᵀ = δW₃W₂W₁ + W₃δW₂W₁ + W₃W₂δW₁ and A: rᵀ ↦ (the three updates), and the nonzero
 * eigenvalues of J are −½ spec(R∘A) = −½ spec(X₃),
 *     X₃ = ‖W₃‖² W₁ᵀD₂W₁ + ‖W₃W₂‖² D₁ + W₁ᵀW₂ᵀD₃W₂W₁   (M × M, symmetric),
 * the three-layer counterpart of seed 001's ‖W₂‖²D₁ + W₁ᵀD₂W₁ (eq. 98). At the teacher point
 * W_l = V_l: W₁ ∈ R^{N₁×M} iid N(0, 1/M), W₂ ∈ R^{N₂×N₁} iid N(0, 1/N₁), W₃ iid N(0, 1/N₂), so
 * ‖W₃‖² → 1 and ‖W₃W₂‖² → 1 as the sizes grow with c = M/N₁ and r = N₂/N₁ fixed. The teacher point
 * is stable (off the zero modes) iff the lower edge of X₃'s law is > 0.
 */
export function curlDescent3Manifold(c: number, alpha1: number, alpha2 = 0, alpha3 = 0, r = 1): E.MatrixExpr {
  const N1 = E.space("N1", 1);
  const N2 = E.space("N2", r);
  const M = E.space("M", c);
  const W1 = E.gaussian("W1", N1, M);
  const W2 = E.gaussian("W2", N2, N1);
  const D1 = E.diagonal("D1", M, E.signsLaw(alpha1));
  const D2 = E.diagonal("D2", N1, E.signsLaw(alpha2));
  const D3 = E.diagonal("D3", N2, E.signsLaw(alpha3));
  return E.sum(
    D1,
    E.product(E.transpose(W1), D2, W1),
    E.product(E.transpose(W1), E.transpose(W2), D3, W2, W1),
  );
}

/**
 * The reduced Jacobian of feedback alignment (rules/feedback-alignment.rule, linear φ, population
 * field, E xxᵀ = I/2) at the teacher point: Ẇ₁ = −½ B rᵀD₁, Ẇ₂ = −½ rᵀW₁ᵀD₂ with the fixed
 * feedback B ∈ R^N in place of W₂ᵀ, so the nonzero eigenvalues of J are −½ spec(X_FA),
 *     X_FA = (W₂·B) D₁ + W₁ᵀD₂W₁   (M × M),
 * seed 001's ‖W₂‖²D₁ + W₁ᵀD₂W₁ (eq. 98) with ‖W₂‖² replaced by the overlap W₂·B. For B and the
 * teacher's W₂ independent with iid N(0, 1/N) entries, W₂·B has mean 0 and variance 1/N, so for
 * large networks X_FA → W₁ᵀD₂W₁ and D₁ (α_h) drops out; `overlap` keeps a finite value of W₂·B
 * (0, the limit, by default).
 */
export function feedbackAlignmentManifold(
  c: number,
  alphaH: number,
  alphaR: number,
  overlap = 0,
): E.MatrixExpr {
  const N = E.space("N", 1);
  const M = E.space("M", c);
  const W1 = E.gaussian("W1", N, M);
  const D2 = E.diagonal("D2", N, E.signsLaw(alphaR));
  const bulk = E.product(E.transpose(W1), D2, W1);
  if (overlap === 0) return bulk;
  return E.sum(E.scale(overlap, E.diagonal("D1", M, E.signsLaw(alphaH))), bulk);
}
