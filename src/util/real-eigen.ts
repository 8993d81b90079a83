/**
 * Eigenvalues (and eigenvectors) of a real nonsymmetric square matrix, with an iteration bound:
 * Householder reduction to Hessenberg form and the shifted double-step QR iteration with
 * back-substitution for the eigenvectors (EISPACK's orthes and hqr2, as in JAMA). The code of
 * orthes, hqr2 and cdiv below is ml-matrix 6.15.1's (src/dc/evd.js, MIT licence) with types and
 * one change: ml-matrix's hqr2 has no iteration bound and cycles forever on some exactly
 * structured matrices, e.g. [[0, 1, 0], [-1, 0, -1], [0, 1, 0]] (its two exceptional shifts, at
 * iterations 10 and 30, do not break the cycle). Here an eigenvalue that has not deflated after
 * {@link iterationBound} iterations (LAPACK dlahqr's 30 max(10, n)) stops the iteration; the
 * decomposition is then retried once on a similar matrix P A P (P a fixed Householder reflector,
 * which destroys such structure; eigenvectors map back by V = P V'), and if that fails too a
 * NumericFailureError is thrown. A NaN or infinite entry is refused (the iteration never
 * deflates on one). A symmetric matrix goes to ml-matrix's symmetric solver (tred2/tql2), as
 * ml-matrix's own EigenvalueDecomposition does.
 *
 * Every nonsymmetric eigenvalue problem of learndyn goes through {@link realEigen}.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { NumericFailureError } from "./errors.ts";

/** Eigenvalues re[k] + i im[k] (a complex pair adjacent, positive imaginary part first). */
export interface RealEigen {
  re: number[];
  im: number[];
  /**
   * Real eigenvector columns in EISPACK's layout: a real eigenvalue's vector is its column; a
   * pair re[k] +- i im[k] has vectors V(:,k) +- i V(:,k+1).
   */
  vectors: Matrix;
}

/** The most QR iterations spent on one eigenvalue (or pair) before giving up: LAPACK's 30 max(10, n). */
export function iterationBound(n: number): number {
  return 30 * Math.max(10, n);
}

/** Eigenvalues and eigenvectors of a real square matrix, bounded (module comment). */
export function realEigen(A: Matrix | readonly (readonly number[])[]): RealEigen {
  const M = A instanceof Matrix ? A : new Matrix(A as number[][]);
  const n = M.rows;
  if (n === 0 || M.columns !== n) {
    throw new NumericFailureError("realEigen", "the matrix is not square and non-empty", {
      rows: M.rows,
      columns: M.columns,
    });
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (!Number.isFinite(M.get(i, j))) {
        throw new NumericFailureError("realEigen", "an entry is not a finite float64", {
          row: i,
          column: j,
          value: M.get(i, j),
        });
      }
  if (M.isSymmetric()) {
    const evd = new EigenvalueDecomposition(M, { assumeSymmetric: true });
    return { re: evd.realEigenvalues, im: evd.imaginaryEigenvalues, vectors: evd.eigenvectorMatrix };
  }
  const direct = hessenbergQr(M);
  if (direct) return direct;
  const P = reflector(n);
  const similar = hessenbergQr(P.mmul(M).mmul(P));
  if (similar) return { ...similar, vectors: P.mmul(similar.vectors) };
  throw new NumericFailureError(
    "realEigen",
    `the QR iteration did not converge within ${iterationBound(n)} iterations per eigenvalue`,
    { n },
  );
}

/** orthes then hqr2 on a copy of M; null when the iteration bound is hit. */
function hessenbergQr(M: Matrix): RealEigen | null {
  const n = M.rows;
  const H = M.clone();
  const V = new Matrix(n, n);
  const d = new Array<number>(n).fill(0);
  const e = new Array<number>(n).fill(0);
  orthes(n, H, new Array<number>(n).fill(0), V);
  return hqr2(n, e, d, V, H, iterationBound(n)) ? { re: d, im: e, vectors: V } : null;
}

/**
 * I - 2 v v' / v'v for v_i = 1 + i / n + sin(i + 1): orthogonal and symmetric (its own inverse),
 * fixed so results repeat, and with no zero or repeated pattern that a structured matrix shares.
 */
function reflector(n: number): Matrix {
  const v = Array.from({ length: n }, (_, i) => 1 + i / n + Math.sin(i + 1));
  const vv = v.reduce((s, x) => s + x * x, 0);
  return Matrix.eye(n).sub(
    Matrix.columnVector(v)
      .mmul(Matrix.rowVector(v))
      .mul(2 / vv),
  );
}

// ---- ml-matrix 6.15.1, src/dc/evd.js (MIT), with types; hqr2 returns false at the bound ----

function orthes(n: number, H: Matrix, ort: number[], V: Matrix): void {
  const low = 0;
  const high = n - 1;
  let f = 0,
    g = 0,
    h = 0,
    i = 0,
    j = 0,
    m = 0;
  let scale = 0;

  for (m = low + 1; m <= high - 1; m++) {
    scale = 0;
    for (i = m; i <= high; i++) {
      scale = scale + Math.abs(H.get(i, m - 1));
    }

    if (scale !== 0) {
      h = 0;
      for (i = high; i >= m; i--) {
        ort[i]! = H.get(i, m - 1) / scale;
        h += ort[i]! * ort[i]!;
      }

      g = Math.sqrt(h);
      if (ort[m]! > 0) {
        g = -g;
      }

      h = h - ort[m]! * g;
      ort[m]! = ort[m]! - g;

      for (j = m; j < n; j++) {
        f = 0;
        for (i = high; i >= m; i--) {
          f += ort[i]! * H.get(i, j);
        }

        f = f / h;
        for (i = m; i <= high; i++) {
          H.set(i, j, H.get(i, j) - f * ort[i]!);
        }
      }

      for (i = 0; i <= high; i++) {
        f = 0;
        for (j = high; j >= m; j--) {
          f += ort[j]! * H.get(i, j);
        }

        f = f / h;
        for (j = m; j <= high; j++) {
          H.set(i, j, H.get(i, j) - f * ort[j]!);
        }
      }

      ort[m]! = scale * ort[m]!;
      H.set(m, m - 1, scale * g);
    }
  }

  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++) {
      V.set(i, j, i === j ? 1 : 0);
    }
  }

  for (m = high - 1; m >= low + 1; m--) {
    if (H.get(m, m - 1) !== 0) {
      for (i = m + 1; i <= high; i++) {
        ort[i]! = H.get(i, m - 1);
      }

      for (j = m; j <= high; j++) {
        g = 0;
        for (i = m; i <= high; i++) {
          g += ort[i]! * V.get(i, j);
        }

        g = g / ort[m]! / H.get(m, m - 1);
        for (i = m; i <= high; i++) {
          V.set(i, j, V.get(i, j) + g * ort[i]!);
        }
      }
    }
  }
}

function hqr2(nn: number, e: number[], d: number[], V: Matrix, H: Matrix, maxIterations: number): boolean {
  let n = nn - 1;
  const low = 0;
  const high = nn - 1;
  const eps = Number.EPSILON;
  let exshift = 0;
  let norm = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let iter = 0;
  let i = 0,
    j = 0,
    k = 0,
    l = 0,
    m = 0,
    t = 0,
    w = 0,
    x = 0,
    y = 0;
  let ra = 0,
    sa = 0,
    vr = 0,
    vi = 0;
  let notlast = false,
    cdivres: [number, number];

  for (i = 0; i < nn; i++) {
    if (i < low || i > high) {
      d[i]! = H.get(i, i);
      e[i]! = 0;
    }

    for (j = Math.max(i - 1, 0); j < nn; j++) {
      norm = norm + Math.abs(H.get(i, j));
    }
  }

  while (n >= low) {
    l = n;
    while (l > low) {
      s = Math.abs(H.get(l - 1, l - 1)) + Math.abs(H.get(l, l));
      if (s === 0) {
        s = norm;
      }
      if (Math.abs(H.get(l, l - 1)) < eps * s) {
        break;
      }
      l--;
    }

    if (l === n) {
      H.set(n, n, H.get(n, n) + exshift);
      d[n]! = H.get(n, n);
      e[n]! = 0;
      n--;
      iter = 0;
    } else if (l === n - 1) {
      w = H.get(n, n - 1) * H.get(n - 1, n);
      p = (H.get(n - 1, n - 1) - H.get(n, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      H.set(n, n, H.get(n, n) + exshift);
      H.set(n - 1, n - 1, H.get(n - 1, n - 1) + exshift);
      x = H.get(n, n);

      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        d[n - 1]! = x + z;
        d[n]! = d[n - 1]!;
        if (z !== 0) {
          d[n]! = x - w / z;
        }
        e[n - 1]! = 0;
        e[n]! = 0;
        x = H.get(n, n - 1);
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p = p / r;
        q = q / r;

        for (j = n - 1; j < nn; j++) {
          z = H.get(n - 1, j);
          H.set(n - 1, j, q * z + p * H.get(n, j));
          H.set(n, j, q * H.get(n, j) - p * z);
        }

        for (i = 0; i <= n; i++) {
          z = H.get(i, n - 1);
          H.set(i, n - 1, q * z + p * H.get(i, n));
          H.set(i, n, q * H.get(i, n) - p * z);
        }

        for (i = low; i <= high; i++) {
          z = V.get(i, n - 1);
          V.set(i, n - 1, q * z + p * V.get(i, n));
          V.set(i, n, q * V.get(i, n) - p * z);
        }
      } else {
        d[n - 1]! = x + p;
        d[n]! = x + p;
        e[n - 1]! = z;
        e[n]! = -z;
      }

      n = n - 2;
      iter = 0;
    } else {
      x = H.get(n, n);
      y = 0;
      w = 0;
      if (l < n) {
        y = H.get(n - 1, n - 1);
        w = H.get(n, n - 1) * H.get(n - 1, n);
      }

      if (iter === 10) {
        exshift += x;
        for (i = low; i <= n; i++) {
          H.set(i, i, H.get(i, i) - x);
        }
        s = Math.abs(H.get(n, n - 1)) + Math.abs(H.get(n - 1, n - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }

      if (iter === 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) {
            s = -s;
          }
          s = x - w / ((y - x) / 2 + s);
          for (i = low; i <= n; i++) {
            H.set(i, i, H.get(i, i) - s);
          }
          exshift += s;
          x = y = w = 0.964;
        }
      }

      iter = iter + 1;
      if (iter > maxIterations) return false;

      m = n - 2;
      while (m >= l) {
        z = H.get(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / H.get(m + 1, m) + H.get(m, m + 1);
        q = H.get(m + 1, m + 1) - z - r - s;
        r = H.get(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p = p / s;
        q = q / s;
        r = r / s;
        if (m === l) {
          break;
        }
        if (
          Math.abs(H.get(m, m - 1)) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(H.get(m - 1, m - 1)) + Math.abs(z) + Math.abs(H.get(m + 1, m + 1))))
        ) {
          break;
        }
        m--;
      }

      for (i = m + 2; i <= n; i++) {
        H.set(i, i - 2, 0);
        if (i > m + 2) {
          H.set(i, i - 3, 0);
        }
      }

      for (k = m; k <= n - 1; k++) {
        notlast = k !== n - 1;
        if (k !== m) {
          p = H.get(k, k - 1);
          q = H.get(k + 1, k - 1);
          r = notlast ? H.get(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x !== 0) {
            p = p / x;
            q = q / x;
            r = r / x;
          }
        }

        if (x === 0) {
          break;
        }

        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) {
          s = -s;
        }

        if (s !== 0) {
          if (k !== m) {
            H.set(k, k - 1, -s * x);
          } else if (l !== m) {
            H.set(k, k - 1, -H.get(k, k - 1));
          }

          p = p + s;
          x = p / s;
          y = q / s;
          z = r / s;
          q = q / p;
          r = r / p;

          for (j = k; j < nn; j++) {
            p = H.get(k, j) + q * H.get(k + 1, j);
            if (notlast) {
              p = p + r * H.get(k + 2, j);
              H.set(k + 2, j, H.get(k + 2, j) - p * z);
            }

            H.set(k, j, H.get(k, j) - p * x);
            H.set(k + 1, j, H.get(k + 1, j) - p * y);
          }

          for (i = 0; i <= Math.min(n, k + 3); i++) {
            p = x * H.get(i, k) + y * H.get(i, k + 1);
            if (notlast) {
              p = p + z * H.get(i, k + 2);
              H.set(i, k + 2, H.get(i, k + 2) - p * r);
            }

            H.set(i, k, H.get(i, k) - p);
            H.set(i, k + 1, H.get(i, k + 1) - p * q);
          }

          for (i = low; i <= high; i++) {
            p = x * V.get(i, k) + y * V.get(i, k + 1);
            if (notlast) {
              p = p + z * V.get(i, k + 2);
              V.set(i, k + 2, V.get(i, k + 2) - p * r);
            }

            V.set(i, k, V.get(i, k) - p);
            V.set(i, k + 1, V.get(i, k + 1) - p * q);
          }
        }
      }
    }
  }

  if (norm === 0) {
    return true;
  }

  for (n = nn - 1; n >= 0; n--) {
    p = d[n]!;
    q = e[n]!;

    if (q === 0) {
      l = n;
      H.set(n, n, 1);
      for (i = n - 1; i >= 0; i--) {
        w = H.get(i, i) - p;
        r = 0;
        for (j = l; j <= n; j++) {
          r = r + H.get(i, j) * H.get(j, n);
        }

        if (e[i]! < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (e[i]! === 0) {
            H.set(i, n, w !== 0 ? -r / w : -r / (eps * norm));
          } else {
            x = H.get(i, i + 1);
            y = H.get(i + 1, i);
            q = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]!;
            t = (x * s - z * r) / q;
            H.set(i, n, t);
            H.set(i + 1, n, Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z);
          }

          t = Math.abs(H.get(i, n));
          if (eps * t * t > 1) {
            for (j = i; j <= n; j++) {
              H.set(j, n, H.get(j, n) / t);
            }
          }
        }
      }
    } else if (q < 0) {
      l = n - 1;

      if (Math.abs(H.get(n, n - 1)) > Math.abs(H.get(n - 1, n))) {
        H.set(n - 1, n - 1, q / H.get(n, n - 1));
        H.set(n - 1, n, -(H.get(n, n) - p) / H.get(n, n - 1));
      } else {
        cdivres = cdiv(0, -H.get(n - 1, n), H.get(n - 1, n - 1) - p, q);
        H.set(n - 1, n - 1, cdivres[0]);
        H.set(n - 1, n, cdivres[1]);
      }

      H.set(n, n - 1, 0);
      H.set(n, n, 1);
      for (i = n - 2; i >= 0; i--) {
        ra = 0;
        sa = 0;
        for (j = l; j <= n; j++) {
          ra = ra + H.get(i, j) * H.get(j, n - 1);
          sa = sa + H.get(i, j) * H.get(j, n);
        }

        w = H.get(i, i) - p;

        if (e[i]! < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (e[i]! === 0) {
            cdivres = cdiv(-ra, -sa, w, q);
            H.set(i, n - 1, cdivres[0]);
            H.set(i, n, cdivres[1]);
          } else {
            x = H.get(i, i + 1);
            y = H.get(i + 1, i);
            vr = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]! - q * q;
            vi = (d[i]! - p) * 2 * q;
            if (vr === 0 && vi === 0) {
              vr = eps * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            }
            cdivres = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            H.set(i, n - 1, cdivres[0]);
            H.set(i, n, cdivres[1]);
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              H.set(i + 1, n - 1, (-ra - w * H.get(i, n - 1) + q * H.get(i, n)) / x);
              H.set(i + 1, n, (-sa - w * H.get(i, n) - q * H.get(i, n - 1)) / x);
            } else {
              cdivres = cdiv(-r - y * H.get(i, n - 1), -s - y * H.get(i, n), z, q);
              H.set(i + 1, n - 1, cdivres[0]);
              H.set(i + 1, n, cdivres[1]);
            }
          }

          t = Math.max(Math.abs(H.get(i, n - 1)), Math.abs(H.get(i, n)));
          if (eps * t * t > 1) {
            for (j = i; j <= n; j++) {
              H.set(j, n - 1, H.get(j, n - 1) / t);
              H.set(j, n, H.get(j, n) / t);
            }
          }
        }
      }
    }
  }

  for (i = 0; i < nn; i++) {
    if (i < low || i > high) {
      for (j = i; j < nn; j++) {
        V.set(i, j, H.get(i, j));
      }
    }
  }

  for (j = nn - 1; j >= low; j--) {
    for (i = low; i <= high; i++) {
      z = 0;
      for (k = low; k <= Math.min(j, high); k++) {
        z = z + V.get(i, k) * H.get(k, j);
      }
      V.set(i, j, z);
    }
  }
  return true;
}

function cdiv(xr: number, xi: number, yr: number, yi: number): [number, number] {
  let r = 0,
    d = 0;
  if (Math.abs(yr) > Math.abs(yi)) {
    r = yi / yr;
    d = yr + r * yi;
    return [(xr + r * xi) / d, (xi - r * xr) / d];
  } else {
    r = yr / yi;
    d = yi + r * yr;
    return [(r * xr + xi) / d, (r * xi - xr) / d];
  }
}
