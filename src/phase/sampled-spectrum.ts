/**
 * Finite-size samples of the manifold matrix X = ‖W2‖² D1 + W1ᵀ D2 W1 of two-layer curl descent
 * (seed 001, eq. 98) with the statistics of eq. 102: W1 ∈ R^{N×M} iid N(0, 1/M),
 * W2 ∈ R^{1×N} iid N(0, 1/N), N = round(M/c), round(α_h M) of D1's and round(α_r N) of D2's
 * signs equal to −1 (their positions do not matter: W1's law is invariant under permutations).
 */
import { symmetricEigenvalues } from "../spectra/symmetric-eigenvalues.ts";
import { BoundExceededError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { type CurlDescentParameters, checkCurlDescentParameters } from "./curl-descent-law.ts";

/** Largest M·N·M (the flop count of forming X) a sample may take. */
export const SAMPLE_MAX_WORK = 2e10;

export interface SampledManifoldSpectrum {
  M: number;
  N: number;
  /** The sampled ‖W2‖². */
  w2NormSquared: number;
  /** Eigenvalues of X, ascending. */
  eigenvalues: Float64Array;
}

export function sampleManifoldSpectrum(
  p: CurlDescentParameters,
  M: number,
  seed: number,
): SampledManifoldSpectrum {
  const fn = "sampleManifoldSpectrum";
  checkCurlDescentParameters(fn, p);
  requirePositiveInteger(fn, "M", M, 20_000);
  requireInRange(fn, "seed", seed, -(2 ** 53), 2 ** 53);
  const N = Math.max(1, Math.round(M / p.c));
  if (M * M * N > SAMPLE_MAX_WORK)
    throw new BoundExceededError(fn, "work M²N", SAMPLE_MAX_WORK, M * M * N, "lower M or raise c");
  const rng = new Rng(seed);
  const w2 = rng.normals(N, 0, 1 / Math.sqrt(N));
  const w2NormSquared = w2.reduce((s, w) => s + w * w, 0);
  const flippedH = Math.round(p.alphaH * M);
  const flippedR = Math.round(p.alphaR * N);
  const X = new Float64Array(M * M);
  const row = new Float64Array(M);
  const sd = 1 / Math.sqrt(M);
  for (let k = 0; k < N; k++) {
    for (let j = 0; j < M; j++) row[j] = sd * rng.normal();
    const d2 = k < flippedR ? -1 : 1;
    for (let a = 0; a < M; a++) {
      const ra = d2 * row[a]!;
      const base = a * M;
      for (let b = 0; b <= a; b++) X[base + b]! += ra * row[b]!;
    }
  }
  for (let j = 0; j < M; j++) X[j * M + j]! += w2NormSquared * (j < flippedH ? -1 : 1);
  return { M, N, w2NormSquared, eigenvalues: symmetricEigenvalues(X, M) };
}
