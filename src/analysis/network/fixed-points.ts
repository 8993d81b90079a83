/**
 * Fixed points of network flow rules: the origin, the teacher point (the states set to the
 * teacher's weights, a point of the solution manifold where the student realizes the teacher),
 * and Newton's method from any start (Newton-Krylov: each step solves J d = -F by GMRES with
 * J v from the forward-mode operator, then backtracks on |F|). Non-convergence is reported with
 * the residual reached, never returned as a fixed point.
 */
import type { RunData } from "../../ir/draw.ts";
import type { NetworkModel } from "../../ir/model.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { type FieldOperator, flattenStates } from "./field-operator.ts";

/** The flattened origin (every state zero). */
export function originPoint(op: FieldOperator): Float64Array {
  return new Float64Array(op.dimension);
}

/**
 * The states set to the teacher's weights: state k takes the k-th teacher tensor (declaration
 * order) of its shape. Null when the rule has no teacher of each state's shape.
 */
export function teacherPoint(model: NetworkModel, run: RunData): Float64Array | null {
  const teachers = model.spec.fixed.map((d, k) => ({ d, k })).filter(({ d }) => d.role === "teacher");
  const used = new Set<number>();
  const states: Float64Array[] = [];
  for (const s of model.compiled.states) {
    const match = teachers.find(
      ({ k }) =>
        !used.has(k) && model.compiled.fixed[k]!.rows === s.rows && model.compiled.fixed[k]!.cols === s.cols,
    );
    if (!match) return null;
    used.add(match.k);
    states.push(run.fixed[match.k]!);
  }
  return flattenStates(states);
}

export interface NewtonOptions {
  /** Stop when |F(x)| <= tolerance (1 + |F(x0)|)... absolute: |F| <= tolerance (default 1e-10). */
  readonly tolerance?: number;
  readonly maxIterations?: number;
  /** Krylov dimension of each GMRES solve (default 60). */
  readonly krylov?: number;
}

export interface NewtonResult {
  readonly point: Float64Array;
  readonly residual: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** |F| after each iteration. */
  readonly history: readonly number[];
}

function norm(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

/**
 * GMRES(m) for A d = b with A v = apply(v), from d = 0: the minimizer of |A d - b| over the
 * Krylov space of dimension m (Arnoldi with two Gram-Schmidt passes, Givens rotations).
 */
export function gmres(
  apply: (v: Float64Array) => Float64Array,
  b: Float64Array,
  m: number,
): { x: Float64Array; residual: number } {
  const n = b.length;
  const beta = norm(b);
  if (beta === 0) return { x: new Float64Array(n), residual: 0 };
  const V: Float64Array[] = [b.map((v) => v / beta)];
  const H: number[][] = [];
  const cs: number[] = [];
  const sn: number[] = [];
  const g = [beta];
  let k = 0;
  for (; k < Math.min(m, n); k++) {
    const w = apply(V[k]!);
    const h: number[] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i <= k; i++) {
        let c = 0;
        for (let q = 0; q < n; q++) c += V[i]![q]! * w[q]!;
        for (let q = 0; q < n; q++) w[q] = w[q]! - c * V[i]![q]!;
        h[i] = (h[i] ?? 0) + c;
      }
    }
    const hk = norm(w);
    for (let i = 0; i < k; i++) {
      const t = cs[i]! * h[i]! + sn[i]! * h[i + 1]!;
      h[i + 1] = -sn[i]! * h[i]! + cs[i]! * h[i + 1]!;
      h[i] = t;
    }
    const r = Math.hypot(h[k]!, hk);
    cs[k] = r === 0 ? 1 : h[k]! / r;
    sn[k] = r === 0 ? 0 : hk / r;
    h[k] = r;
    g[k + 1] = -sn[k]! * g[k]!;
    g[k] = cs[k]! * g[k]!;
    H.push(h);
    if (hk <= 1e-14 * beta || Math.abs(g[k + 1]!) <= 1e-13 * beta) {
      k++;
      break;
    }
    V.push(w.map((v) => v / hk));
  }
  // Back substitution R y = g.
  const y = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = g[i]!;
    for (let j = i + 1; j < k; j++) s -= H[j]![i]! * y[j]!;
    y[i] = H[i]![i]! === 0 ? 0 : s / H[i]![i]!;
  }
  const x = new Float64Array(n);
  for (let j = 0; j < k; j++) for (let q = 0; q < n; q++) x[q] = x[q]! + y[j]! * V[j]![q]!;
  return { x, residual: Math.abs(g[k] ?? 0) };
}

/** Newton-Krylov on F(x) = 0 from x0, with backtracking on |F|. */
export function newtonFixedPoint(
  op: FieldOperator,
  x0: Float64Array,
  options: NewtonOptions = {},
): NewtonResult {
  const tol = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 50;
  const m = options.krylov ?? 60;
  if (x0.length !== op.dimension)
    throw new InvalidArgumentError("newtonFixedPoint", "x0", `a vector of length ${op.dimension}`, x0.length);
  let x = Float64Array.from(x0);
  let F = op.field(x);
  let r = norm(F);
  const history = [r];
  let it = 0;
  while (r > tol && it < maxIterations) {
    it++;
    const { x: d } = gmres(
      (v) => op.apply(x, v),
      F.map((f) => -f),
      m,
    );
    let t = 1;
    let accepted = false;
    for (let halving = 0; halving < 30; halving++, t /= 2) {
      const trial = x.map((xi, q) => xi + t * d[q]!);
      const Ft = op.field(trial);
      const rt = norm(Ft);
      if (rt < r) {
        x = trial;
        F = Ft;
        r = rt;
        accepted = true;
        break;
      }
    }
    history.push(r);
    if (!accepted) break;
  }
  return { point: x, residual: r, converged: r <= tol, iterations: it, history };
}
