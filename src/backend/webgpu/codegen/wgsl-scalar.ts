/**
 * The IR's elementwise functions (src/ir/elementwise.ts) and constants as WGSL in float32.
 *
 * Each function is a small named WGSL function, emitted only when a program uses it, with the
 * float64 definition's own formula: tanh' = 1 - t*t with t = tanh x, sigmoid = 1 / (1 + exp(-x)),
 * relu'(0) = 0, abs'(0) = 0, x^k as the left-to-right product. tanh's argument is clamped to
 * |x| <= 15 as in the fused kernels (kernels/activation.wgsl.ts): some drivers evaluate tanh
 * through exp(2x), which overflows to inf/inf = NaN, and tanh(15) rounds to 1 in float32.
 */
import type { BinaryFn, UnaryFn } from "../../../ir/program.ts";

/** The WGSL name of a unary function (pow carries its exponent). */
export function unaryName(fn: UnaryFn, exponent = 1): string {
  if (fn === "pow") return exponent < 0 ? `pow_minus${-exponent}` : `pow${exponent}`;
  return fn.endsWith("'") ? `${fn.slice(0, -1)}_prime` : `${fn}_`;
}

/** x^k as the IR defines it: the product x*x*...*x left to right; 1 for k = 0; 1 / x^|k| for k < 0. */
function powerBody(k: number): string {
  const n = Math.abs(k);
  if (n === 0) return "return 1.0;";
  const product = Array.from({ length: n }, () => "x").join(" * ");
  return k < 0 ? `return 1.0 / (${product});` : `return ${product};`;
}

const BODIES: Record<Exclude<UnaryFn, "pow">, string> = {
  negate: "return -x;",
  linear: "return x;",
  tanh: "return tanh(clamp(x, -15.0, 15.0));",
  relu: "return select(0.0, x, x > 0.0);",
  sigmoid: "return 1.0 / (1.0 + exp(-x));",
  exp: "return exp(x);",
  log: "return log(x);",
  sqrt: "return sqrt(x);",
  abs: "return abs(x);",
  "linear'": "return 1.0;",
  "tanh'": "let t = tanh(clamp(x, -15.0, 15.0));\n  return 1.0 - t * t;",
  "relu'": "return select(0.0, 1.0, x > 0.0);",
  "sigmoid'": "let s = 1.0 / (1.0 + exp(-x));\n  return s * (1.0 - s);",
  "exp'": "return exp(x);",
  "log'": "return 1.0 / x;",
  "sqrt'": "return 0.5 / sqrt(x);",
  "abs'": "return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);",
};

/** The WGSL definition of a unary function. */
export function unaryDefinition(fn: UnaryFn, exponent = 1): string {
  const body = fn === "pow" ? powerBody(exponent) : BODIES[fn];
  return `fn ${unaryName(fn, exponent)}(x: f32) -> f32 {\n  ${body}\n}`;
}

export const BINARY_OPERATOR: Record<BinaryFn, string> = { add: "+", sub: "-", mul: "*", div: "/" };

/**
 * A float64 constant as a WGSL f32 expression: the literal of its float32 rounding (shortest
 * decimal that round-trips), or the bits of an infinity or NaN, which have no literal.
 */
export function f32Literal(value: number): string {
  const v = Math.fround(value);
  if (Number.isNaN(v)) return "bitcast<f32>(0x7fc00000u)";
  if (v === Number.POSITIVE_INFINITY) return "bitcast<f32>(0x7f800000u)";
  if (v === Number.NEGATIVE_INFINITY) return "bitcast<f32>(0xff800000u)";
  if (Object.is(v, -0)) return "-0.0";
  let text = shortestFloat32(v);
  if (!/[.eE]/.test(text)) text += ".0";
  return text.startsWith("-") ? `(${text})` : text;
}

/** The shortest decimal whose float32 rounding is `v`. */
function shortestFloat32(v: number): string {
  for (let digits = 1; digits <= 17; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}
