/**
 * The tensor IR: a network rule lowered, at concrete sizes, to small programs of typed tensor
 * operations. Every backend runs these programs (src/backend: the CPU interpreter of
 * src/ir/interpret.ts is the reference; WebAssembly and WGSL are generated from them), and every
 * transformation (batching over runs, forward-mode Jacobian-vector products) works on them.
 *
 * Values are matrices [rows, cols] (a column vector is [n, 1], a scalar [1, 1]); a value that
 * varies over samples carries a leading sample axis and is stored [count, rows, cols] row-major,
 * sample by sample. The batch of runs is implicit: a program describes one run (member), and a
 * backend runs it for every member of a batch with that member's data.
 *
 * The semantics are exact, so that two backends in float64 give the same bits when they
 * evaluate in the order defined here, and a fused kernel can be checked against the reference
 * bit for bit:
 * - matmul: C[i,j] = sum over t = 0, 1, ... of A[i,t] B[t,j], accumulated from 0 in increasing t;
 * - sampleSum: S[i,j] = sum over samples s = 0, 1, ... of A[s,i,j], accumulated from 0;
 * - sum: the entries in row-major order, accumulated from 0 (per sample for a per-sample value);
 * - binary: elementwise a op b with broadcasting (a dimension of 1 against any; a value without
 *   a sample axis against every sample); `mul` of two values is the single product a*b;
 * - unary: the functions of src/ir/elementwise.ts; `pow` with exponent k >= 1 is the product
 *   x*x*...*x left to right, k = 0 gives 1, k < 0 gives 1 / x^|k|;
 * - transpose and diag move entries without arithmetic.
 */

/** The type of a value: its matrix shape and whether it has a sample axis. */
export interface IrType {
  readonly rows: number;
  readonly cols: number;
  readonly perSample: boolean;
}

/** Elementwise functions of one value (see src/ir/elementwise.ts). */
export type UnaryFn =
  | "negate"
  | "pow"
  | "linear"
  | "tanh"
  | "relu"
  | "sigmoid"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "linear'"
  | "tanh'"
  | "relu'"
  | "sigmoid'"
  | "exp'"
  | "log'"
  | "sqrt'"
  | "abs'";

export type BinaryFn = "add" | "sub" | "mul" | "div";

/** One operation; operands are indices of earlier nodes of the same program. */
export type IrOp =
  /** The current value of state `index` (of CompiledRule.states). */
  | { readonly op: "state"; readonly index: number }
  /** Fixed tensor `index` (of CompiledRule.fixed): drawn at the start, or hoisted. */
  | { readonly op: "fixed"; readonly index: number }
  /** Scalar parameter `index` (of CompiledRule.params), one value per run. */
  | { readonly op: "param"; readonly index: number }
  /** Per-sample data `index` (of CompiledRule.data) over the program's sample set. */
  | { readonly op: "data"; readonly index: number }
  | { readonly op: "constant"; readonly value: number }
  | { readonly op: "matmul"; readonly a: number; readonly b: number }
  | { readonly op: "transpose"; readonly a: number }
  | { readonly op: "unary"; readonly fn: UnaryFn; readonly a: number; readonly exponent?: number }
  | { readonly op: "binary"; readonly fn: BinaryFn; readonly a: number; readonly b: number }
  /** Sum over the sample axis: [count, r, c] -> [r, c]. */
  | { readonly op: "sampleSum"; readonly a: number }
  /** Sum of all entries -> [1, 1] (per sample when the operand is). */
  | { readonly op: "sum"; readonly a: number }
  /** A vector [n, 1] or [1, n] -> the dense diagonal matrix [n, n]. */
  | { readonly op: "diag"; readonly a: number };

export type IrNode = IrOp & { readonly type: IrType };

/** Which samples a program's `data` nodes range over. */
export type SampleSet = "minibatch" | "train" | "test" | "none";

/** A straight-line program: nodes in evaluation order, and the nodes it returns. */
export interface IrProgram {
  readonly nodes: readonly IrNode[];
  readonly outputs: readonly number[];
  readonly samples: SampleSet;
  /** Samples in that set (0 for "none"). */
  readonly sampleCount: number;
}

/** A named tensor of a compiled rule. */
export interface TensorInfo {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
}

export interface StateInfo extends TensorInfo {
  /** Rescaled to its initial Frobenius norm after every step (seed 001 section 5). */
  readonly renormalize: boolean;
}

export interface FixedInfo extends TensorInfo {
  /** "drawn": a teacher or random tensor; "hoisted": computed once per run by `hoist`. */
  readonly origin: "drawn" | "hoisted";
}

/**
 * A network rule compiled at concrete sizes and choices. Parameter values are not part of it:
 * they are per run (so runs at different parameters share one batch).
 *
 * One step of a run (epoch t, step k of the epoch): the step program evaluates the new value of
 * every state from the old ones over the minibatch perm[kS .. kS + S - 1], perm =
 * counterPermutation(deriveKey(shuffleSeed, t), train); then n_i = sqrt(sum of squares) of each
 * new state (row-major, from 0); if some n_i is not finite, or is 0 for a renormalized state, the
 * run fails at epoch t and is frozen (its states stay as computed); otherwise every renormalized
 * state is multiplied by target_i / n_i, target_i being its initial norm. An epoch is train / S
 * steps; a rule without data takes one step per epoch.
 */
export interface CompiledRule {
  readonly name: string;
  readonly kind: "flow" | "map";
  readonly sizes: Readonly<Record<string, number>>;
  readonly choices: Readonly<Record<string, string>>;
  readonly states: readonly StateInfo[];
  readonly fixed: readonly FixedInfo[];
  readonly params: readonly string[];
  /** Per-sample data: the inputs, then the targets. */
  readonly data: readonly TensorInfo[];
  /** How many of `data` are inputs (drawn); the rest are targets (computed by `targets`). */
  readonly inputCount: number;
  /** Training and test samples, or null for a rule without data. */
  readonly samples: { readonly train: number; readonly test: number } | null;
  /** Samples per step (the whole training set for full batch); 0 without data. */
  readonly minibatch: number;
  /** Outputs: the hoisted fixed values, in the order of `fixed` after the drawn ones. */
  readonly hoist: IrProgram;
  /** Outputs: the targets of a sample set of inputs (data nodes are inputs only). */
  readonly targets: IrProgram;
  /** Outputs: the new value of every state, in the order of `states` (before renormalization). */
  readonly step: IrProgram;
  /** A flow's vector field over the whole training set, one output per state (null for a map). */
  readonly field: IrProgram | null;
  /** The declared error over the training and the test set (null when the rule declares none). */
  readonly error: { readonly train: IrProgram; readonly test: IrProgram } | null;
}
