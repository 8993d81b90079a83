/**
 * The rightmost eigenvalues of a large nonsymmetric operator A (given only as v -> A v) by the
 * implicitly restarted Arnoldi method with exact shifts (Sorensen, SIAM J. Matrix Anal. Appl. 13,
 * 1992; Lehoucq, Sorensen and Yang, ARPACK Users' Guide, 1998), the stability test of a
 * non-gradient rule's Jacobian at sizes where a dense eigensolver is out of reach.
 *
 * An m-step Arnoldi factorization A V = V H + f e_m' (V orthonormal, reorthogonalized twice,
 * H upper Hessenberg) is built; the Ritz values of H are sorted by real part; the m - k unwanted
 * ones are applied as shifts by QR steps on H (a conjugate pair as one real double-shift step),
 * which keeps a k-step factorization whose starting vector is filtered toward the wanted
 * eigenvectors; the factorization is extended to m steps again, until every wanted Ritz value
 * has Ritz estimate |f| |e_m' y| <= tolerance max(|theta|, eps^(2/3) |H|). A conjugate pair is
 * never split between wanted and unwanted (k grows by one).
 *
 * The result always carries, for each returned value, its Ritz estimate and its true residual
 * |A x - theta x| / |x| computed from the Ritz vector; `converged` is false (and says which bound
 * was hit) when the restart or operator-application bound is reached first, so non-convergence
 * is never returned silently.
 *
 * The small dense problems use ml-matrix (QR factorizations) and realEigen (eigenvalues of H,
 * iteration-bounded).
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { InvalidArgumentError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { realEigen } from "../util/real-eigen.ts";

export interface ArnoldiOptions {
  /** k: how many eigenvalues with the largest real parts (>= 1). */
  readonly count: number;
  /** m: the Krylov subspace dimension, k + 2 <= m <= n (default max(2k + 1, k + 20) capped at n). */
  readonly subspace?: number;
  /** Relative Ritz-estimate tolerance (default 1e-10). */
  readonly tolerance?: number;
  /** Bound on restarts (default 500). */
  readonly maxRestarts?: number;
  /** Bound on applications of A (default 100 n, at least 10 000). */
  readonly maxApplications?: number;
  /** Seed of the random starting vector (default 1). */
  readonly seed?: number;
  /** A starting vector instead of a random one. */
  readonly start?: Float64Array;
}

export interface RitzPair {
  readonly re: number;
  readonly im: number;
  /** Ritz estimate |f| |e_m' y| / |y|. */
  readonly estimate: number;
  /** True residual |A x - theta x| / |x| of the Ritz vector x (complex for im != 0). */
  readonly residual: number;
}

export interface ArnoldiResult {
  /** The k rightmost Ritz values (k + 1 when a conjugate pair straddles k), by decreasing real part. */
  readonly values: readonly RitzPair[];
  readonly converged: boolean;
  /** Which bound stopped the iteration, when not converged. */
  readonly stoppedBy?: "restarts" | "applications";
  readonly restarts: number;
  readonly applications: number;
  readonly subspace: number;
}

/** Real n-vectors as Float64Array; the basis V is kept as an array of columns. */
function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** w -= sum_i c_i V_i for i < count, with c = V' w (classical Gram-Schmidt); returns c. */
function orthogonalize(V: Float64Array[], count: number, w: Float64Array): Float64Array {
  const c = new Float64Array(count);
  const n = w.length;
  for (let i = 0; i < count; i++) c[i] = dot(V[i]!, w);
  // Two basis vectors per pass over w halves its memory traffic.
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const a = V[i]!;
    const b = V[i + 1]!;
    const ca = c[i]!;
    const cb = c[i + 1]!;
    for (let q = 0; q < n; q++) w[q] = w[q]! - ca * a[q]! - cb * b[q]!;
  }
  if (i < count) {
    const a = V[i]!;
    const ca = c[i]!;
    for (let q = 0; q < n; q++) w[q] = w[q]! - ca * a[q]!;
  }
  return c;
}

/** x / s as a new array (a loop, not map: this runs on every Krylov vector). */
function scaled(x: Float64Array, s: number): Float64Array {
  const out = new Float64Array(x.length);
  const r = 1 / s;
  for (let q = 0; q < x.length; q++) out[q] = x[q]! * r;
  return out;
}

interface Ritz {
  re: number;
  im: number;
  /** Index of the (first) column of the eigenvector in the eigenvector matrix. */
  column: number;
  /** For a complex pair's second member: its vector is column - i column+1 (the first's conjugate). */
  conjugate: boolean;
}

/** Ritz values of H (m x m) with their eigenvector columns (EISPACK layout: re, im columns). */
function ritzValues(H: Matrix): { ritz: Ritz[]; vectors: Matrix } {
  const evd = realEigen(H);
  const re = evd.re;
  const im = evd.im;
  const ritz: Ritz[] = [];
  // A pair (re[i] +- i b) has eigenvectors V(:,i) +- i V(:,i+1) (A V = V D with the 2 x 2 block
  // [[re, b], [-b, re]], b = im[i], whatever its sign).
  for (let i = 0; i < re.length; i++) {
    if (im[i]! !== 0 && i + 1 < re.length) {
      ritz.push(
        { re: re[i]!, im: im[i]!, column: i, conjugate: false },
        { re: re[i + 1]!, im: im[i + 1]!, column: i, conjugate: true },
      );
      i++;
    } else ritz.push({ re: re[i]!, im: im[i]!, column: i, conjugate: false });
  }
  // Largest real part first; a conjugate pair stays adjacent (positive imaginary part first).
  ritz.sort((a, b) => b.re - a.re || b.im - a.im);
  return { ritz, vectors: evd.vectors };
}

/** |e_m' y| / |y| for the eigenvector of a Ritz value (complex modulus for a pair). */
function lastComponent(vectors: Matrix, r: Ritz, m: number): number {
  const c = r.column;
  if (r.im === 0) {
    let n2 = 0;
    for (let i = 0; i < m; i++) n2 += vectors.get(i, c) ** 2;
    return Math.abs(vectors.get(m - 1, c)) / Math.sqrt(n2);
  }
  let n2 = 0;
  for (let i = 0; i < m; i++) n2 += vectors.get(i, c) ** 2 + vectors.get(i, c + 1) ** 2;
  return Math.hypot(vectors.get(m - 1, c), vectors.get(m - 1, c + 1)) / Math.sqrt(n2);
}

/** H <- Q' H Q for the QR factorization of p(H) (p(z) = z - mu or (z - mu)(z - conj mu)); returns Q. */
function shiftStep(H: Matrix, shift: Ritz): Matrix {
  const m = H.rows;
  let S: Matrix;
  if (shift.im === 0) S = Matrix.sub(H, Matrix.eye(m, m).mul(shift.re));
  else {
    // (H - mu)(H - conj mu) = H^2 - 2 Re(mu) H + |mu|^2 I, real.
    S = H.mmul(H)
      .sub(Matrix.mul(H, 2 * shift.re))
      .add(Matrix.eye(m, m).mul(shift.re ** 2 + shift.im ** 2));
  }
  const Q = new QrDecomposition(S).orthogonalMatrix;
  const next = Q.transpose().mmul(H).mmul(Q);
  // p(H) Q-similarity keeps H upper Hessenberg in exact arithmetic; clear the rounding below it.
  for (let i = 2; i < m; i++) for (let j = 0; j < i - 1; j++) next.set(i, j, 0);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H.set(i, j, next.get(i, j));
  return Q;
}

export function arnoldiEigenvalues(
  apply: (v: Float64Array) => Float64Array,
  n: number,
  options: ArnoldiOptions,
): ArnoldiResult {
  const fn = "arnoldiEigenvalues";
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(fn, "n", "a positive integer", n);
  const k0 = options.count;
  if (!Number.isInteger(k0) || k0 < 1 || k0 > n - 2) {
    throw new InvalidArgumentError(
      fn,
      "count",
      `an integer in [1, n - 2 = ${n - 2}]`,
      k0,
      "for tiny operators use a dense eigensolver",
    );
  }
  const m = options.subspace ?? Math.min(n, Math.max(2 * k0 + 1, k0 + 20));
  if (!Number.isInteger(m) || m < k0 + 2 || m > n) {
    throw new InvalidArgumentError(fn, "subspace", `an integer in [count + 2, n] = [${k0 + 2}, ${n}]`, m);
  }
  const tol = options.tolerance ?? 1e-10;
  const maxRestarts = options.maxRestarts ?? 500;
  const maxApplications = options.maxApplications ?? Math.max(10_000, 100 * n);
  const rng = new Rng(options.seed ?? 1);
  let applications = 0;
  const A = (v: Float64Array) => {
    applications++;
    const w = apply(v);
    if (w.length !== n) throw new InvalidArgumentError(fn, "apply", `a vector of length ${n}`, w.length);
    return Float64Array.from(w);
  };

  const V: Float64Array[] = [];
  const H = new Matrix(m, m);
  let f: Float64Array;
  {
    const v0 = options.start ? Float64Array.from(options.start) : rng.normals(n);
    const s = norm(v0);
    if (!(s > 0) || !Number.isFinite(s))
      throw new InvalidArgumentError(fn, "start", "a finite nonzero vector", s);
    V.push(scaled(v0, s));
  }
  // Extends the factorization from `from` columns to m; returns the residual f = A v_m - V h.
  const extend = (from: number): Float64Array => {
    let w: Float64Array = new Float64Array(n);
    for (let j = from; j < m; j++) {
      w = A(V[j]!);
      const before = norm(w);
      const h = orthogonalize(V, j + 1, w);
      const h2 = orthogonalize(V, j + 1, w); // second pass (DGKS): orthogonality to rounding
      for (let i = 0; i <= j; i++) H.set(i, j, h[i]! + h2[i]!);
      if (j + 1 === m) break;
      let beta = norm(w);
      if (beta <= 1e-12 * before) {
        // An invariant subspace: continue from a random vector orthogonal to it (H(j+1, j) = 0).
        w = rng.normals(n);
        orthogonalize(V, j + 1, w);
        orthogonalize(V, j + 1, w);
        beta = norm(w);
        H.set(j + 1, j, 0);
        V[j + 1] = scaled(w, beta);
        continue;
      }
      H.set(j + 1, j, beta);
      V[j + 1] = scaled(w, beta);
    }
    return w;
  };

  f = extend(0);
  let restarts = 0;
  for (;;) {
    const { ritz, vectors } = ritzValues(H);
    let k = k0;
    if (ritz[k - 1]!.im > 0 && k < ritz.length) k++; // keep a conjugate pair together
    const beta = norm(f);
    const scale = Math.max(Math.abs(H.norm("frobenius")), Number.MIN_VALUE);
    const estimates = ritz.slice(0, k).map((r) => beta * lastComponent(vectors, r, m));
    const converged = ritz
      .slice(0, k)
      .every((r, i) => estimates[i]! <= tol * Math.max(Math.hypot(r.re, r.im), 2.2e-16 ** (2 / 3) * scale));
    const exhausted =
      restarts >= maxRestarts
        ? "restarts"
        : applications + (m - k) > maxApplications
          ? "applications"
          : undefined;
    if (converged || exhausted || k + 1 >= m) {
      return {
        values: ritz.slice(0, k).map((r, i) => ({
          re: r.re,
          im: r.im,
          estimate: estimates[i]!,
          residual: ritzResidual(A, V, vectors, r, m),
        })),
        converged,
        ...(converged ? {} : { stoppedBy: exhausted ?? "restarts" }),
        restarts,
        applications,
        subspace: m,
      };
    }
    // Exact shifts: the unwanted Ritz values, a conjugate pair as one double shift.
    let Qtot = Matrix.eye(m, m);
    const unwanted = ritz.slice(k);
    for (let i = 0; i < unwanted.length; i++) {
      const s = unwanted[i]!;
      if (s.im < 0) continue; // the partner of a pair already applied
      Qtot = Qtot.mmul(shiftStep(H, s));
    }
    // Keep k columns: V <- V Q(:, :k), f <- V Q(:, k) H(k, k-1) + f Q(m-1, k-1).
    const sigma = Qtot.get(m - 1, k - 1);
    const hk = H.get(k, k - 1);
    const next: Float64Array[] = [];
    for (let c = 0; c <= k; c++) {
      const v = new Float64Array(n);
      for (let j = 0; j < m; j++) {
        const q = Qtot.get(j, c);
        if (q === 0) continue;
        const vj = V[j]!;
        for (let i = 0; i < n; i++) v[i] = v[i]! + q * vj[i]!;
      }
      next.push(v);
    }
    const fk = new Float64Array(n);
    for (let i = 0; i < n; i++) fk[i] = next[k]![i]! * hk + f[i]! * sigma;
    const b = norm(fk);
    V.length = 0;
    V.push(...next.slice(0, k));
    for (let i = k; i < m; i++) for (let j = 0; j < m; j++) H.set(i, j, 0);
    for (let i = 0; i < k; i++) for (let j = k; j < m; j++) H.set(i, j, 0);
    if (b > 0) {
      H.set(k, k - 1, b);
      V.push(scaled(fk, b));
    } else {
      const w = rng.normals(n);
      orthogonalize(V, k, w);
      orthogonalize(V, k, w);
      const s = norm(w);
      H.set(k, k - 1, 0);
      V.push(scaled(w, s));
    }
    restarts++;
    f = extend(k);
  }
}

/** |A x - theta x| / |x| for the Ritz vector x = V y of a Ritz value (two applications for a pair). */
function ritzResidual(
  A: (v: Float64Array) => Float64Array,
  V: readonly Float64Array[],
  vectors: Matrix,
  r: Ritz,
  m: number,
): number {
  const n = V[0]!.length;
  const combine = (c: number) => {
    const x = new Float64Array(n);
    for (let j = 0; j < m; j++) {
      const y = vectors.get(j, c);
      const v = V[j]!;
      for (let i = 0; i < n; i++) x[i] = x[i]! + y * v[i]!;
    }
    return x;
  };
  const xr = combine(r.column);
  if (r.im === 0) {
    const Ax = A(xr);
    let res = 0;
    for (let i = 0; i < n; i++) res += (Ax[i]! - r.re * xr[i]!) ** 2;
    return Math.sqrt(res) / norm(xr);
  }
  // x = xr + i xi, the conjugate for the pair's second member.
  const xi = combine(r.column + 1).map((x) => (r.conjugate ? -x : x));
  const Axr = A(xr);
  const Axi = A(xi);
  let res = 0;
  for (let i = 0; i < n; i++) {
    const re = Axr[i]! - (r.re * xr[i]! - r.im * xi[i]!);
    const im = Axi[i]! - (r.re * xi[i]! + r.im * xr[i]!);
    res += re * re + im * im;
  }
  return Math.sqrt(res) / Math.sqrt(dot(xr, xr) + dot(xi, xi));
}
