/**
 * Random-matrix expressions: ensembles (Wigner/GOE, rectangular Gaussian, diagonal with a given
 * spectral law, Haar orthogonal) on named spaces of relative sizes, combined by sums, products,
 * transposes and real scalar coefficients. An expression is plain data; every builder checks
 * shapes (rows and columns are spaces) and throws InvalidArgumentError naming the argument.
 *
 * Normalizations (the large-N limit is taken with all space sizes proportional):
 * - `gaussian(A, B)`: an |A| × |B| matrix with iid N(0, v/|B|) entries (v = variance, default 1),
 *   so XᵀX has mean |A|/|B| · v per diagonal entry; W1 ∈ R^{N×M}, N(0, 1/M) of seed 001
 *   (eq. 102) is `gaussian(N, M)`.
 * - `wigner(A)`: symmetric |A| × |A|, off-diagonal entries N(0, v/|A|): semicircle on [−2√v, 2√v].
 * - `diagonal(A, law)`: a deterministic diagonal whose empirical law converges to `law`.
 * - `haar(A)`: Haar-distributed orthogonal |A| × |A|.
 */
import { InvalidArgumentError } from "../../util/errors.ts";

/** A named space: the dimension of rows or columns, with its size relative to the others. */
export interface Space {
  readonly name: string;
  /** Relative size (> 0); only ratios matter. */
  readonly size: number;
}

/** The limiting spectral law of a diagonal matrix. */
export type DiagonalLaw =
  | { readonly kind: "atoms"; readonly atoms: readonly number[]; readonly weights: readonly number[] }
  | { readonly kind: "uniform"; readonly a: number; readonly b: number };

export type Ensemble =
  | {
      readonly kind: "gaussian";
      readonly name: string;
      readonly rows: Space;
      readonly cols: Space;
      readonly variance: number;
    }
  | { readonly kind: "wigner"; readonly name: string; readonly space: Space; readonly variance: number }
  | { readonly kind: "diagonal"; readonly name: string; readonly space: Space; readonly law: DiagonalLaw }
  | { readonly kind: "haar"; readonly name: string; readonly space: Space };

export type MatrixExpr =
  | { readonly kind: "matrix"; readonly ensemble: Ensemble }
  | { readonly kind: "identity"; readonly space: Space }
  | { readonly kind: "sum"; readonly terms: readonly MatrixExpr[] }
  | { readonly kind: "product"; readonly factors: readonly MatrixExpr[] }
  | { readonly kind: "transpose"; readonly arg: MatrixExpr }
  | { readonly kind: "scale"; readonly coefficient: number; readonly arg: MatrixExpr };

export function space(name: string, size = 1): Space {
  if (!(typeof name === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)))
    throw new InvalidArgumentError("space", "name", "an identifier", name);
  if (!(Number.isFinite(size) && size > 0))
    throw new InvalidArgumentError("space", "size", "a finite number > 0 (relative size)", size);
  return { name, size };
}

function checkName(fn: string, name: unknown): void {
  if (!(typeof name === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)))
    throw new InvalidArgumentError(fn, "name", "an identifier", name);
}

function checkVariance(fn: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0))
    throw new InvalidArgumentError(fn, "variance", "a finite number > 0", v);
}

export function gaussian(name: string, rows: Space, cols: Space, variance = 1): MatrixExpr {
  checkName("gaussian", name);
  checkVariance("gaussian", variance);
  return { kind: "matrix", ensemble: { kind: "gaussian", name, rows, cols, variance } };
}

export function wigner(name: string, s: Space, variance = 1): MatrixExpr {
  checkName("wigner", name);
  checkVariance("wigner", variance);
  return { kind: "matrix", ensemble: { kind: "wigner", name, space: s, variance } };
}

export function diagonal(name: string, s: Space, law: DiagonalLaw): MatrixExpr {
  checkName("diagonal", name);
  return { kind: "matrix", ensemble: { kind: "diagonal", name, space: s, law } };
}

export function haar(name: string, s: Space): MatrixExpr {
  checkName("haar", name);
  return { kind: "matrix", ensemble: { kind: "haar", name, space: s } };
}

/** Σ p_i δ_{a_i}: finite atoms, weights ≥ 0 summing to 1 (within 1e-12). */
export function atomsLaw(atoms: readonly number[], weights: readonly number[]): DiagonalLaw {
  const fn = "atomsLaw";
  if (atoms.length === 0 || atoms.length !== weights.length)
    throw new InvalidArgumentError(
      fn,
      "weights",
      `${atoms.length} weights, one per atom (at least one)`,
      weights,
    );
  atoms.forEach((a, k) => {
    if (!Number.isFinite(a)) throw new InvalidArgumentError(fn, `atoms[${k}]`, "a finite number", a);
  });
  weights.forEach((w, k) => {
    if (!(Number.isFinite(w) && w >= 0))
      throw new InvalidArgumentError(fn, `weights[${k}]`, "a number ≥ 0", w);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  if (Math.abs(total - 1) > 1e-12)
    throw new InvalidArgumentError(fn, "weights", "masses summing to 1", total);
  const keep = atoms.map((a, k) => [a, weights[k]!] as const).filter(([, w]) => w > 0);
  return { kind: "atoms", atoms: keep.map((e) => e[0]), weights: keep.map((e) => e[1]) };
}

/** ±scale with a fraction α of minus signs: (1 − α) δ_scale + α δ_−scale. */
export function signsLaw(alpha: number, scale = 1): DiagonalLaw {
  if (!(Number.isFinite(alpha) && alpha >= 0 && alpha <= 1))
    throw new InvalidArgumentError("signsLaw", "alpha", "a number in [0, 1] (fraction of −1)", alpha);
  return atomsLaw([scale, -scale], [1 - alpha, alpha]);
}

/** The uniform law on [a, b], a < b. */
export function uniformLaw(a: number, b: number): DiagonalLaw {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
    throw new InvalidArgumentError("uniformLaw", "[a, b]", "finite a < b", [a, b]);
  return { kind: "uniform", a, b };
}

export function identity(s: Space): MatrixExpr {
  return { kind: "identity", space: s };
}

/** Rows and columns of an expression; `null` for a bare scalar whose space is not yet fixed. */
export interface Shape {
  rows: Space;
  cols: Space;
}

function sameSpace(a: Space, b: Space): boolean {
  return a.name === b.name && a.size === b.size;
}

function showShape(s: Shape): string {
  return `${s.rows.name}×${s.cols.name}`;
}

/** The shape of an expression (throws on mismatched sums or products). */
export function shapeOf(e: MatrixExpr): Shape {
  switch (e.kind) {
    case "matrix": {
      const en = e.ensemble;
      if (en.kind === "gaussian") return { rows: en.rows, cols: en.cols };
      return { rows: en.space, cols: en.space };
    }
    case "identity":
      return { rows: e.space, cols: e.space };
    case "transpose": {
      const s = shapeOf(e.arg);
      return { rows: s.cols, cols: s.rows };
    }
    case "scale":
      return shapeOf(e.arg);
    case "sum": {
      const first = shapeOf(e.terms[0]!);
      e.terms.forEach((t, k) => {
        const s = shapeOf(t);
        if (!(sameSpace(s.rows, first.rows) && sameSpace(s.cols, first.cols)))
          throw new InvalidArgumentError("sum", `terms[${k}]`, `shape ${showShape(first)}`, showShape(s));
      });
      return first;
    }
    case "product": {
      let s = shapeOf(e.factors[0]!);
      for (let k = 1; k < e.factors.length; k++) {
        const f = shapeOf(e.factors[k]!);
        if (!sameSpace(s.cols, f.rows))
          throw new InvalidArgumentError(
            "product",
            `factors[${k}]`,
            `a matrix with rows ${s.cols.name} (the columns of the product so far, ${showShape(s)})`,
            showShape(f),
          );
        s = { rows: s.rows, cols: f.cols };
      }
      return s;
    }
  }
}

export function sum(...terms: MatrixExpr[]): MatrixExpr {
  if (terms.length === 0) throw new InvalidArgumentError("sum", "terms", "at least one term", terms);
  const e: MatrixExpr = { kind: "sum", terms };
  shapeOf(e);
  return e;
}

export function product(...factors: MatrixExpr[]): MatrixExpr {
  if (factors.length === 0)
    throw new InvalidArgumentError("product", "factors", "at least one factor", factors);
  const e: MatrixExpr = { kind: "product", factors };
  shapeOf(e);
  return e;
}

export function transpose(arg: MatrixExpr): MatrixExpr {
  return { kind: "transpose", arg };
}

export function scale(coefficient: number, arg: MatrixExpr): MatrixExpr {
  if (!Number.isFinite(coefficient))
    throw new InvalidArgumentError("scale", "coefficient", "a finite number", coefficient);
  return { kind: "scale", coefficient, arg };
}

/** The ensembles of an expression, by name; two different ensembles under one name are refused. */
export function ensemblesOf(e: MatrixExpr, out = new Map<string, Ensemble>()): Map<string, Ensemble> {
  switch (e.kind) {
    case "matrix": {
      const prev = out.get(e.ensemble.name);
      if (prev && JSON.stringify(prev) !== JSON.stringify(e.ensemble))
        throw new InvalidArgumentError("ensemblesOf", e.ensemble.name, "one ensemble per name", [
          prev,
          e.ensemble,
        ]);
      out.set(e.ensemble.name, e.ensemble);
      return out;
    }
    case "identity":
      return out;
    case "transpose":
    case "scale":
      return ensemblesOf(e.arg, out);
    case "sum":
      for (const t of e.terms) ensemblesOf(t, out);
      return out;
    case "product":
      for (const f of e.factors) ensemblesOf(f, out);
      return out;
  }
}
