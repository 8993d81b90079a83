/**
 * The stability boundary of feedback alignment's teacher point (rules/feedback-alignment.rule,
 * linear φ, population field) from its reduced matrix X_FA = g D₁ + W₁ᵀD₂W₁, g = W₂·B
 * (feedbackAlignmentManifold): the nonzero eigenvalues of the Jacobian are −½ spec(X_FA), so the
 * point is stable iff X_FA's lowest eigenvalue is > 0.
 *
 * For large networks g → 0 and α_h drops out: at α_r = 0 the lower edge is (1 − √c)²/c, positive
 * for every c < 1, and W₁ᵀW₁ is singular beyond c = 1 (stability then hangs on the sign of g D₁
 * on its kernel). In a network of N hidden units g is not small: W₂ and B have iid N(0, 1/N)
 * entries (teacherScale = 1), so g ~ N(0, 1/N), and the edge (1 − √c)²/c is overtaken by g's
 * perturbation where (1 − √c)² ≈ c|g|, which suggests 1 − c* of order N^{−1/4}: a slow approach
 * to 1 (the annealed c* below gives 1 − c* = 0.14, 0.072, 0.016 at N = 10³, 10⁴, 10⁶ for α_h = 0.25,
 * bench/results/feedback-alignment-boundary.json).
 * `annealedLowerEdge` is the deterministic equivalent at finite N: the lower edge of the limit law
 * of g D₁ + W₁ᵀD₂W₁ at fixed g (general engine), averaged over g ~ N(0, 1/N), the mean that
 * `learndyn phase RULE --sampled` takes over seeds (up to the lowest eigenvalue's own
 * fluctuations about its edge, of order M^{−2/3}). The average is split at g = 0, where the edge
 * has a kink, and each half taken by 8-point Gauss-Legendre on [0, 7/√N] (the normal tail beyond
 * 7 standard deviations holds 1e-12 of the mass).
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import { lowerEdgeOf } from "./critical-parameter.ts";
import { illinoisRoot } from "./illinois.ts";
import { feedbackAlignmentManifold } from "./non-hermitian-cases.ts";

const LEGENDRE_NODES = [
  -0.9602898564975362, -0.7966664774136267, -0.525532409916329, -0.18343464249564978, 0.18343464249564978,
  0.525532409916329, 0.7966664774136267, 0.9602898564975362,
];
const LEGENDRE_WEIGHTS = [
  0.10122853629037706, 0.22238103445337443, 0.3137066458778869, 0.36268378337836166, 0.36268378337836166,
  0.3137066458778869, 0.22238103445337443, 0.10122853629037706,
];

/** E_g[lower edge of g D₁ + W₁ᵀD₂W₁], g ~ N(0, 1/N), at ratio c = M/N. */
export function annealedLowerEdge(c: number, alphaH: number, alphaR: number, N: number): number {
  if (!(Number.isFinite(N) && N > 0))
    throw new InvalidArgumentError("annealedLowerEdge", "N", "a size > 0", N);
  const sd = 1 / Math.sqrt(N);
  const half = 7 * sd;
  let mean = 0;
  for (const sign of [-1, 1])
    LEGENDRE_NODES.forEach((x, k) => {
      const g = (0.5 * (x + 1) * half) / sd; // in standard deviations
      const density = Math.exp(-0.5 * g * g) / Math.sqrt(2 * Math.PI);
      const edge = lowerEdgeOf((v) => feedbackAlignmentManifold(v, alphaH, alphaR, sign * g * sd), c);
      mean += 0.5 * LEGENDRE_WEIGHTS[k]! * (half / sd) * density * edge;
    });
  return mean;
}

/**
 * The ratio c ∈ [lo, hi] where the annealed lower edge crosses 0, N hidden units given as a
 * function of c (the sampled runs fix T = M + N: N = T − round(cT/(1 + c))); null when the edge
 * keeps one sign on [lo, hi]. Illinois in c to 1e-6.
 */
export function feedbackAlignmentCriticalRatio(
  alphaH: number,
  alphaR: number,
  hiddenUnits: (c: number) => number,
  lo = 0.2,
  hi = 0.999,
): number | null {
  const f = (c: number) => annealedLowerEdge(c, alphaH, alphaR, hiddenUnits(c));
  const fa = f(lo);
  const fb = f(hi);
  if (Math.sign(fa) === Math.sign(fb)) return null;
  return illinoisRoot("feedbackAlignmentCriticalRatio", f, { a: lo, fa, b: hi, fb }, () => 1e-6);
}
