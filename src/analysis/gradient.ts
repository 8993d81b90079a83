/**
 * Is a rule a gradient flow? A polynomial field f on R^n is -grad L for some L exactly when its
 * Jacobian is symmetric identically (the Poincare lemma on the star-shaped R^n); then
 *
 *     L(x) = -int_0^1 x . f(t x) dt,
 *
 * which for a term of x_i f_i of degree k in the states contributes 1/k of the term (the
 * potential is fixed by L(0) = 0; any constant may be added). Otherwise the Jacobian splits into
 * its symmetric and antisymmetric ("curl") parts, and a point where the antisymmetric part is
 * nonzero is exhibited. For a map x' = f(x) the test applies to the displacement f(x) - x.
 * (seed 001, sec. 3 and appendix A: sign-diverse rules are not gradients.)
 */
import { Poly, Rational } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { checkActiveBudget } from "../util/budget.ts";
import { BoundExceededError } from "../util/errors.ts";
import { recordOf } from "../util/record.ts";
import { exactDefaults, type PolyField, polyField } from "./field.ts";

export interface GradientTest {
  isGradient: boolean;
  /** L with f = -grad L and L(0) = 0, when the field is a gradient. */
  potential?: Poly;
  /** (J + J^T)/2 and (J - J^T)/2, when it is not. */
  symmetricPart?: Poly[][];
  antisymmetricPart?: Poly[][];
  /** A point (states and parameters) where the antisymmetric part has a nonzero entry. */
  witness?: { point: Record<string, string>; row: number; column: number; value: string };
}

/** The gradient test of the module comment (polynomial rules). */
export function gradientTest(rule: RuleSpec | PolyField): GradientTest {
  const pf = "g" in rule ? rule : polyField(rule, "gradientTest");
  const { states } = pf;
  const g = pf.g;
  const J = g.map((gi) => states.map((x) => gi.derivative(x)));
  const n = states.length;
  const A = J.map((row, i) => row.map((Jij, j) => Jij.sub((J[j] as Poly[])[i]!).scale(Rational.of(1, 2))));
  const nonzero = A.flatMap((row, i) => row.map((a, j) => ({ a, i, j }))).find(
    ({ a, i, j }) => i < j && !a.isZero(),
  );
  if (!nonzero) {
    let L = Poly.ZERO;
    states.forEach((x, i) => {
      for (const t of g[i]!.mul(Poly.variable(x)).terms()) {
        const k = t.mono.filter(([v]) => states.includes(v)).reduce((s, [, e]) => s + e, 0);
        L = L.sub(Poly.ONE.mulTerm(t.coef.div(Rational.of(k)), t.mono));
      }
    });
    states.forEach((x, i) => {
      if (!L.derivative(x).neg().equals(g[i]!))
        throw new Error(`gradientTest: potential check failed for ${x} (bug)`);
    });
    return { isGradient: true, potential: L };
  }
  const S = J.map((row, i) => row.map((Jij, j) => Jij.add((J[j] as Poly[])[i]!).scale(Rational.of(1, 2))));
  return {
    isGradient: false,
    symmetricPart: S,
    antisymmetricPart: A,
    witness: findWitness(pf, nonzero.a, nonzero.i, nonzero.j, n),
  };
}

/**
 * A point where the nonzero polynomial a is nonzero: a grid {0, 1, ..., d} over the states with
 * parameters at their defaults (a nonzero polynomial of degree <= d in each variable cannot
 * vanish on the whole grid), then with the parameters on the grid too.
 */
function findWitness(
  pf: PolyField,
  a: Poly,
  row: number,
  column: number,
  _n: number,
): GradientTest["witness"] {
  const defaults = exactDefaults(pf.rule);
  const tryGrid = (vars: string[], fixed: Record<string, Poly>) => {
    const d = Math.max(1, ...vars.map((v) => a.degree(v)));
    const total = (d + 1) ** vars.length;
    if (total > 1e5) throw new BoundExceededError("gradientTest", "witness grid", 1e5, total);
    const b = a.substituteAll(fixed);
    for (let k = 0; k < total; k++) {
      checkActiveBudget();
      let r = k;
      const point = recordOf(
        vars.map((v) => {
          const value = Rational.of(r % (d + 1));
          r = Math.floor(r / (d + 1));
          return [v, value] as const;
        }),
      );
      const value = b.evaluateExact(point);
      if (!value.isZero()) {
        const all = new Map<string, string>();
        for (const [v, p] of Object.entries(fixed)) all.set(v, p.toString());
        for (const [v, p] of Object.entries(point)) all.set(v, p.toString());
        // the entry does not depend on the remaining states: any value will do
        for (const x of pf.states) if (!all.has(x)) all.set(x, "0");
        return { point: recordOf(all), row, column, value: value.toString() };
      }
    }
    return undefined;
  };
  const free = a.variables().filter((v) => !Object.hasOwn(defaults, v));
  const defaultsUsed = Object.fromEntries(Object.entries(defaults).filter(([v]) => pf.params.includes(v)));
  return tryGrid(free, defaultsUsed) ?? tryGrid(a.variables(), {});
}
