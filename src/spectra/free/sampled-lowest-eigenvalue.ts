/**
 * The lowest eigenvalue of a sample of a self-adjoint expression without forming it: the sample
 * as an operator (sampledOperator: each application a pass over the factors' entries) and the
 * rightmost eigenvalue of σI − X by restarted Arnoldi (src/spectra/arnoldi.ts, which for a
 * symmetric operator is restarted Lanczos with full reorthogonalization).
 *
 * Accuracy, a proven bound: for symmetric X and a Ritz pair (θ, x) with residual
 * r = ‖Xx − θx‖/‖x‖, some eigenvalue of X lies in [θ − r, θ + r] (Weyl), and the smallest Ritz
 * value is never below λ_min (Cauchy interlacing), so where the Ritz value is that of λ_min
 * (the random start has a component along its eigenvector with probability 1, and the result
 * equals the dense eigenvalues to the residual in the tests), |value − λ_min| ≤ residual. The
 * shift σ = ‖X u‖ (u a random unit vector, of the order of ‖X‖) makes Arnoldi's relative
 * tolerance an absolute one of about `tolerance` · ‖X‖, also where λ_min is near 0, as it is at a
 * stability boundary. The default 1e-5 bounds the error by ~1e-5 ‖X‖ (‖X‖ of order 1-10 here)
 * against the 1e-2-1e-1 spread of λ_min over draws at sides of 100-500 (its Tracy-Widom scale),
 * a thousand times smaller; the value itself is far closer than its residual (a Ritz value errs by
 * about residual²/gap: 1e-11 against the dense eigenvalues at side 250).
 *
 * Cost: 100-180 applications of the sample, each a pass over the factors; for three-layer curl
 * descent's X₃ at N₁ = 2000 (side 900) 7-10 s against 14.5 s to form it and find all its
 * eigenvalues (unloaded machine, 2 cores).
 */
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";
import { Rng } from "../../util/random.ts";
import { arnoldiEigenvalues } from "../arnoldi.ts";
import type { MatrixExpr } from "./expression.ts";
import { noncommutativePolynomial, selfAdjointDefect } from "./noncommutative-polynomial.ts";
import { sampledOperator } from "./sample.ts";

export interface LowestEigenvalue {
  /** The lowest eigenvalue of the sample (the Ritz value). */
  readonly value: number;
  /** ‖Xx − value·x‖/‖x‖ for its Ritz vector x: the bound on the error. */
  readonly residual: number;
  /** Side of the sampled matrix. */
  readonly side: number;
  /** Applications of the sample to a vector. */
  readonly applications: number;
}

export interface LowestEigenvalueOptions {
  /** Tolerance relative to ‖X‖ (default 1e-5). */
  readonly tolerance?: number;
  /** Krylov subspace dimension (default 60, at most the side). */
  readonly subspace?: number;
  /** Bound on applications (default 20 000). */
  readonly maxApplications?: number;
}

/** Below this side the sample is too small for Arnoldi's subspace: callers use sampledEigenvalues. */
export const LOWEST_EIGENVALUE_MIN_SIDE = 8;

/**
 * λ_min of the sample of `e` at scale n drawn from `seed` (the matrix sampleExpression forms).
 * Throws on a non-self-adjoint expression, and BoundExceededError when Arnoldi hits its bound on
 * applications before the residual reaches the tolerance.
 */
export function sampledLowestEigenvalue(
  e: MatrixExpr,
  n: number,
  seed: number,
  options: LowestEigenvalueOptions = {},
): LowestEigenvalue {
  const fn = "sampledLowestEigenvalue";
  const defect = selfAdjointDefect(noncommutativePolynomial(e));
  if (defect !== null) throw new InvalidArgumentError(fn, "e", "a self-adjoint expression", defect);
  const tolerance = options.tolerance ?? 1e-5;
  if (!(tolerance > 0 && tolerance < 1))
    throw new InvalidArgumentError(fn, "tolerance", "a number in (0, 1)", tolerance);
  const op = sampledOperator(e, n, seed);
  const side = op.rows;
  if (side < LOWEST_EIGENVALUE_MIN_SIDE)
    throw new InvalidArgumentError(fn, "n", `a scale giving a side ≥ ${LOWEST_EIGENVALUE_MIN_SIDE}`, side);
  const u = new Rng(seed).fork(1_000_003).normals(side);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  const un = norm(u);
  const sigma = Math.max(norm(op.apply(u.map((v) => v / un))), Number.MIN_VALUE);
  const maxApplications = options.maxApplications ?? 20_000;
  const r = arnoldiEigenvalues(
    (v) => {
      const xv = op.apply(v);
      for (let i = 0; i < side; i++) xv[i] = sigma * v[i]! - xv[i]!;
      return xv;
    },
    side,
    {
      count: 1,
      subspace: Math.min(side, options.subspace ?? 60),
      tolerance,
      maxApplications,
      seed,
    },
  );
  if (!r.converged)
    throw new BoundExceededError(
      fn,
      `Arnoldi ${r.stoppedBy ?? "restarts"} (side ${side}, residual above ${tolerance} ‖X‖)`,
      r.stoppedBy === "applications" ? maxApplications : r.restarts,
      r.stoppedBy === "applications" ? r.applications : r.restarts,
    );
  const top = r.values[0]!;
  return { value: sigma - top.re, residual: top.residual, side, applications: r.applications };
}
