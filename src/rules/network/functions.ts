/**
 * The functions of the network rule language: elementwise maps (with derivatives, written
 * `phi'(a)`), reductions, `diag`, and the laws of random tensors. The numeric definitions live in
 * src/ir/elementwise.ts; this file names them, for the parser and the shape checker.
 */

/** Elementwise maps of one argument, each with a derivative. */
export const ELEMENTWISE = ["linear", "tanh", "relu", "sigmoid", "exp", "log", "sqrt", "abs"] as const;
export type ElementwiseName = (typeof ELEMENTWISE)[number];

/**
 * Functions with special meaning:
 * - mean(e): the average over the samples (the minibatch in an update, the whole train or test
 *   set in `error`) of a per-sample expression;
 * - sum(A): the sum of all entries of A, a 1 x 1 value;
 * - diag(v): the diagonal matrix with the entries of the vector v (a column or a row).
 */
export const STRUCTURAL = ["mean", "sum", "diag"] as const;
export type StructuralName = (typeof STRUCTURAL)[number];

/**
 * Laws of random tensors and their arguments (every argument an expression of sizes and params):
 * - normal(sd = s) or normal(variance = v), with optional mean = m: iid Gaussian entries;
 * - uniform(sd = s): iid uniform entries on [-s sqrt 3, s sqrt 3] (mean 0, standard deviation s);
 *   uniform(low = a, high = b): iid uniform on [a, b);
 * - signs(fraction = a) or signs(a): entries +1 with round(a n) of the n entries -1 at random
 *   positions (seed 001's D1, D2 when used through diag);
 * - zeros, identity: deterministic starts (identity needs a square shape).
 */
export interface LawSignature {
  /** Alternative sets of required arguments: exactly one set must be given. */
  readonly forms: readonly (readonly string[])[];
  readonly optional: readonly string[];
  /** The argument a single unnamed argument stands for, if any. */
  readonly positional?: string;
}

export const LAWS: Readonly<Record<string, LawSignature>> = {
  normal: { forms: [["sd"], ["variance"]], optional: ["mean"] },
  uniform: { forms: [["sd"], ["low", "high"]], optional: [] },
  signs: { forms: [["fraction"]], optional: [], positional: "fraction" },
  zeros: { forms: [[]], optional: [] },
  identity: { forms: [[]], optional: [] },
};

/** Words a name cannot be: keywords of the file, the functions, the laws. */
export const NETWORK_RESERVED = new Set<string>([
  ...ELEMENTWISE,
  ...STRUCTURAL,
  ...Object.keys(LAWS),
  "error",
  "lambda",
  "i",
]);

export function isElementwise(name: string): name is ElementwiseName {
  return (ELEMENTWISE as readonly string[]).includes(name);
}

export function isStructural(name: string): name is StructuralName {
  return (STRUCTURAL as readonly string[]).includes(name);
}

export function isLaw(name: string): boolean {
  return Object.hasOwn(LAWS, name);
}
