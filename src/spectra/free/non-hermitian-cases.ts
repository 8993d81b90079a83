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
