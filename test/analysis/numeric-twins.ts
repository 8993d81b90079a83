/** Numeric twins for analysis tests: RK4 integration, central-difference Jacobians, eigenvalues. */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { type Complex, compileExpr } from "../../src/expr/index.ts";
import type { RuleSpec } from "../../src/rules/index.ts";

/** f(x) of a rule at parameter values, compiled. */
export function numericField(
  rule: RuleSpec,
  params: Record<string, number>,
): (x: readonly number[]) => number[] {
  const vars = [...rule.states, ...rule.params.map((p) => p.name)];
  const pv = rule.params.map((p) => params[p.name]!);
  const fs = rule.field.map((e) => compileExpr(e, vars));
  return (x) => fs.map((f) => f([...x, ...pv]));
}

/** Classical RK4 from x0 over `steps` steps of size h. */
export function rk4(
  f: (x: readonly number[]) => number[],
  x0: readonly number[],
  h: number,
  steps: number,
): number[][] {
  const path = [[...x0]];
  let x = [...x0];
  for (let k = 0; k < steps; k++) {
    const k1 = f(x);
    const k2 = f(x.map((v, i) => v + (h / 2) * k1[i]!));
    const k3 = f(x.map((v, i) => v + (h / 2) * k2[i]!));
    const k4 = f(x.map((v, i) => v + h * k3[i]!));
    x = x.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    path.push(x);
  }
  return path;
}

/** Central-difference Jacobian with step h. */
export function centralJacobian(
  f: (x: readonly number[]) => number[],
  x: readonly number[],
  h = 1e-5,
): number[][] {
  const n = x.length;
  const cols = Array.from({ length: n }, (_, j) => {
    const up = [...x];
    const dn = [...x];
    up[j]! += h;
    dn[j]! -= h;
    const fu = f(up);
    const fd = f(dn);
    return fu.map((v, i) => (v - fd[i]!) / (2 * h));
  });
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
}

/** Eigenvalues of a real matrix (ml-matrix), sorted by real then imaginary part. */
export function eigenvalues(m: number[][]): Complex[] {
  const evd = new EigenvalueDecomposition(new Matrix(m));
  return evd.realEigenvalues
    .map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i]! }))
    .sort((a, b) => a.re - b.re || a.im - b.im);
}

/** Greedy matching distance between two multisets of complex numbers (max over pairs). */
export function matchDistance(a: readonly Complex[], b: readonly Complex[]): number {
  const used = new Set<number>();
  let worst = 0;
  for (const z of a) {
    let best = -1;
    let dist = Number.POSITIVE_INFINITY;
    b.forEach((w, i) => {
      const d = Math.hypot(w.re - z.re, w.im - z.im);
      if (!used.has(i) && d < dist) [best, dist] = [i, d];
    });
    used.add(best);
    worst = Math.max(worst, dist);
  }
  return a.length === b.length ? worst : Number.POSITIVE_INFINITY;
}
