/**
 * The hidden-layer activation phi of the student-teacher networks (seed 001 section 5) and its
 * derivative, shared by the CPU backend, the member generator and the continuous-time field.
 */
import type { Activation } from "./backend.ts";

/** phi(a): linear a, tanh(a), or relu max(a, 0). */
export function activate(activation: Activation, a: number): number {
  if (activation === "tanh") return Math.tanh(a);
  if (activation === "relu") return a > 0 ? a : 0;
  return a;
}

/** phi'(a) given a and h = phi(a) (tanh' = 1 - h^2 reuses h; relu'(0) = 0). */
export function activatePrime(activation: Activation, a: number, h: number): number {
  if (activation === "tanh") return 1 - h * h;
  if (activation === "relu") return a > 0 ? 1 : 0;
  return 1;
}
