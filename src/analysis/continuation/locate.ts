/**
 * Locating a bifurcation point detected between two branch points, by Newton's method on an
 * extended system that is regular at the point (Kuznetsov, Elements of Applied Bifurcation
 * Theory, 3rd ed., sec. 10.2):
 *
 * - fold: F(x, p) = 0, det F_x(x, p) = 0 (n + 1 equations in x, p);
 * - branch point: the regularized system F(x, p) + beta psi = 0, F_x^T psi = 0, psi . F_p = 0,
 *   |psi|^2 = 1 in (x, p, psi, beta), regular at a simple branch point with beta = 0
 *   (Kuznetsov, sec. 10.2.2; the plain system F = 0, det F_x = 0 is singular there);
 * - Hopf: F(x, p) = 0, det(2 F_x (.) I) = 0;
 * - flip (maps): F(x, p) = 0, det(J + I) = 0.
 * Newton stops at steps below 1e-13 (1 + |u|), so the point is found to well within 1e-8 where
 * the system is regular.
 */
import { bialternateProduct } from "./bialternate.ts";
import { determinant, leftNullVector } from "./linear-algebra.ts";
import { type NewtonSolveResult, newtonSolve } from "./newton.ts";
import type { ContinuationProblem } from "./problem.ts";

export type LocatedKind = "fold" | "branch point" | "hopf" | "flip";

const opts = { stepTolerance: 1e-13, residualTolerance: 1e-11, maxIterations: 40 };

/** Newton on the extended system of `kind` from u0 (on or near the branch). */
export function locate(
  problem: ContinuationProblem,
  kind: LocatedKind,
  u0: readonly number[],
): NewtonSolveResult {
  const { n } = problem;
  const F = (u: readonly number[]) => problem.H(u).slice(0, n);
  const Fx = (u: readonly number[]) =>
    problem
      .Hu(u)
      .slice(0, n)
      .map((r) => r.slice(0, n));
  switch (kind) {
    case "fold":
      return newtonSolve((u) => [...F(u), determinant(Fx(u))], u0, opts);
    case "hopf":
      return newtonSolve((u) => [...F(u), determinant(bialternateProduct(problem.Jf(u)))], u0, opts);
    case "flip":
      return newtonSolve(
        (u) => [...F(u), determinant(problem.Jf(u).map((r, i) => r.map((v, j) => v + (i === j ? 1 : 0))))],
        u0,
        opts,
      );
    case "branch point": {
      const psi0 = leftNullVector(Fx(u0));
      const G = (v: readonly number[]) => {
        const u = v.slice(0, n + 1);
        const psi = v.slice(n + 1, 2 * n + 1);
        const beta = v[2 * n + 1]!;
        const Hu = problem.Hu(u).slice(0, n);
        const f = F(u);
        return [
          ...f.map((fi, i) => fi + beta * psi[i]!),
          ...Array.from({ length: n }, (_, j) => Hu.reduce((s, row, i) => s + row[j]! * psi[i]!, 0)),
          Hu.reduce((s, row, i) => s + row[n]! * psi[i]!, 0),
          psi.reduce((s, v) => s + v * v, 0) - 1,
        ];
      };
      const r = newtonSolve(G, [...u0, ...psi0, 0], opts);
      return { ...r, u: r.u.slice(0, n + 1) };
    }
  }
}
