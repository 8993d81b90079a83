/**
 * Hutchinson's estimator of tr A: with Rademacher probes z (entries ±1), E[zᵀAz] = tr A. Returns
 * the mean of m samples and its standard error s/√m (s the sample standard deviation); for a
 * symmetric A the variance of one sample is 2 Σ_{i≠j} A_ij².
 */
import { requirePositiveInteger } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { dot, type LinearOperator } from "./operator.ts";

export interface TraceEstimate {
  trace: number;
  standardError: number;
  samples: number;
}

export function hutchinsonTrace(op: LinearOperator, samples: number, seed = 0): TraceEstimate {
  requirePositiveInteger("hutchinsonTrace", "samples", samples);
  const rng = new Rng(seed);
  let mean = 0;
  let m2 = 0;
  for (let s = 1; s <= samples; s++) {
    const z = new Float64Array(op.dim);
    for (let i = 0; i < z.length; i++) z[i] = rng.uniform() < 0.5 ? -1 : 1;
    const q = dot(z, op.apply(z));
    // Welford's update keeps the variance accurate when the mean is large.
    const delta = q - mean;
    mean += delta / s;
    m2 += delta * (q - mean);
  }
  const variance = samples > 1 ? m2 / (samples - 1) : Number.NaN;
  return { trace: mean, standardError: Math.sqrt(variance / samples), samples };
}
