/**
 * The median of a sample, as benchmarks report repeated timings: the middle value of the sorted
 * sample, or the mean of the two middle values when the sample has an even number of values.
 */
import { median as sampleMedian } from "simple-statistics";
import { InvalidArgumentError } from "./errors.ts";

/** Median of `xs` (at least one finite number; the input is not modified). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new InvalidArgumentError("median", "xs", "at least one number", "[]");
  if (!xs.every(Number.isFinite)) throw new InvalidArgumentError("median", "xs", "finite numbers", xs);
  return sampleMedian([...xs]);
}
