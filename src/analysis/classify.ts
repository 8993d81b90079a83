/**
 * Classification of a fixed point from the eigenvalues of its Jacobian, by system kind
 * (DynamicalSystems.jl's convention): a flow is decided by the real parts (stable when all are
 * negative), a map by the moduli (stable when all are inside the unit circle).
 */
import { type Complex, numericRoots } from "../expr/index.ts";
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

/**
 * Eigenvalues of a small float64 matrix, as the roots ({@link numericRoots}, Newton-polished) of
 * its characteristic polynomial by the Faddeev-LeVerrier recursion (a coefficient that comes out
 * exactly zero gives an exactly zero eigenvalue); the roots come from the iteration-bounded QR
 * of the companion matrix (realEigen: ml-matrix's unbounded QR cycled on exactly structured
 * Jacobians such as [[0, a, 0], [-a, 0, -b], [0, b, 0]], met at fixed points of a mutated
 * saxe-depth3 rule). A NaN or infinite entry is refused with a NumericFailureError.
 */
export function matrixEigenvalues(J: readonly (readonly number[])[]): Complex[] {
  if (!J.every((row) => row.every(Number.isFinite))) {
    throw new NumericFailureError("matrixEigenvalues", "a Jacobian entry is not a finite float64", { J });
  }
  const n = J.length;
  // c[k]: coefficient of lambda^k of det(lambda I - J); M_k = J M_{k-1} + c[n-k+1] I
  const c = new Array<number>(n + 1).fill(0);
  c[n] = 1;
  let M = J.map((row) => row.map(() => 0));
  for (let k = 1; k <= n; k++) {
    const JM = J.map((row, i) => row.map((_, j) => row.reduce((s, x, l) => s + x * M[l]![j]!, 0)));
    M = JM.map((row, i) => row.map((x, j) => x + (i === j ? c[n - k + 1]! : 0)));
    let trace = 0;
    for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) trace += J[i]![l]! * M[l]![i]!;
    c[n - k] = -trace / k;
  }
  return numericRoots(c);
}

/** Signed distance from the stability boundary: Re(z) for a flow, |z| - 1 for a map. */
export function growth(z: Complex, kind: RuleKind): number {
  return kind === "flow" ? z.re : Math.hypot(z.re, z.im) - 1;
}

/** The class of a fixed point with these eigenvalues (multiplicities repeated). */
export function classifyEigenvalues(eigenvalues: readonly Complex[], kind: RuleKind): PointClass {
  // an overflowed or undefined eigenvalue decides nothing: no class rather than a wrong one
  const bad = eigenvalues.find((z) => !Number.isFinite(z.re) || !Number.isFinite(z.im));
  if (bad)
    throw new NumericFailureError("classifyEigenvalues", "an eigenvalue is not a finite float64", {
      eigenvalue: bad,
    });
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
