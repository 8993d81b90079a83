/**
 * Symbolic Jacobians. For a flow dx/dt = f(x) the Jacobian is J[i][j] = d f_i / d x_j; for a
 * map x' = f(x) it is the same matrix of the map (its eigenvalues are multipliers, compared
 * with the unit circle). Polynomial rules give exact polynomials; any rule gives expression
 * trees.
 */
import { differentiate, type Expr, type Poly } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { type PolyField, polyField } from "./field.ts";

/** J[i][j] = d f_i / d states[j], exact (polynomial rules only). */
export function jacobian(field: PolyField | RuleSpec): Poly[][] {
  const pf = "f" in field ? field : polyField(field, "jacobian");
  return pf.f.map((fi) => pf.states.map((x) => fi.derivative(x)));
}

/** J[i][j] = d f_i / d states[j] as expression trees (any rule, including exp, tanh, ...). */
export function jacobianExpr(rule: RuleSpec): Expr[][] {
  return rule.field.map((fi) => rule.states.map((x) => differentiate(fi, x)));
}
