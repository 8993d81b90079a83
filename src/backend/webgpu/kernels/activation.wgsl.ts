/**
 * WGSL of the hidden-layer activations phi and their derivatives phi' (seed 001 section 5:
 * linear, tanh, ReLU), matching src/backend/backend.ts (UnaryMap): relu'(0) = 0.
 */
import type { Activation } from "../../backend.ts";

/**
 * `fn phi(a: f32) -> f32` and `fn phi_prime(a: f32) -> f32` for one activation. tanh's argument
 * is clamped to |a| <= 15 because some drivers evaluate tanh through exp(2a), which overflows to
 * inf/inf = NaN for large a; tanh(15) = 1 - 2e-13 rounds to 1 in float32, so the clamp changes
 * no float32 value.
 */
export function activationWgsl(activation: Activation): string {
  switch (activation) {
    case "linear":
      return "fn phi(a: f32) -> f32 { return a; }\nfn phi_prime(a: f32) -> f32 { return 1.0; }\n";
    case "tanh":
      return (
        "fn phi(a: f32) -> f32 { return tanh(clamp(a, -15.0, 15.0)); }\n" +
        "fn phi_prime(a: f32) -> f32 { let t = tanh(clamp(a, -15.0, 15.0)); return 1.0 - t * t; }\n"
      );
    case "relu":
      return (
        "fn phi(a: f32) -> f32 { return max(a, 0.0); }\n" +
        "fn phi_prime(a: f32) -> f32 { return select(0.0, 1.0, a > 0.0); }\n"
      );
  }
}
