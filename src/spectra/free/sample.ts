/**
 * Finite-size samples of a random-matrix expression: every space of relative size r gets
 * round(r · n) rows, each ensemble is drawn once (Gaussian and Wigner entries from the seeded
 * Rng, diagonals with round(p_i · n) entries at each atom or a midpoint grid for a uniform law,
 * Haar matrices by Gram-Schmidt on a Gaussian matrix), and the expression is multiplied out
 * densely. The eigenvalues of a symmetric result come from symmetricEigenvalues.
 */
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";
import { symmetricEigenvalues } from "../symmetric-eigenvalues.ts";
import { type Ensemble, ensemblesOf, type MatrixExpr, shapeOf } from "./expression.ts";

interface Dense {
  rows: number;
  cols: number;
  a: Float64Array;
  /** Set for a diagonal matrix: its diagonal (products with it then cost O(n²), not O(n³)). */
  diagonal?: Float64Array;
}

/** Largest side of a sampled matrix. */
export const SAMPLE_MAX_SIDE = 8000;

function draw(e: Ensemble, size: (name: string, r: number) => number, rng: Rng): Dense {
  switch (e.kind) {
    case "gaussian": {
      const rows = size(e.rows.name, e.rows.size);
      const cols = size(e.cols.name, e.cols.size);
      return { rows, cols, a: rng.normals(rows * cols, 0, Math.sqrt(e.variance / cols)) };
    }
    case "wigner": {
      const n = size(e.space.name, e.space.size);
      const a = new Float64Array(n * n);
      const sd = Math.sqrt(e.variance / n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          const v = rng.normal() * sd * (i === j ? Math.SQRT2 : 1);
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      return { rows: n, cols: n, a };
    }
    case "diagonal": {
      const n = size(e.space.name, e.space.size);
      const a = new Float64Array(n * n);
      if (e.law.kind === "uniform") {
        for (let i = 0; i < n; i++) a[i * n + i] = e.law.a + ((e.law.b - e.law.a) * (i + 0.5)) / n;
      } else {
        const law = e.law;
        let k = 0;
        let cum = 0;
        law.atoms.forEach((x, j) => {
          cum += law.weights[j]!;
          const end = j === law.atoms.length - 1 ? n : Math.round(cum * n);
          for (; k < end; k++) a[k * n + k] = x;
        });
      }
      return { rows: n, cols: n, a, diagonal: Float64Array.from({ length: n }, (_, i) => a[i * n + i]!) };
    }
    case "haar": {
      const n = size(e.space.name, e.space.size);
      const a = rng.normals(n * n);
      // Modified Gram-Schmidt on the columns: Q of a Gaussian matrix with R's diagonal > 0 is Haar.
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < j; k++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += a[i * n + j]! * a[i * n + k]!;
          for (let i = 0; i < n; i++) a[i * n + j]! -= d * a[i * n + k]!;
        }
        let norm = 0;
        for (let i = 0; i < n; i++) norm += a[i * n + j]! ** 2;
        norm = Math.sqrt(norm);
        for (let i = 0; i < n; i++) a[i * n + j]! /= norm;
      }
      return { rows: n, cols: n, a };
    }
  }
}

function matmul(x: Dense, y: Dense, dense = false): Dense {
  if (x.diagonal && !dense) return scaleRows(x.diagonal, y);
  if (y.diagonal && !dense) return scaleColumns(x, y.diagonal);
  const out = new Float64Array(x.rows * y.cols);
  for (let i = 0; i < x.rows; i++)
    for (let k = 0; k < x.cols; k++) {
      const v = x.a[i * x.cols + k]!;
      if (v === 0) continue;
      const yo = k * y.cols;
      const oo = i * y.cols;
      for (let j = 0; j < y.cols; j++) out[oo + j]! += v * y.a[yo + j]!;
    }
  return { rows: x.rows, cols: y.cols, a: out };
}

/** diag(d) · y in O(rows · cols). */
function scaleRows(d: Float64Array, y: Dense): Dense {
  const a = new Float64Array(y.a.length);
  for (let i = 0; i < y.rows; i++)
    for (let j = 0; j < y.cols; j++) a[i * y.cols + j] = d[i]! * y.a[i * y.cols + j]!;
  return { rows: y.rows, cols: y.cols, a };
}

/** x · diag(d) in O(rows · cols). */
function scaleColumns(x: Dense, d: Float64Array): Dense {
  const a = new Float64Array(x.a.length);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < x.cols; j++) a[i * x.cols + j] = x.a[i * x.cols + j]! * d[j]!;
  return { rows: x.rows, cols: x.cols, a };
}

/**
 * Yᵀ Z for a product known to be symmetric (Yᵀ M Y with Z = M Y, M symmetric): only the lower
 * triangle is accumulated, half the work of {@link matmul}, then mirrored.
 */
function symmetricProduct(y: Dense, z: Dense): Dense {
  const m = y.cols;
  const out = new Float64Array(m * m);
  for (let k = 0; k < y.rows; k++) {
    const yo = k * m;
    for (let i = 0; i < m; i++) {
      const v = y.a[yo + i]!;
      if (v === 0) continue;
      const oo = i * m;
      for (let j = 0; j <= i; j++) out[oo + j]! += v * z.a[yo + j]!;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) out[j * m + i] = out[i * m + j]!;
  return { rows: m, cols: m, a: out };
}

/** A letter's name with a prime per transpose (symmetric ensembles are their own transposes), or null. */
function letterKey(x: MatrixExpr): string | null {
  if (x.kind === "matrix")
    return x.ensemble.kind === "gaussian" || x.ensemble.kind === "haar"
      ? x.ensemble.name
      : `${x.ensemble.name}=`;
  if (x.kind === "transpose" && x.arg.kind === "matrix") {
    const k = letterKey(x.arg)!;
    return k.endsWith("=") ? k : `${k}'`;
  }
  return null;
}

/** The letters of a product of letters (or a letter), as keys; null for anything else. */
function productKey(x: MatrixExpr): string | null {
  const factors = x.kind === "product" ? x.factors : [x];
  const keys = factors.map(letterKey);
  return keys.every((k) => k !== null) ? keys.join(" ") : null;
}

/** The key of the transpose of a product of letters: reversed, each letter transposed. */
function transposedKey(x: MatrixExpr): string | null {
  const k = productKey(x);
  if (k === null) return null;
  return k
    .split(" ")
    .reverse()
    .map((l) => (l.endsWith("=") ? l : l.endsWith("'") ? l.slice(0, -1) : `${l}'`))
    .join(" ");
}

/**
 * The number h of factors whose mirror images are their transposes (f_{k−1−i} = f_iᵀ for i < h)
 * when that makes the product Yᵀ M Y with Y = f_{k−h} ⋯ f_{k−1} and a symmetric middle M (a
 * symmetric letter, or none); 0 otherwise.
 */
function palindromeHalf(factors: readonly MatrixExpr[]): number {
  const k = factors.length;
  const h = Math.floor(k / 2);
  if (h === 0) return 0;
  for (let i = 0; i < h; i++) {
    const a = letterKey(factors[i]!);
    const b = letterKey(factors[k - 1 - i]!);
    if (a === null || b === null) return 0;
    const transposeOfA = a.endsWith("=") ? a : a.endsWith("'") ? a.slice(0, -1) : `${a}'`;
    if (b !== transposeOfA) return 0;
  }
  if (k % 2 === 1 && !letterKey(factors[h]!)?.endsWith("=")) return 0;
  return h;
}

function transposeDense(x: Dense): Dense {
  const out = new Float64Array(x.a.length);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < x.cols; j++) out[j * x.rows + i] = x.a[i * x.cols + j]!;
  return { rows: x.cols, cols: x.rows, a: out };
}

/** The sides of the spaces at scale n (bounded by SAMPLE_MAX_SIDE) and every ensemble of `e`, drawn from `seed`. */
function drawEnsembles(fn: string, e: MatrixExpr, n: number, seed: number) {
  if (!(Number.isInteger(n) && n > 0)) throw new InvalidArgumentError(fn, "n", "a positive integer", n);
  shapeOf(e);
  const size = (name: string, r: number) => {
    const m = Math.max(1, Math.round(r * n));
    if (m > SAMPLE_MAX_SIDE) throw new BoundExceededError(fn, `rows of space ${name}`, SAMPLE_MAX_SIDE, m);
    return m;
  };
  const rng = new Rng(seed);
  const drawn = new Map<string, Dense>();
  for (const [name, en] of ensemblesOf(e)) drawn.set(name, draw(en, size, rng.fork(drawn.size)));
  return { size, drawn };
}

/**
 * A dense sample of `e` with spaces of round(size · n) rows. Products with diagonals are row or
 * column scalings and symmetric products Yᵀ M Y accumulate half the entries; `options.dense`
 * multiplies everything as dense matrices instead (the reference the shortcuts are tested against).
 */
export function sampleExpression(
  e: MatrixExpr,
  n: number,
  seed: number,
  options: { dense?: boolean } = {},
): { rows: number; cols: number; a: Float64Array } {
  const { size, drawn } = drawEnsembles("sampleExpression", e, n, seed);
  const evaluate = (x: MatrixExpr): Dense => {
    switch (x.kind) {
      case "matrix":
        return drawn.get(x.ensemble.name)!;
      case "identity": {
        const m = size(x.space.name, x.space.size);
        const a = new Float64Array(m * m);
        for (let i = 0; i < m; i++) a[i * m + i] = 1;
        return { rows: m, cols: m, a };
      }
      case "transpose": {
        const y = evaluate(x.arg);
        return y.diagonal ? y : transposeDense(y);
      }
      case "scale": {
        const y = evaluate(x.arg);
        const c = x.coefficient;
        return {
          rows: y.rows,
          cols: y.cols,
          a: y.a.map((v) => v * c),
          ...(y.diagonal ? { diagonal: y.diagonal.map((v) => v * c) } : {}),
        };
      }
      case "sum": {
        // A term that is the transpose of an earlier one (S1 S2 + S2 S1) is that one's transpose.
        const keys = x.terms.map(productKey);
        const parts: Dense[] = [];
        x.terms.forEach((t, i) => {
          const twin = options.dense || keys[i] === null ? -1 : keys.indexOf(transposedKey(t));
          parts.push(twin >= 0 && twin < i ? transposeDense(parts[twin]!) : evaluate(t));
        });
        const a = new Float64Array(parts[0]!.a.length);
        for (const p of parts) for (let i = 0; i < a.length; i++) a[i]! += p.a[i]!;
        return { rows: parts[0]!.rows, cols: parts[0]!.cols, a };
      }
      case "product": {
        // Yᵀ M Y (e.g. W1ᵀ D2 W1, X2 X1ᵀ X1 X2ᵀ) is symmetric: half a product for the outer step.
        const h = options.dense ? 0 : palindromeHalf(x.factors);
        if (h === 0) return x.factors.map(evaluate).reduce((p, q) => matmul(p, q, options.dense));
        const k = x.factors.length;
        const y = x.factors
          .slice(k - h)
          .map(evaluate)
          .reduce((p, q) => matmul(p, q));
        const z = k % 2 === 1 ? matmul(evaluate(x.factors[h]!), y) : y;
        return symmetricProduct(y, z);
      }
    }
  };
  return evaluate(e);
}

/** Ascending eigenvalues of a sample of a square expression, symmetrized ((A + Aᵀ)/2). */
export function sampledEigenvalues(e: MatrixExpr, n: number, seed: number): Float64Array {
  const s = sampleExpression(e, n, seed);
  if (s.rows !== s.cols)
    throw new InvalidArgumentError("sampledEigenvalues", "e", "a square expression", `${s.rows}×${s.cols}`);
  const m = s.rows;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) a[i * m + j] = 0.5 * (s.a[i * m + j]! + s.a[j * m + i]!);
  return symmetricEigenvalues(a, m);
}

/** A sample as an operator: its side and v ↦ X v, never forming X. */
export interface SampledOperator {
  readonly rows: number;
  readonly cols: number;
  apply(v: Float64Array): Float64Array;
}

/**
 * The sample of `e` that {@link sampleExpression} forms (the same ensembles from the same seed),
 * applied to vectors instead of multiplied out: a product applies its factors right to left, so
 * one application costs a pass over each factor's entries (O(rows · cols) per Gaussian, O(side)
 * per diagonal) rather than the O(side³) of forming the products.
 */
export function sampledOperator(e: MatrixExpr, n: number, seed: number): SampledOperator {
  const { size, drawn } = drawEnsembles("sampledOperator", e, n, seed);
  // The last product of each Gaussian or Haar letter (and its transpose) with each vector: terms
  // that start with the same letter (W1ᵀD2W1 + W1ᵀW2ᵀD3W2W1) share its first product.
  let cache = new Map<string, { input: Float64Array; output: Float64Array }>();
  /** x v, or xᵀ v when `transposed`; the result is never mutated. */
  const apply = (x: MatrixExpr, v: Float64Array, transposed: boolean): Float64Array => {
    switch (x.kind) {
      case "matrix": {
        const d = drawn.get(x.ensemble.name)!;
        if (d.diagonal) return v.map((vi, i) => d.diagonal![i]! * vi);
        const key = `${x.ensemble.name}${transposed ? "'" : ""}`;
        const hit = cache.get(key);
        if (hit?.input === v) return hit.output;
        const output = transposed ? matTransposeVec(d, v) : matVec(d, v);
        cache.set(key, { input: v, output });
        return output;
      }
      case "identity":
        return Float64Array.from(v);
      case "transpose":
        return apply(x.arg, v, !transposed);
      case "scale": {
        const c = x.coefficient;
        return apply(x.arg, v, transposed).map((y) => c * y);
      }
      case "sum": {
        const parts = x.terms.map((t) => apply(t, v, transposed));
        const out = Float64Array.from(parts[0]!);
        for (const p of parts.slice(1)) for (let i = 0; i < out.length; i++) out[i]! += p[i]!;
        return out;
      }
      case "product": {
        // (f_1 ⋯ f_k) v applies f_k first; its transpose applies f_1ᵀ first.
        const order = transposed ? x.factors : [...x.factors].reverse();
        return order.reduce((w, f) => apply(f, w, transposed), v);
      }
    }
  };
  const { rows, cols } = shapeOf(e);
  const side = { rows: size(rows.name, rows.size), cols: size(cols.name, cols.size) };
  return {
    ...side,
    apply: (v) => {
      if (v.length !== side.cols)
        throw new InvalidArgumentError("sampledOperator", "v", `a vector of length ${side.cols}`, v.length);
      cache = new Map();
      return Float64Array.from(apply(e, v, false));
    },
  };
}

function matVec(x: Dense, v: Float64Array): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    const o = i * x.cols;
    for (let j = 0; j < x.cols; j++) s += x.a[o + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

function matTransposeVec(x: Dense, v: Float64Array): Float64Array {
  const out = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) {
    const vi = v[i]!;
    if (vi === 0) continue;
    const o = i * x.cols;
    for (let j = 0; j < x.cols; j++) out[j]! += vi * x.a[o + j]!;
  }
  return out;
}
