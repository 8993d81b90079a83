/**
 * The mean of a sample with its spread: the sample standard deviation (n − 1 in the denominator)
 * and the standard error of the mean, sd/√n; null where the sample is too small (no mean for an
 * empty one, no spread for one value).
 */
import { mean, sampleStandardDeviation } from "simple-statistics";

export interface SampleMean {
  readonly mean: number | null;
  readonly sd: number | null;
  readonly standardError: number | null;
}

export function sampleMean(values: readonly number[]): SampleMean {
  if (values.length === 0) return { mean: null, sd: null, standardError: null };
  if (values.length === 1) return { mean: values[0]!, sd: null, standardError: null };
  const sd = sampleStandardDeviation([...values]);
  return { mean: mean([...values]), sd, standardError: sd / Math.sqrt(values.length) };
}
