/**
 * NetworkRuleSpec: a learning rule over weight matrices, as written in a rule file. It is the
 * parsed, shape-checked form of the text (sizes stay symbolic); `instantiate` (src/ir) binds
 * sizes, parameters and choices to values and lowers it to the tensor IR.
 *
 * A network rule declares, in this order of meaning (any order in the file):
 * - sizes with integer defaults (`sizes M = 110, N = 110, P = 250, Q = 100, S = P`);
 * - scalar parameters (`params alphaH = 0, lr = 0.1`) and choices of functions
 *   (`choice phi = linear | tanh | relu`, the first is the default);
 * - random ingredients drawn once per run: teachers, fixed random matrices and sign patterns
 *   (`teacher W1t[N,M] ~ normal(sd = 1/sqrt(M))`, `random s1[M] ~ signs(alphaH)`);
 * - data: inputs drawn per sample (`input x[M] ~ normal(variance = 1/2)`), targets computed from
 *   them (`target y = W2t phi(W1t x)`), and the sample counts (`samples train P, test Q`);
 * - states with their initial ensembles (`state W1[N,M] ~ normal(sd = 1/sqrt(M))`);
 * - definitions (`h = phi(W1 x)`), one update per state (`d/dt W1 = ...` or `W1' = ...`) and
 *   the observable `error = ...`;
 * - the protocol: `minibatch S`, `learning-rate lr`, `renormalize W1, W2`.
 */

/** A place in a rule file, 1-based. */
export interface At {
  readonly line: number;
  readonly column: number;
}

/**
 * Largest size (a dimension, a sample count) accepted, in a rule file or as an override, so that
 * a typo cannot ask for a matrix that exhausts memory unannounced.
 */
export const MAX_SIZE = 1_000_000;

/** A dimension of a declared shape: a size name or a positive integer literal. */
export type Dim = string | number;

/** A symbolic shape [rows, cols]; a vector x[M] is the column [M, 1], a scalar is [1, 1]. */
export type SymbolicShape = readonly [Dim, Dim];

/** Matrix expressions, with the position of the token that made each node. */
export type MExpr =
  | { readonly kind: "num"; readonly value: number; readonly text: string; readonly at: At }
  /** A name; `applied` when written directly before "(" (as `f(x)`) without being a function. */
  | { readonly kind: "name"; readonly name: string; readonly at: At; readonly applied?: boolean }
  /** Matrix product, written `A B` or `A * B`; a 1 x 1 factor acts as a scalar. */
  | { readonly kind: "product"; readonly left: MExpr; readonly right: MExpr; readonly at: At }
  /** Elementwise: `A .* B`, `A ./ B`, `A + B`, `A - B`; `A / s` divides by a 1 x 1 value. */
  | {
      readonly kind: "hadamard" | "elementDivide" | "divide" | "add" | "subtract";
      readonly left: MExpr;
      readonly right: MExpr;
      readonly at: At;
    }
  | { readonly kind: "negate" | "transpose"; readonly arg: MExpr; readonly at: At }
  /** Elementwise integer power: `x^2` of a 1 x 1 value, `A.^2` of any shape (`dotted`). */
  | {
      readonly kind: "power";
      readonly base: MExpr;
      readonly exponent: number;
      readonly dotted: boolean;
      readonly at: At;
    }
  /** A function applied to arguments; `derivative` for `phi'(a)`. */
  | {
      readonly kind: "call";
      readonly fn: string;
      readonly derivative: boolean;
      readonly args: readonly MExpr[];
      readonly at: At;
    };

/** A law with its named arguments (`normal(sd = ...)`), each an expression of sizes and params. */
export interface LawSpec {
  /** normal, uniform, signs, zeros, identity, or a choice naming laws. */
  readonly law: string;
  readonly args: Readonly<Record<string, MExpr>>;
  /** Where each argument is written: its name, or its value when given without a name. */
  readonly argAt: Readonly<Record<string, At>>;
  readonly at: At;
}

/** Roles of random tensors; each role draws from its own random stream (see src/ir/draw.ts). */
export type RandomRole = "teacher" | "random" | "input" | "state";

export interface SizeDecl {
  readonly name: string;
  /** Default: an integer literal or another size's name. */
  readonly default: Dim;
  readonly at: At;
}

export interface ParamDecl {
  readonly name: string;
  /** Default value as an expression of numbers (e.g. `1/3`), or undefined. */
  readonly default?: MExpr;
  readonly at: At;
}

export interface ChoiceDecl {
  readonly name: string;
  /** The options; the first is the default. */
  readonly options: readonly string[];
  /** What the options are: elementwise functions, or laws of random tensors. */
  readonly of: "function" | "law";
  readonly at: At;
}

/** A tensor drawn at random: a teacher, a fixed random matrix, an input, or a state's start. */
export interface TensorDecl {
  readonly name: string;
  readonly role: RandomRole;
  readonly shape: SymbolicShape;
  readonly law: LawSpec;
  readonly at: At;
  /** Where each written dimension is (none for a scalar). */
  readonly dimAt?: readonly At[];
}

export interface Definition {
  readonly name: string;
  readonly expr: MExpr;
  readonly at: At;
}

export interface Update {
  /** The state it updates. */
  readonly state: string;
  readonly expr: MExpr;
  readonly at: At;
}

export interface NetworkRuleSpec {
  readonly name: string;
  readonly description?: string;
  readonly source?: string;
  /** Name of the rule file, for error messages. */
  readonly file: string;
  readonly kind: "flow" | "map";
  readonly sizes: readonly SizeDecl[];
  readonly params: readonly ParamDecl[];
  readonly choices: readonly ChoiceDecl[];
  /** Teachers and fixed random tensors, in declaration order. */
  readonly fixed: readonly TensorDecl[];
  /** Inputs drawn per sample (at most one per rule today... any number is allowed). */
  readonly inputs: readonly TensorDecl[];
  /** Targets: per-sample definitions computed once from teachers and inputs. */
  readonly targets: readonly Definition[];
  /** Sample counts: training and test sets (size expressions). */
  readonly samples?: { readonly train: Dim; readonly test: Dim; readonly at: At };
  readonly states: readonly TensorDecl[];
  readonly definitions: readonly Definition[];
  /** One per state, in the order of `states`. */
  readonly updates: readonly Update[];
  readonly error?: Definition;
  readonly minibatch?: { readonly size: Dim; readonly at: At };
  readonly learningRate?: { readonly expr: MExpr; readonly at: At };
  readonly renormalize: readonly { readonly state: string; readonly at: At }[];
  /** Types of every named tensor and definition, as inferred by the shape checker. */
  readonly types: ReadonlyMap<string, TensorType>;
}

/** The inferred type of a named value or expression. */
export interface TensorType {
  readonly shape: SymbolicShape;
  /** Varies over samples (an input, a target, or computed from one without mean). */
  readonly perSample: boolean;
  /** A diagonal matrix made by diag(v), stored as its diagonal. */
  readonly diagonal: boolean;
}
