/**
 * WGSL of the hidden-layer activations phi and their derivatives phi' (seed 001 section 5:
 * linear, tanh, ReLU), matching src/backend/backend.ts (UnaryMap): relu'(0) = 0. The activation
 * is a run-time code (see {@link activationCodes}) so that one compiled pipeline serves all three:
 * the branch is uniform and taken once per hidden unit, not per multiply-add.
 */
import type { Activation } from "../../backend.ts";

export const activationCodes: Record<Activation, number> = { linear: 0, tanh: 1, relu: 2 };

/**
 * `fn phi(code: u32, a: f32) -> f32` and `fn phi_prime(code: u32, a: f32) -> f32`. tanh's argument
 * is clamped to |a| <= 15 because some drivers evaluate tanh through exp(2a), which overflows to
 * inf/inf = NaN for large a; tanh(15) = 1 - 2e-13 rounds to 1 in float32, so the clamp changes
 * no float32 value.
 */
export const activationWgsl = /* wgsl */ `
fn phi(code: u32, a: f32) -> f32 {
  switch code {
    case 1u: { return tanh(clamp(a, -15.0, 15.0)); }
    case 2u: { return max(a, 0.0); }
    default: { return a; }
  }
}
fn phi_prime(code: u32, a: f32) -> f32 {
  switch code {
    case 1u: { let t = tanh(clamp(a, -15.0, 15.0)); return 1.0 - t * t; }
    case 2u: { return select(0.0, 1.0, a > 0.0); }
    default: { return 1.0; }
  }
}
`;
