/**
 * The curvature bound of seed 000, Theorem 1 (appendix B.1), for a rule whose update is
 * ΔW = -η ĝ with ĝ = ρ g + e, e ⊥ g (ρ = 1, e = 0 for BPTT).
 *
 * As printed, the proof takes the Jacobian of the update map to be -ηH (eq. 21) and concludes
 * λ1 < 1/(|ρ|η) (eqs. 31-32). The update map W ↦ W - ηĝ(W) has Jacobian I - ηH (for BPTT), whose
 * eigenvalues 1 - ηλ lie inside the unit circle iff 0 < ηλ < 2; in the rank-1 setting of the
 * theorem the same argument with the eigenvalue ρη‖∇ŷ‖² (eq. 30) gives λ1 < 2/(|ρ|η). So
 * linear stability of a minimum implies the bound 2/(|ρ|η), not 1/(|ρ|η): the printed bound is
 * too tight by a factor 2 (gradient descent on ½λw² converges for every λ < 2/η). Both are
 * reported; the tests in test/theory show the factor 2 numerically.
 */
import { InvalidArgumentError } from "../util/errors.ts";

export interface CurvatureBounds {
  /** 1/(|ρ|η): seed 000, eqs. 31-32 as printed. */
  printed: number;
  /** 2/(|ρ|η): the linear-stability bound of the update map. */
  stability: number;
}

export function curvatureBounds(lr: number, rho = 1): CurvatureBounds {
  if (!(lr > 0) || !Number.isFinite(lr))
    throw new InvalidArgumentError("curvatureBounds", "lr", "a positive number", lr);
  if (!Number.isFinite(rho) || rho === 0) {
    throw new InvalidArgumentError("curvatureBounds", "rho", "a finite non-zero number", rho);
  }
  const s = Math.abs(rho) * lr;
  return { printed: 1 / s, stability: 2 / s };
}
