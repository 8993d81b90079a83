/**
 * The Kaplan-Yorke (Lyapunov) dimension of an attractor from its Lyapunov spectrum
 * (J. L. Kaplan, J. A. Yorke, Lecture Notes in Math. 730, 1979):
 * D = j + (lambda_1 + ... + lambda_j) / |lambda_{j+1}|, where j is the largest index with
 * lambda_1 + ... + lambda_j >= 0. D = 0 when lambda_1 < 0 (a stable point); D = n when the whole
 * sum stays non-negative (no contraction to bound the dimension).
 */
import { InvalidArgumentError } from "../util/errors.ts";

/** D_KY of a spectrum given in any order (it is sorted, largest first). */
export function kaplanYorkeDimension(exponents: readonly number[]): number {
  if (exponents.length === 0 || !exponents.every(Number.isFinite))
    throw new InvalidArgumentError(
      "kaplanYorkeDimension",
      "exponents",
      "a non-empty list of finite numbers",
      exponents,
    );
  const l = [...exponents].sort((a, b) => b - a);
  let sum = 0;
  for (let j = 0; j < l.length; j++) {
    if (sum + l[j]! < 0) return j + sum / Math.abs(l[j]!);
    sum += l[j]!;
  }
  return l.length;
}
