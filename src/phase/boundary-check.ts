/**
 * A sampled check of a stability boundary: on either side of c*(α_h, α_r), at c* ÷ factor and
 * c*·factor, sample X = ‖W2‖²D1 + W1ᵀD2W1 at M inputs and compare its smallest eigenvalue with
 * the predicted lower edge (given the sampled ‖W2‖²). The boundary agrees with the samples when
 * the smallest eigenvalue is positive below c* and negative above it.
 */
import { curlDescentLowerEdge } from "./curl-descent-law.ts";
import { sampleManifoldSpectrum } from "./sampled-spectrum.ts";

export interface SideCheck {
  c: number;
  N: number;
  smallestEigenvalue: number;
  /** Predicted lower edge given the sampled ‖W2‖² (null if the edge search failed). */
  predictedEdge: number | null;
}

export interface BoundaryCheck {
  below: SideCheck;
  above: SideCheck;
  /** λ_min > 0 below c* and λ_min < 0 above. */
  agrees: boolean;
}

export function checkBoundaryBySampling(
  cStar: number,
  alphaH: number,
  alphaR: number,
  M: number,
  seed: number,
  factor = 1.5,
): BoundaryCheck {
  const side = (c: number, s: number): SideCheck => {
    const sample = sampleManifoldSpectrum({ c, alphaH, alphaR }, M, s);
    const edge = curlDescentLowerEdge({ c, alphaH, alphaR, w2NormSquared: sample.w2NormSquared });
    return {
      c,
      N: sample.N,
      smallestEigenvalue: sample.eigenvalues[0]!,
      predictedEdge: edge.ok ? edge.edge : null,
    };
  };
  const below = side(cStar / factor, seed);
  const above = side(cStar * factor, seed + 1);
  return { below, above, agrees: below.smallestEigenvalue > 0 && above.smallestEigenvalue < 0 };
}
