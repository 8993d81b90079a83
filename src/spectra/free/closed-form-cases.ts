/**
 * Named random-matrix expressions with known limits, shared by the tests and the sampled
 * comparison script: semicircle ⊞ semicircle, Marchenko-Pastur, the free product of two square
 * Wisharts (Fuss-Catalan), the anticommutator of two free semicirculars, and seed 001's manifold
 * matrix X = D1 + W1ᵀ D2 W1 (appendix B.4, W1 ∈ R^{N×M} iid N(0, 1/M), c = M/N).
 */
import * as E from "./expression.ts";

export function semicircleSum(a = 1, b = 0.5): E.MatrixExpr {
  const N = E.space("N");
  return E.sum(E.scale(a, E.wigner("S1", N)), E.scale(b, E.wigner("S2", N)));
}

export function wishart(c: number): E.MatrixExpr {
  const W = E.gaussian("W", E.space("N"), E.space("M", c));
  return E.product(E.transpose(W), W);
}

export function wishartProduct(): E.MatrixExpr {
  const N = E.space("N");
  const X1 = E.gaussian("X1", N, N);
  const X2 = E.gaussian("X2", N, N);
  return E.product(X2, E.transpose(X1), X1, E.transpose(X2));
}

export function anticommutator(): E.MatrixExpr {
  const N = E.space("N");
  const S1 = E.wigner("S1", N);
  const S2 = E.wigner("S2", N);
  return E.sum(E.product(S1, S2), E.product(S2, S1));
}

export function seed001Manifold(c: number, alphaH: number, alphaR: number): E.MatrixExpr {
  const N = E.space("N", 1);
  const M = E.space("M", c);
  const W1 = E.gaussian("W1", N, M);
  const D1 = E.diagonal("D1", M, E.signsLaw(alphaH));
  const D2 = E.diagonal("D2", N, E.signsLaw(alphaR));
  return E.sum(D1, E.product(E.transpose(W1), D2, W1));
}
