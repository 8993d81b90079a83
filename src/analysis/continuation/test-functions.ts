/**
 * Test functions along a branch of fixed points u(s) = (x(s), p(s)) with unit tangent t(s)
 * (Kuznetsov, Elements of Applied Bifurcation Theory, 3rd ed., sec. 10.2; BifurcationKit.jl's
 * events). Each changes sign at one kind of point:
 *
 * - fold: the parameter component t_p of the oriented tangent (the branch turns back in p);
 * - branch point (transcritical, pitchfork): det [[H_u], [t^T]], the bordered Jacobian, which
 *   keeps its sign through a fold (t turns with the branch) but not where two branches cross;
 * - Hopf (flows, n >= 2): det(2 J (.) I), the product of the sums of pairs of eigenvalues,
 *   which also vanishes at neutral saddles (told apart when the point is located);
 * - flip (maps): det(J + I), a multiplier through -1.
 * det J_x itself changes sign at both folds and branch points; t_p and the bordered determinant
 * tell them apart.
 */
import { bialternateProduct } from "./bialternate.ts";
import { determinant } from "./linear-algebra.ts";
import type { ContinuationProblem } from "./problem.ts";

/** Named test values at one point; a sign change of one between two points is an event. */
export type TestValues = Record<string, number>;

export function testFunctions(
  problem: ContinuationProblem,
  u: readonly number[],
  t: readonly number[],
): TestValues {
  if (problem.tests) return problem.tests(u, t);
  const { n } = problem;
  const Hu = problem.Hu(u);
  const square = Hu.length === n;
  const J = problem.Jf(u);
  const isFlow = problem.rule.kind === "flow";
  return {
    fold: t[n]!,
    branchPoint: square ? determinant([...Hu, [...t]]) : Number.NaN,
    hopf: isFlow && n >= 2 ? determinant(bialternateProduct(J)) : Number.NaN,
    flip: !isFlow ? determinant(J.map((row, i) => row.map((v, j) => v + (i === j ? 1 : 0)))) : Number.NaN,
  };
}
