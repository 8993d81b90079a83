/**
 * learndyn's exact symbolic layer: one import for expressions and polynomials.
 *
 * - {@link Rational}: exact rationals over BigInt.
 * - {@link Poly}: sparse multivariate polynomials over Q with named variables (add, sub, mul,
 *   pow, scale, degree, coefficients, derivative, substitute, evaluate, exactQuotient, toString
 *   in rule-language syntax); size-bounded by {@link polyLimits}.
 * - {@link polyGcd}, {@link resultant}, {@link discriminant}, {@link charpolyCoefficients},
 *   {@link determinant}: exact, division-free where it matters.
 * - {@link numericRoots}, {@link polyRoots}: complex roots of univariate polynomials.
 * - {@link Expr}: expression trees (parse, format, differentiate, substitute, evaluate,
 *   compile, toPoly) for fields that need exp, log, sin, cos, tanh or sqrt.
 */
export {
  add,
  call,
  div,
  type Expr,
  FUNCTION_NAMES,
  type FunctionName,
  mul,
  neg,
  num,
  pow,
  sub,
  variable,
  variablesOf,
} from "./ast.ts";
export { charpolyCoefficients, determinant } from "./berkowitz.ts";
export { differentiate } from "./differentiate.ts";
export { compileExpr, evaluate } from "./evaluate.ts";
export { formatExpr } from "./format.ts";
export { contentIn, polyGcd, polyGcdAll, primitivePartIn, pseudoRemainder } from "./gcd.ts";
export { type GroebnerOptions, groebnerBasis, type IdealShape, idealShape, normalForm } from "./groebner.ts";
export { nullspace, rref } from "./nullspace.ts";
export { EXPRESSION_LIMITS, literalRangeProblem, ParseError, type ParseOptions, parseExpr } from "./parse.ts";
export { compareMonomials, type Monomial, Poly, polyLimits, type Term } from "./poly.ts";
export { Rational } from "./rational.ts";
export { discriminant, resultant, sylvesterMatrix } from "./resultant.ts";
export {
  type Complex,
  numericRoots,
  polyRoots,
  type RootWithMultiplicity,
  squareFreeDecomposition,
} from "./roots.ts";
export { polySqrt, rationalSqrt } from "./sqrt.ts";
export { substitute } from "./substitute.ts";
export { expand, fromPoly, isPolynomial, NotPolynomialError, parsePoly, toPoly } from "./to-poly.ts";
export { isRationalExpr, type RationalFunction, toRationalFunction } from "./to-rational.ts";
