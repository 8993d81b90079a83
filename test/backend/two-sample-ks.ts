/**
 * The two-sample Kolmogorov-Smirnov test: D = sup |F_a - F_b| of the empirical distribution
 * functions, and its asymptotic p-value Q_KS(lambda) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2
 * lambda^2) with lambda = (sqrt(n_e) + 0.12 + 0.11 / sqrt(n_e)) D and n_e = n m / (n + m)
 * (Stephens' small-sample correction; Numerical Recipes, 3rd ed., section 14.3.3).
 */
export function twoSampleKs(a: readonly number[], b: readonly number[]): { d: number; p: number } {
  const x = [...a].sort((u, v) => u - v);
  const y = [...b].sort((u, v) => u - v);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const ne = (x.length * y.length) / (x.length + y.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  return { d, p: kolmogorovQ(lambda) };
}

/** Q_KS(lambda), the Kolmogorov tail probability (1 at lambda = 0). */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
