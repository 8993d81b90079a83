/**
 * Conserved quantities (first integrals). For a flow, I is conserved when its Lie derivative
 * L_f I = sum_i (dI/dx_i) f_i vanishes identically; for a map, when I(f(x)) - I(x) does.
 *
 * Discovery: I = sum_k a_k m_k over an ansatz of monomials m_k = (state monomial of degree
 * 1..degree) * (parameter monomial of degree 0..paramDegree); L(I) = 0 is a linear system
 * over Q in the a_k (one equation per monomial of L(I)), solved exactly. Letting coefficients
 * be polynomials in the parameters is what finds invariants such as seed 003, eq. 17
 * (lambdaR*lambda2 + epsilon/2*lambda2^2 - lambda1^2/2 for the URFB mode): found, not only
 * verified. The reported list is a minimal generating set within the ansatz: an invariant
 * that is a polynomial in those already found (any products and powers of them, with
 * coefficients polynomial in the parameters) is not reported.
 */
import { nullspace, Poly, Rational as Q, type Rational } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { type Budget, BudgetExceededError, runStep } from "../util/budget.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { type PolyField, polyField } from "./field.ts";

/** L(I): the Lie derivative for a flow, I(f(x)) - I(x) for a map. */
export function lieDerivative(I: Poly, rule: RuleSpec | PolyField): Poly {
  const pf = "f" in rule ? rule : polyField(rule, "lieDerivative");
  if (pf.rule.kind === "map") {
    const image = Object.fromEntries(pf.states.map((x, i) => [x, pf.f[i]!]));
    return I.substituteAll(image).sub(I);
  }
  let out = Poly.ZERO;
  pf.states.forEach((x, i) => {
    out = out.add(I.derivative(x).mul(pf.f[i]!));
  });
  return out;
}

/** True if I is conserved exactly (identically, for all states and parameters). */
export function isInvariant(I: Poly, rule: RuleSpec | PolyField): boolean {
  return lieDerivative(I, rule).isZero();
}

export interface InvariantOptions {
  /** Largest degree in the states (default 2). */
  degree?: number;
  /** Largest degree in the parameters (default 1). */
  paramDegree?: number;
  /** Bound on the ansatz size (default 2000 monomials). */
  maxMonomials?: number;
  /** Time budget, checked at every level of the search (default: none). */
  budget?: Budget;
}

function monomials(vars: readonly string[], minDeg: number, maxDeg: number): Poly[] {
  const out: Poly[] = [];
  const rec = (i: number, left: number, acc: Poly, deg: number) => {
    if (i === vars.length) {
      if (deg >= minDeg) out.push(acc);
      return;
    }
    for (let e = 0; e <= left; e++) rec(i + 1, left - e, acc.mul(Poly.variable(vars[i]!).pow(e)), deg + e);
  };
  rec(0, maxDeg, Poly.ONE, 0);
  return out;
}

const degreeIn = (p: Poly, vars: readonly string[]) =>
  Math.max(
    0,
    ...p.terms().map((t) => t.mono.filter(([v]) => vars.includes(v)).reduce((s, [, e]) => s + e, 0)),
  );

/** A reduced basis of the polynomial first integrals within the ansatz; see the module comment. */
export function findInvariants(rule: RuleSpec | PolyField, options: InvariantOptions = {}): Poly[] {
  const r = searchInvariants(rule, options);
  if (r.stoppedBy) throw r.stoppedBy;
  return r.invariants;
}

/**
 * {@link findInvariants} that keeps its partial result when the time budget runs out: the
 * invariants found at the levels (state and parameter degrees) finished before, with the
 * budget's error naming the stage ("invariant nullspace" at a level, "minimal generating set").
 * A budget that runs out before the first level is thrown.
 */
export function searchInvariants(
  rule: RuleSpec | PolyField,
  options: InvariantOptions = {},
): { invariants: Poly[]; stoppedBy?: BudgetExceededError } {
  const pf = "f" in rule ? rule : polyField(rule, "findInvariants");
  const degree = options.degree ?? 2;
  const paramDegree = options.paramDegree ?? 1;
  if (!Number.isInteger(degree) || degree < 1) {
    throw new InvalidArgumentError("findInvariants", "degree", "a positive integer", degree);
  }
  const stateMonos = monomials(pf.states, 1, degree);
  const paramMonos = monomials(pf.params, 0, paramDegree);
  // columns: parameter-heavy monomials first, so reductions eliminate them first
  const ansatz = paramMonos
    .slice()
    .reverse()
    .flatMap((pm) =>
      stateMonos.map((sm) => ({ m: sm.mul(pm), sd: degreeIn(sm, pf.states), pd: degreeIn(pm, pf.params) })),
    );
  const maxMonomials = options.maxMonomials ?? 2000;
  if (ansatz.length > maxMonomials) {
    throw new InvalidArgumentError(
      "findInvariants",
      "degree",
      `an ansatz of at most ${maxMonomials} monomials`,
      `${ansatz.length} monomials (degree ${degree}, paramDegree ${paramDegree})`,
      "lower the degrees",
    );
  }
  const key = (p: Poly) =>
    p
      .terms()[0]!
      .mono.map(([v, e]) => `${v}^${e}`)
      .join("*");
  const columnOf = new Map(ansatz.map((a, k) => [key(a.m), k]));
  const images = ansatz.map((a) => {
    options.budget?.check();
    return lieDerivative(a.m, pf);
  });

  // the linear system restricted to columns allowed at a level (sd <= d, pd <= p)
  const nullspaceAt = (d: number, p: number): Rational[][] => {
    const cols = ansatz.map((a, k) => ({ a, k })).filter(({ a }) => a.sd <= d && a.pd <= p);
    const rowIndex = new Map<string, number>();
    const rows: Rational[][] = [];
    cols.forEach(({ k }, c) => {
      for (const t of images[k]!.terms()) {
        const mk = t.mono.map(([v, e]) => `${v}^${e}`).join("*");
        let r = rowIndex.get(mk);
        if (r === undefined) {
          r = rows.length;
          rowIndex.set(mk, r);
          rows.push(Array.from({ length: cols.length }, () => Q.ZERO));
        }
        rows[r]![c] = t.coef;
      }
    });
    return nullspace(rows, cols.length).map((v) => {
      const full = Array.from({ length: ansatz.length }, () => Q.ZERO);
      cols.forEach(({ k }, c) => {
        full[k] = v[c]!;
      });
      return full;
    });
  };

  // a span kept in reduced row echelon form over the ansatz columns
  const span: { pivot: number; row: Rational[] }[] = [];
  const reduce = (v: Rational[]): Rational[] => {
    const r = [...v];
    for (const { pivot, row } of span) {
      const f = r[pivot]!;
      if (f.isZero()) continue;
      for (let j = 0; j < r.length; j++) if (!row[j]!.isZero()) r[j] = r[j]!.sub(f.mul(row[j]!));
    }
    return r;
  };
  const addToSpan = (v: Rational[]) => {
    const r = reduce(v);
    const pivot = r.findIndex((x) => !x.isZero());
    if (pivot < 0) return;
    const inv = r[pivot]!.inv();
    const row = r.map((x) => x.mul(inv));
    for (const s of span) {
      const f = s.row[pivot]!;
      if (!f.isZero()) s.row = s.row.map((x, j) => x.sub(f.mul(row[j]!)));
    }
    span.push({ pivot, row });
  };
  const toVector = (p: Poly): Rational[] | undefined => {
    const v = Array.from({ length: ansatz.length }, () => Q.ZERO);
    for (const t of p.terms()) {
      const k = columnOf.get(t.mono.map(([w, e]) => `${w}^${e}`).join("*"));
      if (k === undefined) return undefined; // outside the ansatz
      v[k] = t.coef;
    }
    return v;
  };
  const toPoly = (v: readonly Rational[]) =>
    v.reduce((acc, c, k) => (c.isZero() ? acc : acc.add(ansatz[k]!.m.scale(c))), Poly.ZERO);

  const found: Poly[] = [];
  // products of the generators found so far (with 1), within the state degree: with their
  // parameter multiples they span what the generators already give
  let products: { p: Poly; sd: number }[] = [{ p: Poly.ONE, sd: 0 }];
  const levels: [number, number][] = [];
  for (let total = 1; total <= degree + paramDegree; total++) {
    for (let p = 0; p <= Math.min(paramDegree, total - 1); p++)
      if (total - p <= degree) levels.push([total - p, p]);
  }
  for (const [d, p] of levels) {
    let solutions: Rational[][];
    try {
      solutions = runStep(options.budget, "invariant nullspace", () => nullspaceAt(d, p));
    } catch (e) {
      if (e instanceof BudgetExceededError) return { invariants: found, stoppedBy: e };
      throw e;
    }
    try {
      runStep(options.budget, "minimal generating set", () => {
        for (const v of solutions) {
          const r = reduce(v);
          if (r.every((x) => x.isZero())) continue;
          const I = toPoly(r).primitive();
          found.push(I);
          // every product of I (any power) with earlier products is now redundant, with its
          // parameter multiples: the algebra the generators span over Q[parameters]
          const dI = degreeIn(I, pf.states);
          const added: { p: Poly; sd: number }[] = [];
          let frontier = products;
          while (frontier.length > 0) {
            options.budget?.check();
            const next = frontier
              .filter((q) => q.sd + dI <= degree)
              .map((q) => ({ p: q.p.mul(I), sd: q.sd + dI }));
            added.push(...next);
            frontier = next;
          }
          products = [...products, ...added];
          for (const { p: q } of added)
            for (const pm of paramMonos) {
              const vq = toVector(q.mul(pm));
              if (vq) addToSpan(vq);
            }
        }
      });
    } catch (e) {
      if (e instanceof BudgetExceededError) return { invariants: found, stoppedBy: e };
      throw e;
    }
  }
  return { invariants: found };
}
