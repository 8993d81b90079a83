/**
 * Two-parameter continuation of a fold or Hopf point (Kuznetsov, Elements of Applied
 * Bifurcation Theory, 3rd ed., sec. 10.3): the extended system that located the point,
 * F(x; p, q) = 0 with det F_x = 0 (fold) or det(2 F_x (.) I) = 0 (Hopf), has one more unknown
 * when the second parameter q is freed, so its solutions form a curve in (x, p, q), followed by
 * the same pseudo-arclength continuation ({@link continueBranch}) with q as the continuation
 * parameter. Along a fold curve the cusp test c = psi . D2F[phi, phi] (phi, psi the right and
 * left kernel vectors of F_x, psi oriented by psi . F_p > 0; the normal-form coefficient of the
 * fold) changes sign at a cusp point, located by Newton on {F = 0, det F_x = 0, c = 0}.
 * Derivatives of the extended system are central differences (newton.ts); the second
 * derivatives in c are the rule's own (symbolic, evaluated in float64).
 */
import type { RuleSpec } from "../../rules/index.ts";
import { numericField } from "../numeric-field.ts";
import { bialternateProduct } from "./bialternate.ts";
import { continueBranch } from "./branch.ts";
import { determinant, leftNullVector, nullVector } from "./linear-algebra.ts";
import { finiteDifferenceJacobian, newtonSolve } from "./newton.ts";
import type { ContinuationProblem } from "./problem.ts";

export interface Codim2Point {
  kind: "cusp";
  x: number[];
  p: number;
  q: number;
  residual: number;
}

export interface TwoParameterCurve {
  kind: "fold" | "hopf";
  params: [string, string];
  /** Points (x, p, q) along the curve. */
  points: { x: number[]; p: number; q: number }[];
  codim2: Codim2Point[];
  stop: string;
  notes: string[];
}

/**
 * The curve of `kind` points through (x0, p0) at q = values[q], continued for q in [qMin, qMax],
 * with the other parameters at `values`.
 */
export function twoParameterCurve(
  rule: RuleSpec,
  kind: "fold" | "hopf",
  [pName, qName]: [string, string],
  start: { x: readonly number[]; p: number },
  [qMin, qMax]: [number, number],
  values: Readonly<Record<string, number>>,
  options: { ds?: number; maxSteps?: number } = {},
): TwoParameterCurve {
  const field = numericField(rule);
  const n = field.n;
  const ip = field.paramIndex(pName, "twoParameterCurve");
  const iq = field.paramIndex(qName, "twoParameterCurve");
  const base = field.paramVector({ ...values, [pName]: start.p });
  const map = rule.kind === "map";
  const unpack = (u: readonly number[]) => {
    const p = Float64Array.from(base);
    p[ip] = u[n]!;
    p[iq] = u[n + 1]!;
    return { x: u.slice(0, n), p };
  };
  const Fx = (x: readonly number[], p: Float64Array) =>
    field.J(x, p).map((row, i) => row.map((v, j) => v - (map && i === j ? 1 : 0)));
  const g = (x: readonly number[], p: Float64Array) => field.f(x, p).map((v, i) => v - (map ? x[i]! : 0));
  const condition = (x: readonly number[], p: Float64Array) =>
    kind === "fold" ? determinant(Fx(x, p)) : determinant(bialternateProduct(field.J(x, p)));
  const H = (u: readonly number[]) => {
    const { x, p } = unpack(u);
    return [...g(x, p), condition(x, p)];
  };
  const cusp = (u: readonly number[]) => {
    const { x, p } = unpack(u);
    const A = Fx(x, p);
    const phi = nullVector(A);
    let psi = leftNullVector(A);
    const Fp = field.dfdp(x, p, ip);
    if (psi.reduce((s, w, i) => s + w * Fp[i]!, 0) < 0) psi = psi.map((w) => -w);
    const D2 = field.d2f(x, p);
    return psi.reduce(
      (s, w, i) =>
        s + w * D2[i]!.reduce((t, row, j) => t + row.reduce((r, v, k) => r + v * phi[j]! * phi[k]!, 0), 0),
      0,
    );
  };
  const problem: ContinuationProblem = {
    rule,
    field,
    n: n + 1,
    param: qName,
    paramIndex: iq,
    base,
    constraints: 0,
    H,
    Hu: (u) => finiteDifferenceJacobian(H, u),
    Jf: (u) => {
      const { x, p } = unpack(u);
      return field.J(x, p);
    },
    tests: (u): Record<string, number> => (kind === "fold" ? { cusp: cusp(u) } : {}),
  };
  const notes: string[] = [];
  const q0 = values[qName]!;
  const u0 = newtonSolve(H, [...start.x, start.p, q0], { stepTolerance: 1e-13 });
  if (!u0.ok)
    return {
      kind,
      params: [pName, qName],
      points: [],
      codim2: [],
      stop: `the start is not a ${kind} point (${u0.reason})`,
      notes,
    };
  const opts = {
    pMin: qMin,
    pMax: qMax,
    ...(options.ds ? { ds: options.ds } : {}),
    ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
  };
  const along = [...new Array(n + 1).fill(0), 1];
  const fwd = continueBranch(problem, u0.u, along, opts);
  const bwd = continueBranch(
    problem,
    u0.u,
    along.map((v) => -v),
    opts,
  );
  const pts = [...bwd.points.slice(1).reverse(), ...fwd.points];
  const codim2: Codim2Point[] = [];
  for (const b of [fwd, bwd])
    for (const d of b.detected) {
      const a = b.points[d.index - 1]!;
      const c = b.points[d.index]!;
      const va = a.tests[d.test]!;
      const w = va / (va - c.tests[d.test]!);
      const guess = a.u.map((v, i) => v + w * (c.u[i]! - v));
      const r = newtonSolve((u) => [...H(u), cusp(u)], guess, {
        stepTolerance: 1e-13,
        residualTolerance: 1e-11,
        maxIterations: 40,
      });
      if (!r.ok) {
        notes.push(
          `a cusp detected near ${qName} = ${guess[n + 1]!.toPrecision(6)} was not located (${r.reason})`,
        );
        continue;
      }
      if (codim2.some((e) => Math.hypot(e.p - r.u[n]!, e.q - r.u[n + 1]!) < 1e-9)) continue;
      codim2.push({ kind: "cusp", x: r.u.slice(0, n), p: r.u[n]!, q: r.u[n + 1]!, residual: r.residual });
    }
  return {
    kind,
    params: [pName, qName],
    points: pts.map((q) => ({ x: q.u.slice(0, n), p: q.u[n]!, q: q.u[n + 1]! })),
    codim2,
    stop: `${bwd.stop}; ${fwd.stop}`,
    notes,
  };
}
