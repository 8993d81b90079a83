/**
 * Seed 000, Theorem 1 (appendix B.1) as executable statements.
 *
 * Setting: scalar output ŷ, loss ½(ŷ - y)² at the last step, one example. Near a zero-error
 * minimum the Jacobian of a rule's update ΔW = -η (ŷ - y) ∇̃ŷ is -η ∇ŷ ∇̃ŷᵀ (eq. 27), a rank-1
 * matrix whose one non-zero eigenvalue is -η ∇̃ŷᵀ∇ŷ = -ρ η ‖∇ŷ‖² (eqs. 28-30), and ‖∇ŷ‖² is the
 * loss Hessian's leading eigenvalue there (eq. 29). The printed conclusion λ1 < 1/(|ρ|η) treats
 * -ηH as the Jacobian of the update map; the map W ↦ W + ΔW has Jacobian I - ηH, stable iff
 * 0 < ηλ < 2, so the bound that convergence implies is λ1 < 2/(|ρ|η) (src/hessian/stability-bound.ts).
 */
import { curvatureBounds } from "../src/hessian/stability-bound.ts";

export { curvatureBounds };

/** The non-zero eigenvalue of the rank-1 matrix a bᵀ: bᵀa (eq. 28/30 by inspection). */
export function rank1Eigenvalue(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Gradient descent w ← w - η λ w on L = ½ λ w² from w = 1 for `steps` steps; returns |w|. It
 * tends to 0 iff |1 - ηλ| < 1, i.e. 0 < λ < 2/η.
 */
export function gradientDescentOnQuadratic(lambda: number, lr: number, steps: number): number {
  let w = 1;
  for (let k = 0; k < steps; k++) w -= lr * lambda * w;
  return Math.abs(w);
}

/** Whether a measured λ1 at convergence satisfies the printed and the stability bound. */
export function theorem1Holds(
  lambda1: number,
  lr: number,
  rho = 1,
): { printed: boolean; stability: boolean } {
  const b = curvatureBounds(lr, rho);
  return { printed: lambda1 < b.printed, stability: lambda1 < b.stability };
}
