/**
 * Finite-size samples of non-self-adjoint expressions: the complex eigenvalues of a dense sample
 * (sampleExpression), optionally with a rank-one perturbation θ u uᵀ (u a uniformly random unit
 * vector, independent of the sample), by the bounded Hessenberg QR of src/util/real-eigen.ts
 * (O(n³), about 5 s at n = 400 and 45 s at n = 800 on one core, so sides above SAMPLED_BROWN_MAX_SIDE
 * are refused: larger samples are drawn by bench/brown_sampled_numpy.py). And the radial
 * Kolmogorov-Smirnov distance of eigenvalue moduli from a radial distribution.
 */
import { Matrix } from "ml-matrix";
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";
import { realEigen } from "../../util/real-eigen.ts";
import type { Complex } from "../complex.ts";
import type { MatrixExpr } from "./expression.ts";
import { sampleExpression } from "./sample.ts";

/** Largest side sampled here. */
export const SAMPLED_BROWN_MAX_SIDE = 1000;

export function sampledComplexEigenvalues(
  e: MatrixExpr,
  n: number,
  seed: number,
  options: { rankOne?: number } = {},
): Complex[] {
  const fn = "sampledComplexEigenvalues";
  const s = sampleExpression(e, n, seed);
  if (s.rows !== s.cols)
    throw new InvalidArgumentError(fn, "e", "a square expression", `${s.rows}×${s.cols}`);
  const m = s.rows;
  if (m > SAMPLED_BROWN_MAX_SIDE) throw new BoundExceededError(fn, "side", SAMPLED_BROWN_MAX_SIDE, m);
  const a = s.a.slice();
  if (options.rankOne !== undefined) {
    const u = new Rng(seed).fork(1_000_003).normals(m);
    const norm = Math.hypot(...u);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) a[i * m + j]! += (options.rankOne * u[i]! * u[j]!) / (norm * norm);
  }
  const { re, im } = realEigen(Matrix.from1DArray(m, m, a));
  return re.map((x, i) => ({ re: x, im: im[i]! }));
}

/**
 * max_k |F_n(r(k/grid)) − k/grid| (k = 1..grid − 1): the Kolmogorov-Smirnov distance of the
 * moduli of `points` from a radial distribution given by its quantile function r(F), on a grid of
 * masses (it differs from the supremum by at most 1/grid); `radius` maps a point to the modulus
 * compared (|λ| by default).
 */
export function radialKolmogorovSmirnov(
  points: readonly Complex[],
  quantile: (F: number) => number,
  grid = 200,
  radius: (z: Complex) => number = (z) => Math.hypot(z.re, z.im),
): number {
  const r = points.map(radius).sort((a, b) => a - b);
  const n = r.length;
  let d = 0;
  let k = 0;
  for (let g = 1; g < grid; g++) {
    const F = g / grid;
    const q = quantile(F);
    while (k < n && r[k]! <= q) k++;
    d = Math.max(d, Math.abs(k / n - F));
  }
  return d;
}
