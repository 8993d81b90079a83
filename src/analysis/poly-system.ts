/**
 * A square or non-square polynomial system p_1, ..., p_m in unknowns x_1, ..., x_n with exact
 * rational coefficients, compiled for complex float64 evaluation of values and Jacobian, and a
 * complex linear solver for the small dense systems of Newton steps. The numeric engine of
 * {@link trackTotalDegree} and {@link certifyRoot}.
 *
 * Complex vectors are pairs of float arrays (`re`, `im`) so that the inner loops stay on
 * numbers.
 */
import type { Poly } from "../expr/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";

/** A complex vector as separate real and imaginary parts of equal length. */
export interface CVec {
  re: number[];
  im: number[];
}

/** One term: coefficient (as float and as the exact rational's two nearest bounds) and exponents. */
export interface CompiledTerm {
  readonly coef: number;
  readonly exps: readonly number[];
}

/** A polynomial system compiled over an ordered list of unknowns. */
export interface PolySystem {
  readonly unknowns: readonly string[];
  readonly equations: readonly Poly[];
  readonly terms: readonly (readonly CompiledTerm[])[];
  /** Total degree of each equation. */
  readonly degrees: readonly number[];
}

/** Compiles `equations` over `unknowns`; every variable of the equations must be an unknown. */
export function compileSystem(equations: readonly Poly[], unknowns: readonly string[]): PolySystem {
  const index = new Map(unknowns.map((v, i) => [v, i]));
  const terms = equations.map((p) =>
    p.terms().map((t) => {
      const exps = new Array<number>(unknowns.length).fill(0);
      for (const [v, e] of t.mono) {
        const i = index.get(v);
        if (i === undefined)
          throw new InvalidArgumentError(
            "compileSystem",
            "equations",
            `polynomials in ${unknowns.join(", ")} only`,
            `"${p}" (contains ${v})`,
            "substitute parameter values first",
          );
        exps[i] = e;
      }
      return { coef: t.coef.toNumber(), exps };
    }),
  );
  return { unknowns, equations, terms, degrees: equations.map((p) => Math.max(0, p.totalDegree())) };
}

/** Powers x_v^k for k = 0..maxDeg of each coordinate, complex. */
function powers(x: CVec, maxDeg: number): { re: number[][]; im: number[][] } {
  const re: number[][] = [];
  const im: number[][] = [];
  for (let v = 0; v < x.re.length; v++) {
    const r = [1];
    const m = [0];
    for (let k = 1; k <= maxDeg; k++) {
      r.push(r[k - 1]! * x.re[v]! - m[k - 1]! * x.im[v]!);
      m.push(r[k - 1]! * x.im[v]! + m[k - 1]! * x.re[v]!);
    }
    re.push(r);
    im.push(m);
  }
  return { re, im };
}

/**
 * Values F(x) and, when `withJacobian`, the Jacobian dF_i/dx_j at a complex point, in float64.
 */
export function evaluateSystem(
  sys: PolySystem,
  x: CVec,
  withJacobian = true,
): { F: CVec; J: { re: number[][]; im: number[][] } } {
  const n = sys.unknowns.length;
  const m = sys.terms.length;
  const maxDeg = Math.max(1, ...sys.degrees);
  const pw = powers(x, maxDeg);
  const F: CVec = { re: new Array(m).fill(0), im: new Array(m).fill(0) };
  const J = {
    re: Array.from({ length: m }, () => new Array<number>(n).fill(0)),
    im: Array.from({ length: m }, () => new Array<number>(n).fill(0)),
  };
  for (let i = 0; i < m; i++) {
    for (const t of sys.terms[i]!) {
      let vr = t.coef;
      let vi = 0;
      for (let v = 0; v < n; v++) {
        const e = t.exps[v]!;
        if (e === 0) continue;
        const a = pw.re[v]![e]!;
        const b = pw.im[v]![e]!;
        [vr, vi] = [vr * a - vi * b, vr * b + vi * a];
      }
      F.re[i]! += vr;
      F.im[i]! += vi;
      if (!withJacobian) continue;
      for (let j = 0; j < n; j++) {
        const e = t.exps[j]!;
        if (e === 0) continue;
        // d/dx_j: coef * e * x_j^(e-1) * prod_{v != j} x_v^(e_v)
        let dr = t.coef * e;
        let di = 0;
        for (let v = 0; v < n; v++) {
          const k = v === j ? e - 1 : t.exps[v]!;
          if (k === 0) continue;
          const a = pw.re[v]![k]!;
          const b = pw.im[v]![k]!;
          [dr, di] = [dr * a - di * b, dr * b + di * a];
        }
        J.re[i]![j]! += dr;
        J.im[i]![j]! += di;
      }
    }
  }
  return { F, J };
}

/**
 * Solves the complex linear system A z = b (n x n) by Gaussian elimination with partial
 * pivoting; undefined when a pivot is zero or the result is not finite.
 */
export function solveComplex(A: { re: number[][]; im: number[][] }, b: CVec): CVec | undefined {
  const n = b.re.length;
  const ar = A.re.map((r) => [...r]);
  const ai = A.im.map((r) => [...r]);
  const br = [...b.re];
  const bi = [...b.im];
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.hypot(ar[k]![k]!, ai[k]![k]!);
    for (let r = k + 1; r < n; r++) {
      const v = Math.hypot(ar[r]![k]!, ai[r]![k]!);
      if (v > best) [p, best] = [r, v];
    }
    if (!(best > 0)) return undefined;
    [ar[k], ar[p]] = [ar[p]!, ar[k]!];
    [ai[k], ai[p]] = [ai[p]!, ai[k]!];
    [br[k], br[p]] = [br[p]!, br[k]!];
    [bi[k], bi[p]] = [bi[p]!, bi[k]!];
    const pr = ar[k]![k]!;
    const pi = ai[k]![k]!;
    const d = pr * pr + pi * pi;
    for (let r = k + 1; r < n; r++) {
      // factor = A[r][k] / A[k][k]
      const xr = ar[r]![k]!;
      const xi = ai[r]![k]!;
      const fr = (xr * pr + xi * pi) / d;
      const fi = (xi * pr - xr * pi) / d;
      if (fr === 0 && fi === 0) continue;
      for (let c = k; c < n; c++) {
        const yr = ar[k]![c]!;
        const yi = ai[k]![c]!;
        ar[r]![c]! -= fr * yr - fi * yi;
        ai[r]![c]! -= fr * yi + fi * yr;
      }
      br[r]! -= fr * br[k]! - fi * bi[k]!;
      bi[r]! -= fr * bi[k]! + fi * br[k]!;
    }
  }
  const zr = new Array<number>(n).fill(0);
  const zi = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let sr = br[k]!;
    let si = bi[k]!;
    for (let c = k + 1; c < n; c++) {
      sr -= ar[k]![c]! * zr[c]! - ai[k]![c]! * zi[c]!;
      si -= ar[k]![c]! * zi[c]! + ai[k]![c]! * zr[c]!;
    }
    const pr = ar[k]![k]!;
    const pi = ai[k]![k]!;
    const d = pr * pr + pi * pi;
    zr[k] = (sr * pr + si * pi) / d;
    zi[k] = (si * pr - sr * pi) / d;
  }
  return zr.every(Number.isFinite) && zi.every(Number.isFinite) ? { re: zr, im: zi } : undefined;
}

/** Inverse of a complex n x n matrix (column by column); undefined if singular. */
export function invertComplex(A: {
  re: number[][];
  im: number[][];
}): { re: number[][]; im: number[][] } | undefined {
  const n = A.re.length;
  const re = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const im = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const e: CVec = { re: new Array(n).fill(0), im: new Array(n).fill(0) };
    e.re[c] = 1;
    const col = solveComplex(A, e);
    if (!col) return undefined;
    for (let r = 0; r < n; r++) {
      re[r]![c] = col.re[r]!;
      im[r]![c] = col.im[r]!;
    }
  }
  return { re, im };
}

/** Largest modulus of the entries. */
export function cnorm(x: CVec): number {
  let m = 0;
  for (let i = 0; i < x.re.length; i++) m = Math.max(m, Math.hypot(x.re[i]!, x.im[i]!));
  return m;
}
