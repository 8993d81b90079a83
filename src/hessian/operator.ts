/**
 * A linear operator v -> A v on R^dim, the only thing the spectral tools need: a Hessian given
 * by Hessian-vector products, a test matrix with a known spectrum, or a restriction of either to
 * a block of coordinates.
 */
import { InvalidArgumentError, requirePositiveInteger } from "../util/errors.ts";

export interface LinearOperator {
  /** Dimension of the space the operator acts on. */
  dim: number;
  /** Returns A v (a new array of length dim); v is not modified. */
  apply(v: Float64Array): Float64Array;
}

/** The operator of a dense row-major n x n matrix. */
export function matrixOperator(a: Float64Array, n: number): LinearOperator {
  requirePositiveInteger("matrixOperator", "n", n);
  if (a.length !== n * n) {
    throw new InvalidArgumentError("matrixOperator", "a", `an n x n = ${n * n} row-major matrix`, {
      length: a.length,
    });
  }
  return {
    dim: n,
    apply(v) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!;
        out[i] = s;
      }
      return out;
    },
  };
}

/**
 * The block A[S, S] of `op` for the coordinates S = offset..offset+length-1: v is embedded with
 * zeros elsewhere, A is applied, and the block S of the result is kept.
 */
export function restrictOperator(op: LinearOperator, offset: number, length: number): LinearOperator {
  if (
    !Number.isInteger(offset) ||
    offset < 0 ||
    !Number.isInteger(length) ||
    length <= 0 ||
    offset + length > op.dim
  ) {
    throw new InvalidArgumentError(
      "restrictOperator",
      "offset, length",
      `a non-empty block inside 0..${op.dim - 1}`,
      { offset, length },
    );
  }
  return {
    dim: length,
    apply(v) {
      const full = new Float64Array(op.dim);
      full.set(v, offset);
      return op.apply(full).slice(offset, offset + length);
    },
  };
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
