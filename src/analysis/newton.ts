/**
 * Numeric zeros of a system F: R^n -> R^n by damped Newton iteration with deflation
 * (P. E. Farrell, A. Birkisson, S. W. Funke, "Deflation techniques for finding distinct
 * solutions of nonlinear partial differential equations", SIAM J. Sci. Comput. 37, 2015):
 * after a root r is found, Newton runs on G(x) = M(x) F(x) with the shifted deflation
 * M(x) = prod_r (1/||x - r||^2 + 1), so the same root is not found again. The deflated step
 * is the plain step scaled by 1 / (1 - grad(log M) . step) (Sherman-Morrison).
 *
 * Many seeded starts; every start is bounded (iterations) and every failure is reported with
 * where it happened, never silently dropped.
 */
import { LuDecomposition, Matrix } from "ml-matrix";
import type { Budget } from "../util/budget.ts";
import { Rng } from "../util/random.ts";

export interface NewtonProblem {
  /** Dimension n. */
  n: number;
  /** F(x), length n. */
  F(x: readonly number[]): number[];
  /** Jacobian dF_i/dx_j at x. */
  J(x: readonly number[]): number[][];
  /**
   * Scale of the rounding error of F at x (e.g. the sum of absolute values of the polynomial's
   * terms); the acceptance tolerance is `1e-10 * (1 + magnitude(x))`.
   */
  magnitude?(x: readonly number[]): number;
}

export interface NewtonOptions {
  /** Number of random starts (default 40). */
  starts?: number;
  /** Seed of the starts (default 1). */
  seed?: number;
  /** Standard deviation of the normal starting points (default 2). */
  scale?: number;
  /** Iteration bound per start (default 100). */
  maxIterations?: number;
  /** Stop after this many distinct roots (default 32). */
  maxRoots?: number;
  /** Time budget, checked at every iteration (default: none). */
  budget?: Budget;
}

export interface NumericRoot {
  point: number[];
  /** max_i |F_i(point)|. */
  residual: number;
  /** The bound the residual was accepted under. */
  tolerance: number;
}

export interface NewtonFailure {
  start: number[];
  reason: string;
  /** Where the iteration stopped. */
  at: number[];
}

const norm = (v: readonly number[]) => Math.max(0, ...v.map(Math.abs));

/** Distinct zeros of F from seeded starts, each with its residual and tolerance. */
export function newtonWithDeflation(
  problem: NewtonProblem,
  options: NewtonOptions = {},
): { roots: NumericRoot[]; failures: NewtonFailure[] } {
  const { n } = problem;
  const starts = options.starts ?? 40;
  const maxIterations = options.maxIterations ?? 100;
  const maxRoots = options.maxRoots ?? 32;
  const rng = new Rng(options.seed ?? 1);
  const scale = options.scale ?? 2;
  const tolerance = (x: readonly number[]) => 1e-10 * (1 + (problem.magnitude?.(x) ?? norm(x)));
  const roots: NumericRoot[] = [];
  const failures: NewtonFailure[] = [];

  const newtonStep = (x: readonly number[], fx: readonly number[]): number[] | undefined => {
    const lu = new LuDecomposition(new Matrix(problem.J(x)));
    if (lu.isSingular()) return undefined;
    const d = lu.solve(Matrix.columnVector(fx.map((v) => -v))).to1DArray();
    return d.every(Number.isFinite) ? d : undefined;
  };
  // log M(x) and its gradient for the shifted deflation over the roots found so far
  const logDeflation = (x: readonly number[]): { value: number; grad: number[] } => {
    let value = 0;
    const grad = new Array<number>(n).fill(0);
    for (const r of roots) {
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (x[i]! - r.point[i]!) ** 2;
      const m = 1 / d2 + 1;
      value += Math.log(m);
      for (let i = 0; i < n; i++) grad[i]! += (-2 * (x[i]! - r.point[i]!)) / (d2 * d2 * m);
    }
    return { value, grad };
  };

  for (let s = 0; s < starts && roots.length < maxRoots; s++) {
    const start = Array.from({ length: n }, () => scale * rng.normal());
    let x = start;
    let fx = problem.F(x);
    let reason = `no convergence in ${maxIterations} iterations`;
    let converged = false;
    for (let it = 0; it < maxIterations; it++) {
      options.budget?.check();
      if (!fx.every(Number.isFinite)) {
        reason = "F is not finite";
        break;
      }
      if (norm(fx) <= tolerance(x)) {
        converged = true;
        break;
      }
      const step = newtonStep(x, fx);
      if (!step) {
        reason = "singular Jacobian";
        break;
      }
      const { value: logM, grad } = logDeflation(x);
      let ud = 0;
      for (let i = 0; i < n; i++) ud += grad[i]! * step[i]!;
      const factor = roots.length > 0 && Math.abs(1 - ud) > 1e-12 ? 1 / (1 - ud) : 1;
      const merit = Math.exp(logM) * norm(fx);
      // damping: halve the step until the deflated residual decreases (at most 30 halvings)
      let t = factor;
      let accepted = false;
      for (let h = 0; h < 30; h++) {
        const y = x.map((xi, i) => xi + t * step[i]!);
        const fy = problem.F(y);
        if (fy.every(Number.isFinite) && Math.exp(logDeflation(y).value) * norm(fy) < merit) {
          x = y;
          fx = fy;
          accepted = true;
          break;
        }
        t /= 2;
      }
      if (!accepted) {
        reason = "line search failed (stagnation)";
        break;
      }
    }
    if (!converged) {
      failures.push({ start, reason, at: x });
      continue;
    }
    // polish with plain Newton steps while the residual decreases
    for (let it = 0; it < 5; it++) {
      const step = newtonStep(x, fx);
      if (!step) break;
      const y = x.map((xi, i) => xi + step[i]!);
      const fy = problem.F(y);
      if (!(norm(fy) < norm(fx))) break;
      x = y;
      fx = fy;
    }
    const dup = roots.some((r) => norm(r.point.map((ri, i) => ri - x[i]!)) <= 1e-6 * (1 + norm(x)));
    if (!dup) roots.push({ point: x, residual: norm(fx), tolerance: tolerance(x) });
  }
  return { roots, failures };
}
