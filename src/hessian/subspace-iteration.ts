/**
 * The k eigenvalues of largest modulus of a symmetric operator by subspace iteration with QR
 * and Rayleigh-Ritz ("generalized power method via QR", seed 000, A.1, ref. [174]).
 *
 * Each iteration: W = A V (k operator applications), Ritz values and vectors from the k x k
 * matrix Vᵀ A V, then V = QR(W rotated onto the Ritz vectors). A Ritz value has converged when
 * it changes by at most tol·|θ| between iterations; the iteration stops when all k have, or at
 * the cap, and the result lists which did not. Convergence of θ_i goes like |λ_{k+1}/λ_i|^{2m}.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { InvalidArgumentError, requireInRange, requirePositiveInteger } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { dot, type LinearOperator } from "./operator.ts";

export interface SubspaceIterationOptions {
  tol?: number;
  maxIterations?: number;
  seed?: number;
}

export interface SubspaceIterationResult {
  /** Ritz values sorted by decreasing modulus. */
  eigenvalues: number[];
  /** Corresponding orthonormal Ritz vectors. */
  eigenvectors: Float64Array[];
  iterations: number;
  converged: boolean;
  /** Indices (into eigenvalues) that had not converged when the cap was hit. */
  unconverged: number[];
}

export function subspaceIteration(
  op: LinearOperator,
  k: number,
  options: SubspaceIterationOptions = {},
): SubspaceIterationResult {
  const fn = "subspaceIteration";
  requirePositiveInteger(fn, "k", k);
  if (k > op.dim) throw new InvalidArgumentError(fn, "k", `at most the dimension ${op.dim}`, k);
  const tol = requireInRange(fn, "tol", options.tol ?? 1e-6, 0, 1);
  const maxIterations = requirePositiveInteger(fn, "maxIterations", options.maxIterations ?? 500);
  const rng = new Rng(options.seed ?? 0);
  let V = orthonormalize(Array.from({ length: k }, () => rng.normals(op.dim)));
  let prev: number[] = new Array(k).fill(Number.NaN);
  let theta: number[] = prev;
  let unconverged: number[] = [];
  for (let it = 1; it <= maxIterations; it++) {
    const W = V.map((v) => op.apply(v));
    const h = new Matrix(k, k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) h.set(i, j, (dot(V[i]!, W[j]!) + dot(V[j]!, W[i]!)) / 2);
    const eig = new EigenvalueDecomposition(h, { assumeSymmetric: true });
    const order = eig.realEigenvalues
      .map((_, i) => i)
      .sort((a, b) => Math.abs(eig.realEigenvalues[b]!) - Math.abs(eig.realEigenvalues[a]!));
    const U = eig.eigenvectorMatrix;
    theta = order.map((i) => eig.realEigenvalues[i]!);
    const rotate = (X: Float64Array[]) =>
      order.map((c) => {
        const out = new Float64Array(op.dim);
        for (let j = 0; j < k; j++) {
          const u = U.get(j, c);
          const x = X[j]!;
          for (let p = 0; p < op.dim; p++) out[p] = out[p]! + u * x[p]!;
        }
        return out;
      });
    const ritzVectors = rotate(V);
    unconverged = theta.flatMap((t, i) => (Math.abs(t - prev[i]!) <= tol * Math.abs(t) ? [] : [i]));
    if (unconverged.length === 0) {
      return {
        eigenvalues: theta,
        eigenvectors: ritzVectors,
        iterations: it,
        converged: true,
        unconverged: [],
      };
    }
    prev = theta;
    V = orthonormalize(rotate(W));
    if (it === maxIterations) {
      return { eigenvalues: theta, eigenvectors: ritzVectors, iterations: it, converged: false, unconverged };
    }
  }
  return { eigenvalues: theta, eigenvectors: V, iterations: maxIterations, converged: false, unconverged };
}

/** QR by modified Gram-Schmidt, applied twice for orthogonality to rounding; returns Q's columns. */
export function orthonormalize(columns: Float64Array[]): Float64Array[] {
  const Q = columns.map((c) => c.slice());
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < Q.length; i++) {
      const qi = Q[i]!;
      for (let j = 0; j < i; j++) {
        const qj = Q[j]!;
        const c = dot(qj, qi);
        for (let p = 0; p < qi.length; p++) qi[p] = qi[p]! - c * qj[p]!;
      }
      const nrm = Math.sqrt(dot(qi, qi));
      if (!(nrm > 0)) {
        // A rank-deficient block: replace by a fresh direction so the basis stays full.
        const fresh = new Rng(i + 7919 * pass).normals(qi.length);
        qi.set(fresh);
        i--;
        continue;
      }
      for (let p = 0; p < qi.length; p++) qi[p] = qi[p]! / nrm;
    }
  }
  return Q;
}
