/**
 * Newton's method for the small square or overdetermined (consistent) systems of continuation:
 * steps are minimum-norm least-squares solutions (Gauss-Newton), so a rank-deficient Jacobian
 * (an overdetermined family system, a nearly singular extended system) still gives a step. The
 * Jacobian is given or taken by central differences (step 1e-6 (1 + |u_i|): truncation error
 * ~1e-12 relative, far below what convergence needs, since the residual itself is evaluated
 * exactly). Bounded by `maxIterations`; a failure says where it stopped.
 */
import { leastSquares, norm2 } from "./linear-algebra.ts";

export type VectorFunction = (u: readonly number[]) => number[];

export interface NewtonSolveOptions {
  jacobian?: (u: readonly number[]) => number[][];
  maxIterations?: number;
  /** Stop when the step's norm is below this (default 1e-12 (1 + |u|)). */
  stepTolerance?: number;
  /** And the residual's norm below this (default 1e-10). */
  residualTolerance?: number;
}

export interface NewtonSolveResult {
  ok: boolean;
  u: number[];
  residual: number;
  iterations: number;
  reason?: string;
}

/** Central-difference Jacobian of G at u. */
export function finiteDifferenceJacobian(G: VectorFunction, u: readonly number[]): number[][] {
  const cols = u.map((ui, j) => {
    const h = 1e-6 * (1 + Math.abs(ui));
    const up = [...u];
    const um = [...u];
    up[j] = ui + h;
    um[j] = ui - h;
    const gp = G(up);
    const gm = G(um);
    return gp.map((v, i) => (v - gm[i]!) / (2 * h));
  });
  return cols[0]!.map((_, i) => cols.map((c) => c[i]!));
}

/** Solves G(u) = 0 from u0; see the module comment. */
export function newtonSolve(
  G: VectorFunction,
  u0: readonly number[],
  options: NewtonSolveOptions = {},
): NewtonSolveResult {
  const maxIterations = options.maxIterations ?? 30;
  const resTol = options.residualTolerance ?? 1e-10;
  let u = [...u0];
  let g = G(u);
  for (let it = 1; it <= maxIterations; it++) {
    if (!g.every(Number.isFinite))
      return { ok: false, u, residual: Number.NaN, iterations: it, reason: "non-finite residual" };
    const A = options.jacobian ? options.jacobian(u) : finiteDifferenceJacobian(G, u);
    const step = leastSquares(
      A,
      g.map((v) => -v),
    );
    u = u.map((v, i) => v + step[i]!);
    g = G(u);
    const stepTol = options.stepTolerance ?? 1e-12 * (1 + norm2(u));
    if (norm2(step) <= stepTol && norm2(g) <= resTol)
      return { ok: true, u, residual: norm2(g), iterations: it };
    if (norm2(step) <= 1e-15 * (1 + norm2(u)))
      return norm2(g) <= resTol
        ? { ok: true, u, residual: norm2(g), iterations: it }
        : { ok: false, u, residual: norm2(g), iterations: it, reason: "stalled with a nonzero residual" };
  }
  const r = norm2(g);
  return r <= resTol
    ? { ok: true, u, residual: r, iterations: maxIterations }
    : {
        ok: false,
        u,
        residual: r,
        iterations: maxIterations,
        reason: `no convergence in ${maxIterations} iterations`,
      };
}
