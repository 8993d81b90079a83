/**
 * The student-teacher simulation as a sweep task: (grid point parameters, seed) -> a flat record
 * of scalars, for the empirical phase diagrams of seed 001 Figs. 3a and 4a (grids over the
 * compression ratio c = M / N and alpha_h or alpha_r with M + N fixed, 220 in the paper).
 */
import type { Backend, NetworkInit } from "../backend/backend.ts";
import { cpuBackend } from "../backend/cpu.ts";
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { calibrationWorkload } from "./calibration-workload.ts";
import { simulateTimedRuns } from "./rule-tasks.ts";
import { paperSpec, type StudentTeacherSpec, studentTeacherRun } from "./student-teacher.ts";

/** Parameters of one grid point; anything not given takes the seed 001 section 5 default. */
export interface StudentTeacherTaskParams {
  /** Compression ratio c = M / N (with `total`); M and N, when both given, set the size instead. */
  c?: number;
  /** M + N (220 in seed 001 section 5). */
  total?: number;
  M?: number;
  N?: number;
  alphaH?: number;
  alphaR?: number;
  epochs: number;
  activation?: StudentTeacherSpec["activation"];
  rule?: StudentTeacherSpec["rule"];
  batchSize?: number;
  trainCount?: number;
  testCount?: number;
  learningRate?: number;
  initScale?: number;
  /** Whether to measure the Lyapunov exponent (default true). */
  lyapunov?: boolean;
}

/** The scalars a sweep stores per (grid point, seed). */
export interface StudentTeacherTaskResult {
  M: number;
  N: number;
  c: number;
  finalTrainError: number;
  finalTestError: number;
  peakTestError: number;
  q: number;
  lyapunov: number | null;
  failedAtEpoch: number | null;
}

/** (M, N) with M + N = total and M / N as close to c as integers allow (both >= 1). */
export function splitTotal(c: number, total: number): { M: number; N: number } {
  requireInRange("splitTotal", "c", c, 1e-6, 1e6);
  requirePositiveInteger("splitTotal", "total", total);
  if (total < 2) throw new InvalidArgumentError("splitTotal", "total", "an integer >= 2", total);
  const M = Math.min(total - 1, Math.max(1, Math.round((c * total) / (1 + c))));
  return { M, N: total - M };
}

/**
 * The network size of an item: M and N when both are given (c then only labels the grid point,
 * e.g. with `--derive M=... --derive N=...`), otherwise split from c and total (default 220).
 * M and N given with a total they do not add up to are refused, as is a lone M or N.
 */
function sizeOf(params: StudentTeacherTaskParams): { M: number; N: number } {
  const fn = "studentTeacherTask";
  const { M, N, c, total } = params;
  if (M !== undefined && N !== undefined) {
    if (total !== undefined && M + N !== total) {
      throw new InvalidArgumentError(fn, "total", `M + N = ${M + N} (given M = ${M}, N = ${N})`, total);
    }
    return { M, N };
  }
  if (c === undefined || M !== undefined || N !== undefined) {
    throw new InvalidArgumentError(fn, "params", "c (with total) or both M and N", params);
  }
  return splitTotal(c, total ?? 220);
}

function specOf(params: StudentTeacherTaskParams, seed: number): StudentTeacherSpec {
  const { M, N } = sizeOf(params);
  const alphaH = params.alphaH ?? 0;
  const alphaR = params.alphaR ?? 0;
  return paperSpec(M, N, {
    seed,
    alphaH,
    alphaR,
    rule: params.rule ?? "curl-descent",
    activation: params.activation ?? "linear",
    ...(params.batchSize !== undefined && { batchSize: params.batchSize }),
    ...(params.trainCount !== undefined && {
      trainCount: params.trainCount,
      batchSize: params.batchSize ?? params.trainCount,
    }),
    ...(params.testCount !== undefined && { testCount: params.testCount }),
    ...(params.learningRate !== undefined && { learningRate: params.learningRate }),
    ...(params.initScale !== undefined && { initScale: params.initScale }),
  });
}

/**
 * Runs many (params, seed) items, batching those that can share a backend batch, and returns
 * one record per item in order. A failed item is reported in its record (failedAtEpoch).
 */
export async function studentTeacherTasks(
  items: Array<{ params: StudentTeacherTaskParams; seed: number }>,
  backend: Backend = cpuBackend(),
): Promise<StudentTeacherTaskResult[]> {
  const specs = items.map((it) => specOf(it.params, it.seed));
  const results = await simulateTimedRuns(
    backend,
    items.map((it, k) => ({
      run: studentTeacherRun(specs[k]!),
      epochs: it.params.epochs,
      lyapunov: it.params.lyapunov ?? true,
    })),
  );
  return results.map((r, k) => {
    const spec = specs[k]!;
    return {
      M: spec.inputs,
      N: spec.hidden,
      c: spec.inputs / spec.hidden,
      // The two-layer rules declare an error and have data.
      finalTrainError: r.trainError!.at(-1)!,
      finalTestError: r.testError!.at(-1)!,
      peakTestError: r.peakTestError!,
      q: r.q,
      lyapunov: r.lyapunov,
      failedAtEpoch: r.failedAtEpoch,
    };
  });
}

/** The workload of `items` on which `--backend auto` calibrates (src/sim/calibration-workload.ts). */
export function studentTeacherTaskWorkload(
  items: Array<{ params: StudentTeacherTaskParams; seed: number }>,
): NetworkInit {
  const runs = items.map((it) => studentTeacherRun(specOf(it.params, it.seed)));
  return calibrationWorkload(runs, items[0]?.params.lyapunov ?? true);
}

/** One (params, seed) item: the task function a sweep calls per grid point and seed. */
export async function studentTeacherTask(
  params: StudentTeacherTaskParams,
  seed: number,
  backend: Backend = cpuBackend(),
): Promise<StudentTeacherTaskResult> {
  return (await studentTeacherTasks([{ params, seed }], backend))[0]!;
}
