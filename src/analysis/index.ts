/** Symbolic analysis of rules: Jacobian, charpoly, fixed points, invariants, gradient test. */
export {
  type AnalysisReport,
  type AnalysisStep,
  type AnalyzeOptions,
  analyze,
  DEFAULT_ANALYSIS_TIMEOUT_SECONDS,
  formatReport,
} from "./analyze.ts";
export {
  type ClosedFormEigenvalue,
  charpoly,
  closedFormEigenvalues,
  formatByPowers,
  LAMBDA,
  numericEigenvalues,
} from "./charpoly.ts";
export {
  boundaryTolerance,
  classifyEigenvalues,
  growth,
  matrixEigenvalues,
  type PointClass,
} from "./classify.ts";
export { type CriticalLevel, type CriticalLevels, criticalLevels } from "./critical-levels.ts";
export { exactDefaults, type PolyField, polyField } from "./field.ts";
export {
  type FixedPoint,
  type FixedPointClass,
  type FixedPointOptions,
  type FixedPointResult,
  fixedPoints,
} from "./fixed-points.ts";
export { type GradientTest, gradientTest } from "./gradient.ts";
export { findInvariants, type InvariantOptions, isInvariant, lieDerivative } from "./invariants.ts";
export { jacobian, jacobianExpr } from "./jacobian.ts";
export { type NewtonOptions, type NewtonProblem, type NumericRoot, newtonWithDeflation } from "./newton.ts";
export { type SolvedComponent, type SolveResult, solvePolynomialSystem, stateFactor } from "./solve.ts";
