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
      return { rows: n, cols: n, a };
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

function matmul(x: Dense, y: Dense): Dense {
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

function transposeDense(x: Dense): Dense {
  const out = new Float64Array(x.a.length);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < x.cols; j++) out[j * x.rows + i] = x.a[i * x.cols + j]!;
  return { rows: x.cols, cols: x.rows, a: out };
}

/** A dense sample of `e` with spaces of round(size · n) rows. */
export function sampleExpression(
  e: MatrixExpr,
  n: number,
  seed: number,
): { rows: number; cols: number; a: Float64Array } {
  const fn = "sampleExpression";
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
      case "transpose":
        return transposeDense(evaluate(x.arg));
      case "scale": {
        const y = evaluate(x.arg);
        return { rows: y.rows, cols: y.cols, a: y.a.map((v) => v * x.coefficient) };
      }
      case "sum": {
        const parts = x.terms.map(evaluate);
        const a = new Float64Array(parts[0]!.a.length);
        for (const p of parts) for (let i = 0; i < a.length; i++) a[i]! += p.a[i]!;
        return { rows: parts[0]!.rows, cols: parts[0]!.cols, a };
      }
      case "product":
        return x.factors.map(evaluate).reduce(matmul);
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
