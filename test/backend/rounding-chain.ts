/**
 * The longest chain of float32 roundings in one evaluation of an IR program, in units of
 * u = 2^-24: the premise of the float32 tolerances of compiled rules. Along every path from a
 * leaf to an output each operation adds its own bound relative to the magnitudes it combines:
 *
 *   a k-term dot product (matmul) or sum, accumulated recursively:  k   (gamma_k ~ k u)
 *   sampleSum over c samples:                                         c
 *   + - *:  1;   /:  2.5 (WGSL's division bound, 2.5 ULP)
 *   x^k as a product: |k| (and 2.5 more for the reciprocal when k < 0)
 *   exp, log, tanh, sigmoid:  8 (WGSL bounds them by a few ULP for arguments of order 1, 3 + 2|x|
 *   for exp); their derivatives add the products of their formulas (tanh' 2, sigmoid 3,
 *   sigmoid' 5); sqrt 2.5, sqrt' 5, log' 2.5
 *   negate, abs, relu, linear and their derivatives: 0 (exact)
 *
 * and the commit of a step adds, per state, its norm: n squares summed (n), the square root
 * (2.5), the division target / n (2.5) and the rescaling (1).
 */
import { operands } from "../../src/ir/lower.ts";
import type { CompiledRule, IrProgram, UnaryFn } from "../../src/ir/program.ts";

const TRANSCENDENTAL = 8;
const UNARY: Record<Exclude<UnaryFn, "pow">, number> = {
  negate: 0,
  linear: 0,
  relu: 0,
  abs: 0,
  "linear'": 0,
  "relu'": 0,
  "abs'": 0,
  tanh: TRANSCENDENTAL,
  "tanh'": TRANSCENDENTAL + 2,
  sigmoid: TRANSCENDENTAL + 3,
  "sigmoid'": TRANSCENDENTAL + 5,
  exp: TRANSCENDENTAL,
  "exp'": TRANSCENDENTAL,
  log: TRANSCENDENTAL,
  "log'": 2.5,
  sqrt: 2.5,
  "sqrt'": 5,
};

/** The longest rounding chain to any output of `program`, in units of u. */
export function roundingChain(program: IrProgram): number {
  const chain: number[] = [];
  program.nodes.forEach((n, i) => {
    const before = Math.max(0, ...operands(n).map((a) => chain[a]!));
    let own = 0;
    if (n.op === "matmul") own = program.nodes[n.a]!.type.cols;
    else if (n.op === "sampleSum") own = program.sampleCount;
    else if (n.op === "sum") own = program.nodes[n.a]!.type.rows * program.nodes[n.a]!.type.cols;
    else if (n.op === "binary") own = n.fn === "div" ? 2.5 : 1;
    else if (n.op === "unary")
      own = n.fn === "pow" ? Math.abs(n.exponent ?? 1) + ((n.exponent ?? 1) < 0 ? 2.5 : 0) : UNARY[n.fn];
    chain[i] = before + own;
  });
  return Math.max(0, ...program.outputs.map((o) => chain[o]!));
}

/** One step's chain: the step program, then the commit's norm and rescaling. */
export function stepRoundingChain(rule: CompiledRule): number {
  return roundingChain(rule.step) + Math.max(...rule.states.map((s) => s.rows * s.cols)) + 2.5 + 2.5 + 1;
}
