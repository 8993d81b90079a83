/**
 * The arrays of a set of runs (src/sim/simulate.ts), for NumPy (src/util/npy.ts): one row per
 * run, in the order given. A value a run does not have (a Lyapunov exponent not measured, the PCA
 * of a failed run) is NaN, and a failure epoch -1 when the run did not fail.
 *
 *   seeds [R]; epochs [E]; trainError, testError [R, E] (absent when the rule has none);
 *   q, lyapunov, peakTrainError, peakTestError [R]; failedAtEpoch [R] (int32);
 *   autocorrelationLags [L], autocorrelation [R, L]; pcaEpochs [K], pc1, pc2 [R, K];
 *   pcaExplained [R, 2].
 */
import type { NdArray } from "../util/npy.ts";
import type { RunSimulation } from "./simulate.ts";

/** rows padded with NaN to the longest, as an [R, n] array. */
function matrix(rows: readonly (readonly number[])[]): NdArray {
  const n = Math.max(0, ...rows.map((r) => r.length));
  const data = new Float64Array(rows.length * n).fill(Number.NaN);
  rows.forEach((r, i) => {
    data.set(r, i * n);
  });
  return { data, shape: [rows.length, n] };
}

const vector = (xs: readonly (number | null)[]): NdArray => ({
  data: xs.map((x) => x ?? Number.NaN),
  shape: [xs.length],
});

export function simulationArrays(runs: readonly RunSimulation[]): Record<string, NdArray> {
  const first = runs[0]!;
  const longest = <T>(pick: (r: RunSimulation) => readonly T[]) =>
    runs.map(pick).reduce((a, b) => (b.length > a.length ? b : a), [] as readonly T[]);
  const arrays: Record<string, NdArray> = {
    seeds: vector(runs.map((r) => r.seed)),
    epochs: { data: first.epochs, shape: [first.epochs.length], dtype: "<i4" },
    q: vector(runs.map((r) => r.q)),
    lyapunov: vector(runs.map((r) => r.lyapunov)),
    peakTrainError: vector(runs.map((r) => r.peakTrainError)),
    peakTestError: vector(runs.map((r) => r.peakTestError)),
    failedAtEpoch: { data: runs.map((r) => r.failedAtEpoch ?? -1), shape: [runs.length], dtype: "<i4" },
    autocorrelationLags: vector(longest((r) => r.autocorrelation.lags)),
    autocorrelation: matrix(runs.map((r) => r.autocorrelation.values)),
    pcaEpochs: vector(longest((r) => r.pca.epochs)),
    pc1: matrix(runs.map((r) => r.pca.pc1)),
    pc2: matrix(runs.map((r) => r.pca.pc2)),
    pcaExplained: matrix(runs.map((r) => r.pca.explained)),
  };
  if (first.trainError) arrays.trainError = matrix(runs.map((r) => r.trainError!));
  if (first.testError) arrays.testError = matrix(runs.map((r) => r.testError!));
  return arrays;
}
