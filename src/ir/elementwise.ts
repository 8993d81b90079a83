/**
 * The elementwise functions of the IR in float64: the definitions every backend follows. The
 * derivatives reuse the function value where the closed form has it (tanh' = 1 - t*t with
 * t = tanh x), as the hand-written student-teacher kernels do, so the two agree bit for bit.
 * relu'(0) is taken to be 0; abs'(0) = 0.
 */
import type { UnaryFn } from "./program.ts";

export const UNARY: Readonly<Record<Exclude<UnaryFn, "pow">, (x: number) => number>> = {
  negate: (x) => -x,
  linear: (x) => x,
  tanh: Math.tanh,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  "linear'": () => 1,
  "tanh'": (x) => {
    const t = Math.tanh(x);
    return 1 - t * t;
  },
  "relu'": (x) => (x > 0 ? 1 : 0),
  "sigmoid'": (x) => {
    const s = 1 / (1 + Math.exp(-x));
    return s * (1 - s);
  },
  "exp'": Math.exp,
  "log'": (x) => 1 / x,
  "sqrt'": (x) => 0.5 / Math.sqrt(x),
  "abs'": (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
};

/** x^k for an integer k: the left-to-right product for k >= 1, 1 for k = 0, 1 / x^|k| for k < 0. */
export function integerPower(x: number, k: number): number {
  const n = Math.abs(k);
  let r = n === 0 ? 1 : x;
  for (let t = 1; t < n; t++) r = r * x;
  return k < 0 ? 1 / r : r;
}

/** f(x) for any unary function of the IR. */
export function applyUnary(fn: UnaryFn, x: number, exponent = 1): number {
  return fn === "pow" ? integerPower(x, exponent) : UNARY[fn](x);
}
