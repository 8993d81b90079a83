/**
 * The limiting spectral law of a self-adjoint polynomial in random matrices: the expression,
 * its noncommutative polynomial, its self-adjoint linearization and the operator-valued fixed
 * point, prepared once; the Cauchy transform and the density by Stieltjes inversion from there.
 */
import type { Complex } from "../complex.ts";
import type { Ensemble, MatrixExpr } from "./expression.ts";
import { type FixedPointSolution, solveFixedPoint } from "./fixed-point.ts";
import { type LinearPencil, selfAdjointLinearization } from "./linearization.ts";
import { type NoncommutativePolynomial, noncommutativePolynomial } from "./noncommutative-polynomial.ts";
import { OperatorCauchyProblem } from "./operator-cauchy.ts";

export interface PolynomialSpectrum {
  readonly expression: MatrixExpr;
  readonly polynomial: NoncommutativePolynomial;
  readonly pencil: LinearPencil;
  readonly problem: OperatorCauchyProblem;
  /** A bound on the operator norm of the limit, Σ |c| Π ‖letter‖: the spectrum lies in [−scale, scale]. */
  readonly scale: number;
}

/** Limiting operator norm of one ensemble. */
function ensembleNorm(e: Ensemble): number {
  switch (e.kind) {
    case "gaussian":
      return Math.sqrt(e.variance) * (1 + Math.sqrt(e.rows.size / e.cols.size));
    case "wigner":
      return 2 * Math.sqrt(e.variance);
    case "diagonal":
      return e.law.kind === "atoms"
        ? Math.max(...e.law.atoms.map(Math.abs))
        : Math.max(Math.abs(e.law.a), Math.abs(e.law.b));
    case "haar":
      return 1;
  }
}

/** Σ |c| Π ‖letter‖ over the monomials of p, with the ensembles given (default p's own). */
export function normBound(
  p: NoncommutativePolynomial,
  ensembles: ReadonlyMap<string, Ensemble> = p.ensembles,
): number {
  let bound = 0;
  for (const m of p.monomials)
    bound += Math.abs(m.coefficient) * m.word.reduce((s, l) => s * ensembleNorm(ensembles.get(l.name)!), 1);
  return bound;
}

export function polynomialSpectrum(expression: MatrixExpr): PolynomialSpectrum {
  const polynomial = noncommutativePolynomial(expression);
  const pencil = selfAdjointLinearization(polynomial);
  const problem = new OperatorCauchyProblem(pencil);
  return { expression, polynomial, pencil, problem, scale: normBound(polynomial) };
}

/** The operator-valued solution at z (Im z ≥ 0). */
export function operatorSolution(
  s: PolynomialSpectrum,
  z: Complex,
  warmStart?: { re: Float64Array; im: Float64Array },
): FixedPointSolution {
  return solveFixedPoint(s.problem, z, { scale: s.scale, warmStart });
}

/** G_p(z) = τ[(z − p)⁻¹] for Im z > 0 (or real z outside the support). */
export function polynomialCauchy(s: PolynomialSpectrum, z: Complex): Complex {
  const u = operatorSolution(s, z);
  return { re: u.re[0]!, im: u.im[0]! };
}

/**
 * The density of the absolutely continuous part at x, −Im G(x + iη)/π, η = 1e-9(1 + |x|) by
 * default (smoothing error O(η) in the bulk, O(√η) within η of a square-root edge).
 */
export function polynomialDensity(s: PolynomialSpectrum, x: number, eta = 1e-9 * (1 + Math.abs(x))): number {
  return Math.max(0, -polynomialCauchy(s, { re: x, im: eta }).im / Math.PI);
}
