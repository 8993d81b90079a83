/**
 * The limiting spectral law of X = ‖W2‖² D1 + W1ᵀ D2 W1 on the solution manifold of two-layer
 * curl descent (seed 001, eq. 98 and appendix B.4), with W1 ∈ R^{N×M} iid N(0, 1/M), c = M/N,
 * and fractions α_h of D1's and α_r of D2's diagonal equal to −1:
 *   X ~ μ ⊞ ν,  μ = (1 − α_h) δ_{s} + α_h δ_{−s}  (s = ‖W2‖² → 1),
 *               ν = free compound Poisson, rate 1/c, jumps (1 − α_r) δ_1 + α_r δ_{−1}.
 * D1 is deterministic and W1ᵀD2W1 is orthogonally invariant, hence asymptotically free (eq. 111).
 * Both layers may be flipped at once (α_h > 0 and α_r > 0), which the paper does not treat.
 * The nonzero Jacobian eigenvalues are −x, x ∈ spec(X): stable iff the lower edge of X is > 0.
 */

import { type AtomicLaw, signLaw } from "../spectra/atomic-law.ts";
import { type CompoundPoissonLaw, freeCompoundPoisson } from "../spectra/compound-poisson.ts";
import { type FreeSum, freeAdditiveConvolution } from "../spectra/free-convolution.ts";
import {
  type LowerEdgeOptions,
  LowerEdgeProblem,
  type LowerEdgeResult,
  lowerEdgeOfProblem,
} from "../spectra/lower-edge.ts";
import { InvalidArgumentError, requireInRange } from "../util/errors.ts";

export interface CurlDescentParameters {
  /** c = M/N > 0. */
  c: number;
  /** α_h ∈ [0, 1]: fraction of flipped inputs of the hidden layer (D1). */
  alphaH: number;
  /** α_r ∈ [0, 1]: fraction of flipped hidden units in the readout (D2). */
  alphaR: number;
  /** ‖W2‖², 1 in the limit (default 1). */
  w2NormSquared?: number;
}

/** Checks the parameters, naming `fn` in errors. */
export function checkCurlDescentParameters(fn: string, p: CurlDescentParameters): void {
  if (!(typeof p.c === "number" && Number.isFinite(p.c) && p.c > 0)) {
    throw new InvalidArgumentError(fn, "c", "a finite number > 0 (c = M/N)", p.c);
  }
  requireInRange(fn, "alphaH", p.alphaH, 0, 1);
  requireInRange(fn, "alphaR", p.alphaR, 0, 1);
  if (p.w2NormSquared !== undefined)
    requireInRange(fn, "w2NormSquared", p.w2NormSquared, Number.MIN_VALUE, Number.MAX_VALUE);
}

export function curlDescentLaws(p: CurlDescentParameters): { mu: AtomicLaw; nu: CompoundPoissonLaw } {
  checkCurlDescentParameters("curlDescentLaws", p);
  return {
    mu: signLaw(p.alphaH, p.w2NormSquared ?? 1),
    nu: freeCompoundPoisson(1 / p.c, signLaw(p.alphaR)),
  };
}

/** The law of X as a free sum, for densities and edges. */
export function curlDescentSpectrum(p: CurlDescentParameters): FreeSum {
  const { mu, nu } = curlDescentLaws(p);
  return freeAdditiveConvolution(mu, nu);
}

/**
 * The lower edge of X's limiting spectrum (one scalar root per call). Pass a `problem` to reuse
 * its storage across calls (maps); it is overwritten.
 */
export function curlDescentLowerEdge(
  p: CurlDescentParameters,
  options: LowerEdgeOptions = {},
  problem: LowerEdgeProblem = new LowerEdgeProblem(),
): LowerEdgeResult {
  checkCurlDescentParameters("curlDescentLowerEdge", p);
  problem.setSignLaws(p.w2NormSquared ?? 1, p.alphaH, 1 / p.c, p.alphaR);
  return lowerEdgeOfProblem(problem, options);
}
