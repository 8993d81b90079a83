/** fast-check generators of small exact polynomials and expression trees for property tests. */
import fc from "fast-check";
import {
  add,
  call,
  type Expr,
  FUNCTION_NAMES,
  mul,
  neg,
  num,
  pow,
  sub,
  variable,
} from "../../src/expr/ast.ts";
import { Poly } from "../../src/expr/poly.ts";
import { Rational } from "../../src/expr/rational.ts";

/** A polynomial in `vars` with up to `maxTerms` terms, integer coefficients in [-5, 5], degree <= maxDeg per variable. */
export function arbPoly(vars: readonly string[], maxTerms = 4, maxDeg = 2): fc.Arbitrary<Poly> {
  const term = fc.record({
    coef: fc.integer({ min: -5, max: 5 }),
    exps: fc.array(fc.integer({ min: 0, max: maxDeg }), { minLength: vars.length, maxLength: vars.length }),
  });
  return fc.array(term, { minLength: 0, maxLength: maxTerms }).map((ts) =>
    Poly.fromTerms(
      ts.map((t) => ({
        coef: Rational.of(t.coef),
        exponents: Object.fromEntries(vars.map((v, i) => [v, t.exps[i]!])),
      })),
    ),
  );
}

/** A rational point with small numerators and denominators. */
export function arbRationalPoint(vars: readonly string[]): fc.Arbitrary<Record<string, Rational>> {
  return fc
    .array(fc.tuple(fc.integer({ min: -7, max: 7 }), fc.integer({ min: 1, max: 5 })), {
      minLength: vars.length,
      maxLength: vars.length,
    })
    .map((xs) => Object.fromEntries(vars.map((v, i) => [v, Rational.of(xs[i]![0], xs[i]![1])])));
}

/** Expression trees over `vars`, including the non-polynomial functions (arguments kept tame). */
export function arbExpr(vars: readonly string[], polynomialOnly = false): fc.Arbitrary<Expr> {
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.integer({ min: -3, max: 3 }).map((k) => num(k)),
      fc.constantFrom(...vars).map((v) => variable(v)),
      fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => add(a, b)),
      fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => sub(a, b)),
      fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => mul(a, b)),
      tie("expr").map((a) => neg(a)),
      fc.tuple(tie("expr"), fc.integer({ min: 0, max: 3 })).map(([a, k]) => pow(a, k)),
      ...(polynomialOnly
        ? []
        : [
            fc
              .tuple(fc.constantFrom(...FUNCTION_NAMES), tie("expr"))
              // log and sqrt get a positive argument 1 + u^2 so every sample point is in the domain.
              .map(([f, a]) =>
                f === "log" || f === "sqrt" ? call(f, add(num(1), pow(a, 2))) : call(f, call("tanh", a)),
              ),
          ]),
    ),
  }));
  return expr;
}
