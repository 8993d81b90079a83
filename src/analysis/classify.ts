/**
 * Classification of a fixed point from the eigenvalues of its Jacobian, by system kind
 * (DynamicalSystems.jl's convention): a flow is decided by the real parts (stable when all are
 * negative), a map by the moduli (stable when all are inside the unit circle).
 */
import type { Complex } from "../expr/index.ts";
import type { RuleKind } from "../rules/index.ts";
import { NumericFailureError } from "../util/errors.ts";

export type PointClass =
  | "stable node"
  | "stable focus"
  | "unstable node"
  | "unstable focus"
  | "saddle"
  | "center"
  | "non-hyperbolic";

/**
 * Tolerance for deciding "on the boundary" (zero real part, unit modulus) and "real": the
 * eigenvalues come from exact characteristic polynomials evaluated in float64, so their errors
 * are a few ulps of their size: 1e-9 (1 + |lambda|) is far above that and far below any
 * eigenvalue the analyses care about.
 */
export function boundaryTolerance(z: Complex): number {
  return 1e-9 * (1 + Math.hypot(z.re, z.im));
}

/** Signed distance from the stability boundary: Re(z) for a flow, |z| - 1 for a map. */
export function growth(z: Complex, kind: RuleKind): number {
  return kind === "flow" ? z.re : Math.hypot(z.re, z.im) - 1;
}

/** The class of a fixed point with these eigenvalues (multiplicities repeated). */
export function classifyEigenvalues(eigenvalues: readonly Complex[], kind: RuleKind): PointClass {
  // an overflowed or undefined eigenvalue decides nothing: no class rather than a wrong one
  const bad = eigenvalues.find((z) => !Number.isFinite(z.re) || !Number.isFinite(z.im));
  if (bad) throw new NumericFailureError("classifyEigenvalues", "an eigenvalue is not a finite float64", { eigenvalue: bad });
  const g = eigenvalues.map((z) => {
    const d = growth(z, kind);
    return Math.abs(d) <= boundaryTolerance(z) ? 0 : Math.sign(d);
  });
  const isReal = (z: Complex) => Math.abs(z.im) <= boundaryTolerance(z);
  if (g.some((s) => s === 0)) {
    const allOnBoundary = g.every((s) => s === 0);
    // a linear center: every eigenvalue on the boundary and none real (no zero eigenvalue of a
    // flow, no multiplier +-1 of a map)
    return allOnBoundary && eigenvalues.every((z) => !isReal(z)) ? "center" : "non-hyperbolic";
  }
  const allReal = eigenvalues.every(isReal);
  if (g.every((s) => s < 0)) return allReal ? "stable node" : "stable focus";
  if (g.every((s) => s > 0)) return allReal ? "unstable node" : "unstable focus";
  return "saddle";
}
