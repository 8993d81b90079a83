/**
 * The per-step losses of seed 000, eq. 13, with their first and second derivatives in the
 * readout y (the only pieces of the loss that BPTT and the Hessian-vector product need).
 *
 * - "mse": ℓ(y, y*) = ½ Σ_k (y_k - y*_k)², ∂ℓ/∂y = y - y*, ∂²ℓ/∂y² = I.
 * - "cross-entropy": ℓ(y, π) = -Σ_k π_k log softmax_k(y), ∂ℓ/∂y = p - π,
 *   ∂²ℓ/∂y² = diag(p) - p pᵀ with p = softmax(y).
 *
 * The total loss averages ℓ over the B trials of a batch and over the supervised steps, i.e. the
 * 1/(TB) of eq. 13 with T the number of steps that carry a target (all T steps for pattern
 * generation, only the last one for the classification tasks).
 */
export type LossKind = "mse" | "cross-entropy";

export const lossKinds: readonly LossKind[] = ["mse", "cross-entropy"];

/** ℓ(y, target) for one step; y and target have N_out entries starting at the given offsets. */
export function stepLoss(
  kind: LossKind,
  y: Float64Array,
  yo: number,
  target: Float64Array,
  to: number,
  m: number,
): number {
  if (kind === "mse") {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const d = y[yo + k]! - target[to + k]!;
      s += d * d;
    }
    return 0.5 * s;
  }
  const lse = logSumExp(y, yo, m);
  let s = 0;
  for (let k = 0; k < m; k++) {
    const pi = target[to + k]!;
    if (pi !== 0) s -= pi * (y[yo + k]! - lse);
  }
  return s;
}

/** Writes scale · ∂ℓ/∂y into out[0..m). */
export function stepLossGradient(
  kind: LossKind,
  y: Float64Array,
  yo: number,
  target: Float64Array,
  to: number,
  m: number,
  scale: number,
  out: Float64Array,
): void {
  if (kind === "mse") {
    for (let k = 0; k < m; k++) out[k] = scale * (y[yo + k]! - target[to + k]!);
    return;
  }
  const lse = logSumExp(y, yo, m);
  let mass = 0;
  for (let k = 0; k < m; k++) mass += target[to + k]!;
  // For a one-hot (or any probability) target, Σπ = 1 and this is p - π.
  for (let k = 0; k < m; k++) out[k] = scale * (mass * Math.exp(y[yo + k]! - lse) - target[to + k]!);
}

/** Writes scale · (∂²ℓ/∂y²) dy into out[0..m). */
export function stepLossHessianVector(
  kind: LossKind,
  y: Float64Array,
  yo: number,
  target: Float64Array,
  to: number,
  m: number,
  dy: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  if (kind === "mse") {
    for (let k = 0; k < m; k++) out[k] = scale * dy[k]!;
    return;
  }
  const lse = logSumExp(y, yo, m);
  let mass = 0;
  let pdy = 0;
  for (let k = 0; k < m; k++) {
    mass += target[to + k]!;
    pdy += Math.exp(y[yo + k]! - lse) * dy[k]!;
  }
  for (let k = 0; k < m; k++) out[k] = scale * mass * Math.exp(y[yo + k]! - lse) * (dy[k]! - pdy);
}

function logSumExp(y: Float64Array, o: number, m: number): number {
  let max = -Infinity;
  for (let k = 0; k < m; k++) max = Math.max(max, y[o + k]!);
  let s = 0;
  for (let k = 0; k < m; k++) s += Math.exp(y[o + k]! - max);
  return max + Math.log(s);
}
