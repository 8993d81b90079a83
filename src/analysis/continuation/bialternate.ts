/**
 * The bialternate product 2A (.) I of an n x n matrix (Govaerts, Numerical Methods for
 * Bifurcations of Dynamical Equilibria, SIAM 2000, sec. 4.4.4; Kuznetsov, Elements of Applied
 * Bifurcation Theory, sec. 10.2.2): an m x m matrix, m = n(n-1)/2, whose eigenvalues are the sums
 * lambda_i + lambda_j (i < j) of A's. Its determinant vanishes where a pair of A's eigenvalues sums
 * to zero: at a Hopf point (+-i omega) and at a neutral saddle (+-kappa real), which the caller
 * tells apart from the eigenvalues.
 */

/** 2A (.) I with rows and columns indexed by pairs (p, q), p > q, in lexicographic order. */
export function bialternateProduct(A: readonly (readonly number[])[]): number[][] {
  const n = A.length;
  const pairs: [number, number][] = [];
  for (let p = 1; p < n; p++) for (let q = 0; q < p; q++) pairs.push([p, q]);
  const a = (i: number, j: number) => A[i]![j]!;
  return pairs.map(([p, q]) =>
    pairs.map(([r, s]) => {
      if (r === p && s === q) return a(p, p) + a(q, q);
      if (r === q) return -a(p, s);
      if (r !== p && s === q) return a(p, r);
      if (r === p && s !== q) return a(q, s);
      if (s === p) return -a(q, r);
      return 0;
    }),
  );
}
