/**
 * Closed-form branches of fixed points as functions of the parameters, for polynomial rules:
 * the exact decomposition of g = 0 with every parameter kept symbolic (src/analysis/solve.ts,
 * with no parameter values to substitute), and each leftover equation that is of degree <= 2 in
 * its one remaining unknown solved by the quadratic formula (x = +-sqrt(mu) for the pitchfork
 * mu x - x^3 after the factor x is split off). The real branches exist where the discriminant
 * is >= 0 (returned as the condition). Subsystems that are not of this form are listed as not
 * solved in closed form, never guessed.
 */
import {
  add,
  call,
  div,
  type Expr,
  formatExpr,
  fromPoly,
  mul,
  neg,
  num,
  Poly,
  sub,
  substitute,
} from "../../expr/index.ts";
import type { RuleSpec } from "../../rules/index.ts";
import { own, recordOf } from "../../util/record.ts";
import { polyField } from "../field.ts";
import { solvePolynomialSystem } from "../solve.ts";

export interface SymbolicBranch {
  /** Each state's value (free states are their own coordinates). */
  values: Record<string, Expr>;
  /** Where the branch is real (a discriminant >= 0), or null when always. */
  condition: Expr | null;
  /** Free states: the branch is a family of their dimension. */
  free: string[];
}

export interface SymbolicBranches {
  branches: SymbolicBranch[];
  /** Subsystems without a closed form here (their equations). */
  notSolved: string[][];
}

/** Closed-form branches of the rule's fixed points; see the module comment. */
export function symbolicBranches(rule: RuleSpec): SymbolicBranches {
  const pf = polyField(rule, "symbolicBranches");
  const states = [...pf.states];
  const solved = solvePolynomialSystem(pf.g, states, { defaults: {}, maxBranches: 64 });
  const branches: SymbolicBranch[] = solved.components.map((c) => {
    // x = ±sqrt(square) (solve.ts step 4a): real where square >= 0, x substituted in the rest
    const x = c.radical?.unknown;
    const root = c.radical && call("sqrt", fromPoly(c.radical.square));
    const xValue = root && (c.radical!.sign > 0 ? root : neg(root));
    const value = (s: string) => {
      if (s === x) return xValue!;
      const a = own(c.assignments, s);
      if (!a) return variableExpr(s);
      return x ? substitute(fromPoly(a), recordOf([[x, xValue!]])) : fromPoly(a);
    };
    return {
      values: recordOf(states.map((s) => [s, value(s)])),
      condition: c.radical ? fromPoly(c.radical.square) : null,
      free: c.free,
    };
  });
  const notSolved: string[][] = [];
  for (const u of solved.unsolved) {
    const unknowns = new Set(u.equations.flatMap((e) => e.variables().filter((v) => states.includes(v))));
    const eq = u.equations[0]!;
    if (u.equations.length !== 1 || unknowns.size !== 1 || eq.degree([...unknowns][0]!) > 2) {
      notSolved.push(u.equations.map((e) => `${e} = 0`));
      continue;
    }
    const x = [...unknowns][0]!;
    const cs = eq.coefficients(x);
    const [c0, c1, c2] = cs.map(fromPoly);
    const roots: { value: Expr; condition: Expr | null }[] = [];
    const lead = cs[2]?.constantValue();
    if (eq.degree(x) === 1) roots.push({ value: neg(div(c0!, c1!)), condition: null });
    else if (lead !== undefined) {
      // a rational leading coefficient: x = m +- sqrt(q) with m = -c1/(2 c2) and
      // q = (c1^2 - 4 c2 c0)/(4 c2^2), both polynomials (x = +-sqrt(mu) for mu - x^2)
      const inv = lead.inv();
      const m = cs[1]!.scale(inv.neg()).scale(0.5);
      const q = cs[1]!.mul(cs[1]!).sub(cs[0]!.scale(lead).scale(4)).scale(inv.mul(inv)).scale(0.25);
      const r = call("sqrt", fromPoly(q));
      for (const sign of [1, -1]) {
        const root = sign > 0 ? r : neg(r);
        roots.push({ value: m.isZero() ? root : add(fromPoly(m), root), condition: fromPoly(q) });
      }
    } else {
      const disc = sub(mul(c1!, c1!), mul(mul(num(4), c2!), c0!));
      const r = call("sqrt", disc);
      for (const sign of [1, -1])
        roots.push({ value: div(add(neg(c1!), sign > 0 ? r : neg(r)), mul(num(2), c2!)), condition: disc });
    }
    for (const root of roots) {
      const values: Record<string, Expr> = {};
      for (const s of states) {
        if (s === x) values[s] = root.value;
        else if (u.assignments[s]) values[s] = substitute(fromPoly(u.assignments[s]), { [x]: root.value });
        else values[s] = variableExpr(s);
      }
      branches.push({
        values,
        condition: root.condition,
        free: states.filter((s) => s !== x && !u.assignments[s]),
      });
    }
  }
  return { branches, notSolved };
}

function variableExpr(s: string): Expr {
  return fromPoly(Poly.variable(s));
}

/** A branch as text, e.g. "x = sqrt(4*mu)/2 where 4*mu >= 0" (for reports). */
export function formatBranch(b: SymbolicBranch): string {
  const v = Object.entries(b.values)
    .filter(([s]) => !b.free.includes(s))
    .map(([s, e]) => `${s} = ${formatExpr(e)}`)
    .join(", ");
  return `${v || "any point"}${b.free.length ? ` (free: ${b.free.join(", ")})` : ""}${b.condition ? ` where ${formatExpr(b.condition)} >= 0` : ""}`;
}
