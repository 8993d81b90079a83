/**
 * Paired comparison of two conditions measured on the same seeds (beside the t-test and sign test
 * of ./statistics.ts): the exact sign-flip
 * permutation test of the mean paired difference (two-sided; all 2^n sign patterns for n <= 20,
 * so no distributional assumption) and the mean difference with its standard error.
 */
import { InvalidArgumentError } from "../util/errors.ts";

export interface PairedTest {
  n: number;
  meanDifference: number;
  standardError: number;
  /** Number of pairs with a > b. */
  positive: number;
  /** Two-sided exact permutation p-value of the mean difference. */
  pValue: number;
}

/** Tests a_i - b_i; pairs with a non-finite member are dropped (and not counted in n). */
export function pairedPermutationTest(a: readonly number[], b: readonly number[]): PairedTest {
  if (a.length !== b.length) {
    throw new InvalidArgumentError(
      "pairedPermutationTest",
      "b",
      `${a.length} values (as many as a)`,
      b.length,
    );
  }
  const d = a.map((x, i) => x - b[i]!).filter((x) => Number.isFinite(x));
  const n = d.length;
  if (n < 2 || n > 20)
    throw new InvalidArgumentError("pairedPermutationTest", "a", "2 to 20 finite pairs", n);
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const observed = Math.abs(d.reduce((s, x) => s + x, 0));
  let extreme = 0;
  const total = 2 ** n;
  for (let mask = 0; mask < total; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += mask & (1 << i) ? -d[i]! : d[i]!;
    // Relative slack so that the observed pattern itself always counts despite rounding.
    if (Math.abs(s) >= observed * (1 - 1e-12)) extreme++;
  }
  return {
    n,
    meanDifference: mean,
    standardError: sd / Math.sqrt(n),
    positive: d.filter((x) => x > 0).length,
    pValue: extreme / total,
  };
}
