/**
 * Outliers of a finite-rank perturbation X + P, P = Σ θ_i u_i u_iᵀ with orthonormal u_i in
 * general position with respect to X (independent of it, or delocalized): eigenvalues of X + P
 * away from X's limiting spectrum converge to the solutions of
 *     det(I − Θ Uᵀ(λ − X)⁻¹U) = 0,   Uᵀ(λ − X)⁻¹U → G(λ) I  (G = τ[(λ − X)⁻¹]),
 * that is G(λ) = 1/θ_i for each i, outside the support.
 * - Self-adjoint X (Baik, Ben Arous and Péché 2005; Benaych-Georges and Nadakuditi 2011): a real
 *   solution beyond the upper edge for θ > 0 (below the lower edge for θ < 0) exists iff
 *   |G(edge)| > 1/|θ| (G decreases from G(upper edge) to 0 on the right, similarly on the left).
 *   Outliers inside gaps of the support are not looked for.
 * - Non-self-adjoint X (Tao 2013 for iid matrices, where G(λ) = 1/λ outside the unit disk and
 *   the outliers are the θ_i with |θ_i| > 1): G from the hermitization outside the Brown
 *   measure's support (brownCauchy), λ by the secant method on 1/G(λ) − θ from λ = θ, kept only
 *   where it converges outside the support.
 */
import { InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import { type Complex, cdiv, csub } from "../complex.ts";
import { type BrownMeasure, brownCauchy, inBrownSupport } from "./brown-measure.ts";
import { illinoisRoot } from "./illinois.ts";
import { type PolynomialSpectrum, polynomialCauchy } from "./polynomial-spectrum.ts";
import { spectralEdge } from "./real-branch.ts";

export interface Outlier {
  theta: number;
  /** The limit of the outlier, or null when the perturbation leaves none (|θ| at or below threshold). */
  location: number | null;
  /** The edge beside it, and 1/|G| at edge ± 1e-9 (1 + scale): the threshold |θ| must exceed (to O(√1e-9) at a square-root edge). */
  edge: number;
  threshold: number;
}

/** Outliers of a self-adjoint X + θ u uᵀ beside the outer edges, one per θ. */
export function selfAdjointOutliers(s: PolynomialSpectrum, thetas: readonly number[]): Outlier[] {
  const fn = "selfAdjointOutliers";
  const edges = {
    upper: spectralEdge(s.problem, "upper", { scale: s.scale }).x,
    lower: spectralEdge(s.problem, "lower", { scale: s.scale }).x,
  };
  const G = (x: number) => polynomialCauchy(s, { re: x, im: 0 }).re;
  return thetas.map((theta, k) => {
    if (!(Number.isFinite(theta) && theta !== 0))
      throw new InvalidArgumentError(fn, `thetas[${k}]`, "a finite nonzero number", theta);
    const sigma = Math.sign(theta);
    const edge = sigma > 0 ? edges.upper : edges.lower;
    const delta = 1e-9 * (1 + s.scale);
    const f = (x: number) => G(x) - 1 / theta;
    const a = edge + sigma * delta;
    const fa = f(a);
    const threshold = 1 / Math.abs(G(a));
    // Past the threshold f changes sign between the edge and edge ± (|θ| + 2 scale): |G(x)| ≤ 1/(|x − edge| ... ) there.
    if (!(sigma * fa > 0)) return { theta, location: null, edge, threshold };
    const b = edge + sigma * (Math.abs(theta) + 2 * s.scale + 1);
    const fb = f(b);
    if (sigma * fb > 0)
      throw new NumericFailureError(fn, "G(x) − 1/θ keeps its sign beyond the edge", { theta, edge, far: b });
    const location = illinoisRoot(fn, f, { a, fa, b, fb }, (x) => 1e-13 * (1 + Math.abs(x)));
    return { theta, location, edge, threshold };
  });
}

export interface BrownOutlier {
  theta: Complex;
  /** The limit of the outlier, or null with the reason. */
  location: Complex | null;
  reason?: string;
}

/**
 * Outliers of a non-self-adjoint X + P for P's nonzero eigenvalues θ (complex in conjugate pairs
 * for a real P): for each, the secant method on f(λ) = 1/G(λ) − θ from λ₀ = θ, λ₁ = θ(1 + 10⁻³),
 * to |f| ≤ 1e-11 (1 + |θ|) within 60 steps; a limit inside the support, or no convergence, is no
 * outlier (the reason says which).
 */
export function brownOutliers(b: BrownMeasure, thetas: readonly Complex[]): BrownOutlier[] {
  const fn = "brownOutliers";
  return thetas.map((theta, k) => {
    if (!(Number.isFinite(theta.re) && Number.isFinite(theta.im) && (theta.re !== 0 || theta.im !== 0)))
      throw new InvalidArgumentError(fn, `thetas[${k}]`, "a finite nonzero complex number", theta);
    const f = (l: Complex) => csub(cdiv({ re: 1, im: 0 }, brownCauchy(b, l)), theta);
    let x0 = theta;
    let x1 = { re: theta.re * (1 + 1e-3), im: theta.im * (1 + 1e-3) };
    if (x1.re === x0.re && x1.im === x0.im) x1 = { re: theta.re + 1e-3, im: theta.im };
    let f0 = f(x0);
    let f1 = f(x1);
    const tol = 1e-11 * (1 + Math.hypot(theta.re, theta.im));
    for (let it = 0; it < 60; it++) {
      if (Math.hypot(f1.re, f1.im) <= tol) {
        if (inBrownSupport(b, x1))
          return { theta, location: null, reason: "the solution of G(λ) = 1/θ lies inside the support" };
        return { theta, location: x1 };
      }
      const step = cdiv(
        {
          re: f1.re * (x1.re - x0.re) - f1.im * (x1.im - x0.im),
          im: f1.re * (x1.im - x0.im) + f1.im * (x1.re - x0.re),
        },
        csub(f1, f0),
      );
      x0 = x1;
      f0 = f1;
      x1 = csub(x1, step);
      if (
        !(Number.isFinite(x1.re) && Number.isFinite(x1.im)) ||
        Math.hypot(x1.re, x1.im) > 10 * (b.scale + Math.hypot(theta.re, theta.im))
      )
        return { theta, location: null, reason: "the secant iteration left the region of the spectrum" };
      f1 = f(x1);
    }
    return { theta, location: null, reason: "the secant iteration did not converge in 60 steps" };
  });
}
