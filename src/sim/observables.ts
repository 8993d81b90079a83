/**
 * Observables of a weight trajectory, computed on the host from snapshots w(t_1), ..., w(t_T)
 * of all D weights of one simulation (both layers, concatenated): the order parameter q of
 * seed 001 eq. 15, the weight autocorrelation function and the projection on the first two
 * principal components (seed 001 Figs. 3-4 c, d).
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { InvalidArgumentError, NumericFailureError } from "../util/errors.ts";

/**
 * Integers 0 = e_0 < e_1 < ... < e_k = epochs, roughly evenly spaced in log(1 + e): at most
 * `count` distinct points.
 */
export function logSpacedEpochs(epochs: number, count: number): number[] {
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new InvalidArgumentError("logSpacedEpochs", "epochs", "an integer >= 0", epochs);
  if (!Number.isInteger(count) || count < 2)
    throw new InvalidArgumentError("logSpacedEpochs", "count", "an integer >= 2", count);
  const out = new Set<number>([0, epochs]);
  const top = Math.log(1 + epochs);
  for (let k = 1; k < count - 1; k++) out.add(Math.round(Math.exp((top * k) / (count - 1)) - 1));
  return [...out].sort((a, b) => a - b);
}

/**
 * Running per-weight time mean and variance (Welford), so that q needs no stored trajectory.
 * q = E_w[ <(w - <w>)^2>_t ] / V_w[ <w>_t ] (seed 001 eq. 15): the mean over weights of the
 * temporal variance, divided by the variance over weights of the temporal means. q = 0 at a
 * fixed point; q of order 1 or more when the weights keep fluctuating as widely as they are spread.
 */
export class OrderParameter {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly dimension: number) {
    this.mean = new Float64Array(dimension);
    this.m2 = new Float64Array(dimension);
  }

  /** Adds the snapshot w (length D). */
  add(w: ArrayLike<number>): void {
    this.count++;
    for (let i = 0; i < this.dimension; i++) {
      const x = w[i]!;
      const d = x - this.mean[i]!;
      this.mean[i]! += d / this.count;
      this.m2[i]! += d * (x - this.mean[i]!);
    }
  }

  /** Number of snapshots so far. */
  get samples(): number {
    return this.count;
  }

  /** q over the snapshots so far (NaN with fewer than 2 snapshots, or with all means equal). */
  value(): number {
    if (this.count < 2) return Number.NaN;
    let temporal = 0;
    let meanOfMeans = 0;
    for (let i = 0; i < this.dimension; i++) {
      temporal += this.m2[i]! / this.count;
      meanOfMeans += this.mean[i]!;
    }
    temporal /= this.dimension;
    meanOfMeans /= this.dimension;
    let spread = 0;
    for (let i = 0; i < this.dimension; i++) spread += (this.mean[i]! - meanOfMeans) ** 2;
    spread /= this.dimension;
    return spread > 0 ? temporal / spread : Number.NaN;
  }
}

/** q of seed 001 eq. 15 over stored snapshots (see {@link OrderParameter}). */
export function orderParameterQ(snapshots: ArrayLike<number>[]): number {
  const q = new OrderParameter(snapshots[0]?.length ?? 0);
  for (const w of snapshots) q.add(w);
  return q.value();
}

/**
 * The population weight autocorrelation at lags 0..maxLag (in snapshots):
 * C(tau) = sum_w sum_t (w_t - m_w)(w_{t+tau} - m_w) / (T - tau)  /  sum_w sum_t (w_t - m_w)^2 / T,
 * with m_w the time mean of weight w; C(0) = 1. NaN everywhere for a constant trajectory.
 */
export function weightAutocorrelation(snapshots: ArrayLike<number>[], maxLag: number): number[] {
  const T = snapshots.length;
  const D = snapshots[0]?.length ?? 0;
  if (T < 2) throw new InvalidArgumentError("weightAutocorrelation", "snapshots", "at least 2 snapshots", T);
  const lags = Math.min(maxLag, T - 1);
  const mean = new Float64Array(D);
  for (const w of snapshots) for (let i = 0; i < D; i++) mean[i]! += w[i]! / T;
  const out: number[] = [];
  for (let tau = 0; tau <= lags; tau++) {
    let s = 0;
    for (let t = 0; t + tau < T; t++) {
      const a = snapshots[t]!;
      const b = snapshots[t + tau]!;
      for (let i = 0; i < D; i++) s += (a[i]! - mean[i]!) * (b[i]! - mean[i]!);
    }
    out.push(s / (T - tau));
  }
  const c0 = out[0]!;
  return out.map((v) => (c0 > 0 ? v / c0 : Number.NaN));
}

/** Projection of a trajectory on its first two principal components. */
export interface PrincipalProjection {
  /** Coordinates of each snapshot on PC1 and PC2 (length T each). */
  pc1: number[];
  pc2: number[];
  /** Fractions of the total variance carried by PC1 and PC2. */
  explained: [number, number];
}

/**
 * Principal components of the centred snapshots through the T x T Gram matrix
 * G = Xc Xc^T (T << D): if G u = lambda u, the projection of the snapshots on the corresponding
 * component is sqrt(lambda) u.
 */
export function principalProjection(snapshots: ArrayLike<number>[]): PrincipalProjection {
  const T = snapshots.length;
  const D = snapshots[0]?.length ?? 0;
  if (T < 3) throw new InvalidArgumentError("principalProjection", "snapshots", "at least 3 snapshots", T);
  const mean = new Float64Array(D);
  for (const w of snapshots) for (let i = 0; i < D; i++) mean[i]! += w[i]! / T;
  const centred = snapshots.map((w) => Float64Array.from({ length: D }, (_, i) => w[i]! - mean[i]!));
  const gram = Matrix.zeros(T, T);
  for (let s = 0; s < T; s++) {
    for (let t = s; t < T; t++) {
      let v = 0;
      const a = centred[s]!;
      const b = centred[t]!;
      for (let i = 0; i < D; i++) v += a[i]! * b[i]!;
      gram.set(s, t, v);
      gram.set(t, s, v);
    }
  }
  for (let s = 0; s < T; s++) {
    if (!Number.isFinite(gram.get(s, s))) {
      throw new NumericFailureError("principalProjection", "non-finite weights", { snapshot: s });
    }
  }
  const evd = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const order = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]!);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const vectors = evd.eigenvectorMatrix;
  const project = (rank: number) => {
    const k = order[rank]!;
    const lambda = Math.max(values[k]!, 0);
    return Array.from({ length: T }, (_, t) => Math.sqrt(lambda) * vectors.get(t, k));
  };
  const frac = (rank: number) => (total > 0 ? Math.max(values[order[rank]!]!, 0) / total : Number.NaN);
  return { pc1: project(0), pc2: project(1), explained: [frac(0), frac(1)] };
}
