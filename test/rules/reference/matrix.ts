/**
 * Plain float64 matrices for the hand-written evaluations of the papers' formulas: row-major,
 * written with loops, independent of the IR and its interpreter. Each operation also has its
 * use in a magnitude model (the same formula on absolute values), from which the rounding
 * bounds of the tests are computed (see {@link roundingBound}).
 */

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly a: Float64Array;
}

export function mat(rows: number, cols: number, a: ArrayLike<number> = new Float64Array(rows * cols)): Mat {
  if (a.length !== rows * cols) throw new Error(`mat: ${a.length} entries for ${rows} x ${cols}`);
  return { rows, cols, a: Float64Array.from(a) };
}

export function at(A: Mat, i: number, j: number): number {
  return A.a[i * A.cols + j]!;
}

export function identity(n: number): Mat {
  const I = mat(n, n);
  for (let i = 0; i < n; i++) I.a[i * n + i] = 1;
  return I;
}

export function mul(A: Mat, B: Mat): Mat {
  if (A.cols !== B.rows) throw new Error(`mul: ${A.rows}x${A.cols} times ${B.rows}x${B.cols}`);
  const C = mat(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let t = 0; t < A.cols; t++) s += at(A, i, t) * at(B, t, j);
      C.a[i * B.cols + j] = s;
    }
  }
  return C;
}

export function transpose(A: Mat): Mat {
  const T = mat(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.a[j * A.rows + i] = at(A, i, j);
  return T;
}

function zip(A: Mat, B: Mat, f: (x: number, y: number) => number, what: string): Mat {
  if (A.rows !== B.rows || A.cols !== B.cols)
    throw new Error(`${what}: ${A.rows}x${A.cols} and ${B.rows}x${B.cols}`);
  return mat(
    A.rows,
    A.cols,
    A.a.map((x, q) => f(x, B.a[q]!)),
  );
}

export const add = (A: Mat, B: Mat) => zip(A, B, (x, y) => x + y, "add");
export const sub = (A: Mat, B: Mat) => zip(A, B, (x, y) => x - y, "sub");
export const hadamard = (A: Mat, B: Mat) => zip(A, B, (x, y) => x * y, "hadamard");
export const scale = (c: number, A: Mat) =>
  mat(
    A.rows,
    A.cols,
    A.a.map((x) => c * x),
  );
export const map = (A: Mat, f: (x: number) => number) => mat(A.rows, A.cols, A.a.map(f));
export const abs = (A: Mat) => map(A, Math.abs);

/** A diag(d): column j multiplied by d[j]. */
export function scaleColumns(A: Mat, d: ArrayLike<number>): Mat {
  return mat(
    A.rows,
    A.cols,
    A.a.map((x, q) => x * d[q % A.cols]!),
  );
}

/** The mean over samples of f(sample s), s = 0 .. count - 1. */
export function sampleMean(count: number, f: (s: number) => Mat): Mat {
  let acc = f(0);
  for (let s = 1; s < count; s++) acc = add(acc, f(s));
  return scale(1 / count, acc);
}

/** Sample s of a per-sample data array [count, rows, cols]. */
export function sample(data: Float64Array, rows: number, cols: number, s: number): Mat {
  return mat(rows, cols, data.subarray(s * rows * cols, (s + 1) * rows * cols));
}

/** Largest |x| over the entries. */
export function maxAbs(A: ArrayLike<number>): number {
  let m = 0;
  for (let q = 0; q < A.length; q++) m = Math.max(m, Math.abs(A[q]!));
  return m;
}

/** Unit roundoff of float64. */
export const U = 2 ** -53;

/**
 * A bound on |x̂ - ŷ| entrywise, for two float64 evaluations x̂, ŷ of the same exact quantity,
 * each computed by a chain of at most L roundings per path (sums accumulated in any order,
 * products, and 1-Lipschitz functions such as tanh whose own evaluation adds a few roundings):
 * by the standard forward error analysis (Higham, Accuracy and Stability, §3.1) each is within
 * γ_L |f|(|inputs|) of the exact value, γ_L = L u / (1 - L u), where `magnitude` is the formula
 * evaluated on absolute values (with |φ(a)| and |φ'(a)| bounded as the caller argues); the two
 * differ by at most twice that.
 */
export function roundingBound(L: number, magnitude: number): number {
  const gamma = (L * U) / (1 - L * U);
  return 2 * gamma * magnitude;
}

/** Rounds every entry to a multiple of 2^-k, so that adding a step 2^-j (j <= k) is exact. */
export function roundToGrid(x: Float64Array, k: number): Float64Array {
  const g = 2 ** k;
  return x.map((v) => Math.round(v * g) / g);
}
