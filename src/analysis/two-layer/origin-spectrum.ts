/**
 * The Jacobian spectrum of two-layer curl descent at the origin W1 = 0, W2 = 0 (seed 001,
 * eq. 75): det(J − λI) = (−λ)^{MN−N} Π_i (λ² − d2_i Σ), Σ = Σ_j d1_j s_j².
 */
import { checkTwoLayerPoint, type TwoLayerPoint } from "./state.ts";

export interface ComplexNumber {
  re: number;
  im: number;
}

export interface OriginSpectrum {
  /** Σ = Σ_j d1_j s_j² (seed 001, eq. 11). */
  sigma: number;
  /** Multiplicity of the eigenvalue 0 from the factor (−λ)^{MN−N}. */
  zeroCount: number;
  /** The 2N eigenvalues ±sqrt(d2_i Σ), i = 1..N: real pairs where d2_i Σ > 0, imaginary otherwise. */
  pairs: ComplexNumber[];
}

/**
 * The spectrum at the origin for the parameters (s, d1, d2) of `p` (its weights are ignored).
 * Note that when Σ = 0 the 2N "pair" eigenvalues are zero as well.
 */
export function originSpectrum(p: TwoLayerPoint): OriginSpectrum {
  const { M, N } = checkTwoLayerPoint("originSpectrum", p);
  let sigma = 0;
  for (let j = 0; j < M; j++) sigma += p.d1[j]! * p.s[j]! ** 2;
  const pairs: ComplexNumber[] = [];
  for (let i = 0; i < N; i++) {
    const v = p.d2[i]! * sigma;
    const r = Math.sqrt(Math.abs(v));
    if (v >= 0) pairs.push({ re: r, im: 0 }, { re: -r, im: 0 });
    else pairs.push({ re: 0, im: r }, { re: 0, im: -r });
  }
  return { sigma, zeroCount: M * N - N, pairs };
}
