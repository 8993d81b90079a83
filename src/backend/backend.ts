/**
 * The tensor backend: the few kernels the simulator needs, behind one interface, so that the
 * same simulation runs on the CPU (float64, the readable reference and the specification) and
 * on a GPU (WGSL, float32). Every backend must pass the conformance suite in
 * test/backend/conformance.ts.
 *
 * Conventions that every implementation follows:
 * - A {@link Tensor} is a dense, row-major array of shape [B, m, n] (rank 1 to 3); the leading
 *   axis of a rank-3 tensor is the batch axis. Element (b, i, j) lives at offset
 *   b*m*n + i*n + j.
 * - Host data always arrives and leaves as Float64Array. A float32 backend rounds on upload and
 *   widens on read; it never changes the layout.
 * - All randomness is drawn on the host (src/util/random.ts) before upload, except the order of
 *   the minibatches, which is the counter-based permutation of src/util/counter-rng.ts so that a
 *   WGSL twin can compute it on the device bit for bit.
 * - Kernels that produce tensors return immediately (a GPU backend may queue the work); only the
 *   read functions are asynchronous.
 */

import type { RunData } from "../ir/draw.ts";
import type { CompiledRule } from "../ir/program.ts";

/** A dense row-major array owned by a backend. Opaque apart from its shape. */
export interface Tensor {
  /** Shape, rank 1 to 3; for rank 3 the first axis is the batch. */
  readonly shape: readonly number[];
  /** Name of the backend that owns the storage; tensors do not move between backends. */
  readonly backend: string;
}

/** Elementwise functions of one tensor. Derivatives are those of the activations of seed 001. */
export type UnaryMap =
  | "linear" // x
  | "tanh" // tanh x
  | "relu" // max(x, 0)
  | "linearPrime" // 1
  | "tanhPrime" // 1 - tanh(x)^2
  | "reluPrime" // 1 if x > 0 else 0 (the derivative at 0 is taken to be 0)
  | "square" // x^2
  | "negate"; // -x

/** Elementwise functions of two tensors of the same shape. */
export type BinaryMap = "add" | "subtract" | "multiply";

/** Reductions over the last axis. */
export type Reduction = "sum" | "sumOfSquares" | "max";

/** Activation functions of the student and teacher hidden layer. */
export type Activation = "linear" | "tanh" | "relu";

/**
 * What carries the error back to the hidden layer in the two-layer update:
 * - "readout": the current readout weights W2 (gradient descent and curl descent, seed 001 eq. 5);
 * - "fixed": a fixed random vector B (feedback alignment; seed 003 eq. 6 with a fixed R).
 */
export type FeedbackKind = "readout" | "fixed";

/**
 * A batch of B independent two-layer student-teacher simulations (seed 001, section 3 and
 * section 5), all with the same sizes, activation, learning rate and batch size; everything else
 * (data, initial weights, signs, feedback) is per member. All arrays are row-major float64 on the
 * host; the backend copies them.
 *
 * Network: for an input x in R^M, a = W1 x in R^N, h = phi(a), yhat = W2 h (scalar).
 */
export interface StudentTeacherInit {
  /** B, the number of simulations in the batch (>= 1). */
  size: number;
  /** M, the input dimension (>= 1). */
  inputs: number;
  /** N, the hidden dimension (>= 1). */
  hidden: number;
  /** phi, the hidden-layer activation. */
  activation: Activation;
  /** Training inputs, [B, nTrain, M]: sample mu of member b is row mu of block b. */
  trainInputs: Float64Array;
  /** Training targets (teacher outputs), [B, nTrain]. */
  trainTargets: Float64Array;
  /** Test inputs, [B, nTest, M]. */
  testInputs: Float64Array;
  /** Test targets, [B, nTest]. */
  testTargets: Float64Array;
  /** nTrain, the number of training samples per member (>= 1). */
  trainCount: number;
  /** nTest, the number of test samples per member (>= 1). */
  testCount: number;
  /** Initial hidden weights W1, [B, N, M]. */
  w1: Float64Array;
  /** Initial readout weights W2, [B, N] (a 1 x N row per member). */
  w2: Float64Array;
  /**
   * Signs d1 in {+1, -1}, [B, M]: D1 = diag(d1) multiplies the hidden-layer update on the right,
   * so d1[j] flips every synapse from input neuron j (seed 001 eq. 5; alpha_h = fraction of -1).
   */
  d1: Float64Array;
  /**
   * Signs d2 in {+1, -1}, [B, N]: D2 = diag(d2) multiplies the readout update on the right, so
   * d2[i] flips the synapse from hidden neuron i (seed 001 eq. 5; alpha_r = fraction of -1).
   */
  d2: Float64Array;
  /** How the error reaches the hidden layer. */
  feedback: FeedbackKind;
  /** Fixed feedback vectors B, [B, N]; required when feedback is "fixed", ignored otherwise. */
  feedbackWeights?: Float64Array;
  /** Learning rate per epoch-sum, eta_epoch (0.1 in seed 001 section 5); > 0. */
  learningRate: number;
  /** Minibatch size; must divide nTrain. nTrain means full batch (one step per epoch). */
  batchSize: number;
  /**
   * Seeds of the minibatch order, [B] (u32). Member b draws its epoch-t order from
   * counterPermutation(deriveKey(shuffleSeeds[b], t), nTrain). Two members with equal seeds and
   * equal data see the same minibatches (used for the Lyapunov exponent).
   */
  shuffleSeeds: Uint32Array;
  /**
   * Whether to rescale W1 and W2 to their target Frobenius norms after every step (seed 001
   * section 5). Default true.
   */
  renormalize?: boolean;
  /** Target norms ||W1||_F, [B]; default: the Frobenius norms of the initial W1 in float64. */
  norm1?: Float64Array;
  /** Target norms ||W2||_F, [B]; default: the Frobenius norms of the initial W2 in float64. */
  norm2?: Float64Array;
}

/** Mean squared errors per member: (1/n) sum_mu (yhat_mu - y_mu)^2 over a data set. */
export interface BatchErrors {
  /** [B] error on the training set. */
  train: Float64Array;
  /** [B] error on the test set. */
  test: Float64Array;
}

/**
 * A live batch of student-teacher simulations on a backend. The epoch counter starts at 0 and is
 * shared by all members.
 *
 * One SGD step of member b (the fused update), with eta = learningRate * batchSize / nTrain and
 * the minibatch S = { perm[s*batchSize], ..., perm[(s+1)*batchSize - 1] } of step s (s = 0 ..
 * nTrain/batchSize - 1) of epoch t, perm = counterPermutation(deriveKey(shuffleSeeds[b], t),
 * nTrain) (for a full batch the permutation is still drawn; it only orders the sum):
 *
 *   for mu in S:  a_mu = W1 x_mu,  h_mu = phi(a_mu),  e_mu = W2 h_mu - y_mu
 *   G2 = (1/|S|) sum_mu e_mu h_mu^T                                   (1 x N)
 *   G1 = (1/|S|) sum_mu ((f (.) phi'(a_mu)) e_mu) x_mu^T              (N x M)
 *   W2 <- W2 - eta * G2 D2,   W1 <- W1 - eta * G1 D1
 *   if renormalize:  W1 <- (norm1 / ||W1||_F) * W1,   W2 <- (norm2 / ||W2||_F) * W2
 *
 * where f = W2^T before the step (feedback "readout") or the fixed B (feedback "fixed"), and both
 * gradients are computed from the weights before the step. With D1 = I, D2 = I and feedback
 * "readout" this is minibatch gradient descent on (1/2) mean squared error; otherwise it is curl
 * descent (seed 001 eq. 5) or feedback alignment.
 *
 * Failure: after each step, with n1 = ||W1||_F and n2 = ||W2||_F of the updated weights (before
 * the rescaling; computed as the square root of the sum of squares), a member whose n1 or n2 is
 * not finite, or is 0 when renormalizing, is not rescaled but frozen: its weights are no longer
 * updated and the epoch t of the failing step is recorded. The other members go on unchanged.
 */
export interface StudentTeacherBatch {
  /** B. */
  readonly size: number;
  /** Epochs completed so far (0 after creation). */
  readonly epoch: number;
  /** Runs `epochs` whole epochs (epochs * nTrain / batchSize steps) on every live member. */
  advance(epochs: number): void;
  /** Train and test mean squared errors of every member at the current weights (NaN if failed). */
  errors(): Promise<BatchErrors>;
  /** Current weights: w1 [B, N, M], w2 [B, N]. */
  readWeights(): Promise<{ w1: Float64Array; w2: Float64Array }>;
  /**
   * Replaces the weights of every member (same shapes as {@link readWeights}); target norms,
   * epoch counter and failure records are unchanged.
   */
  writeWeights(w1: Float64Array, w2: Float64Array): void;
  /** [B] the epoch during which each member failed, or -1 for members still running. */
  failures(): Promise<Int32Array>;
  /** Releases the storage; the batch cannot be used afterwards. */
  dispose(): void;
}

/**
 * A batch of B runs of one compiled network rule (src/ir/program.ts), each with its own data,
 * fixed tensors, parameters, initial states and minibatch order (src/ir/draw.ts). The step, the
 * renormalization and the failure rule are those of CompiledRule; the CPU backend's
 * interpreter (src/ir/interpret.ts) is the reference every backend is tested against.
 */
export interface NetworkInit {
  readonly rule: CompiledRule;
  /** The runs, one per member. */
  readonly runs: readonly RunData[];
  /**
   * Target Frobenius norm of each renormalized state, per state a [B] array; default: the
   * norms of the initial states (in float64). Entries of states that are not renormalized are
   * ignored.
   */
  readonly norms?: readonly Float64Array[];
}

/** A live batch of runs of a network rule; the epoch counter is shared by all members. */
export interface NetworkBatch {
  /** B. */
  readonly size: number;
  readonly rule: CompiledRule;
  /** Epochs completed so far. */
  readonly epoch: number;
  /** Runs `epochs` whole epochs on every live member. */
  advance(epochs: number): void;
  /** The rule's error over the training and the test set per member (NaN for a failed member or a rule without error). */
  errors(): Promise<BatchErrors>;
  /** Current states: per state, [B, rows, cols]. */
  readStates(): Promise<Float64Array[]>;
  /** Replaces every member's states (shapes as readStates); epoch, norms and failures unchanged. */
  writeStates(states: readonly Float64Array[]): void;
  /** [B] the epoch during which each member failed, or -1. */
  failures(): Promise<Int32Array>;
  dispose(): void;
}

/** A tensor backend. */
export interface Backend {
  /** Registry name, e.g. "cpu" or "webgpu". */
  readonly name: string;
  /** The precision of stored values and arithmetic. */
  readonly dtype: "float64" | "float32";

  /** Copies host data of the given shape (product of shape = data.length) into a new tensor. */
  tensor(data: Float64Array, shape: readonly number[]): Tensor;
  /** Copies a tensor back to the host, row-major, widened to float64. */
  read(x: Tensor): Promise<Float64Array>;
  /** Releases a tensor's storage. */
  dispose(x: Tensor): void;

  /**
   * Batched matrix product C_b = op(A_b) op(B_b), op(X) = X or X^T. a: [B, m, k] (or [B, k, m]
   * with transposeA), b: [B, k, n] (or [B, n, k] with transposeB); returns [B, m, n]. A batch
   * dimension of 1 on either side broadcasts. Each entry is the sum over k in increasing order.
   */
  matmul(a: Tensor, b: Tensor, options?: { transposeA?: boolean; transposeB?: boolean }): Tensor;
  /** Elementwise f(x), same shape. */
  map(x: Tensor, f: UnaryMap): Tensor;
  /** Elementwise a op b for tensors of equal shape. */
  combine(a: Tensor, b: Tensor, op: BinaryMap): Tensor;
  /** Elementwise alpha * x (alpha a host scalar). */
  scale(x: Tensor, alpha: number): Tensor;
  /** Reduces the last axis: [..., n] -> [...] (a rank-1 input gives shape [1]). */
  reduce(x: Tensor, op: Reduction): Tensor;

  /** Uploads a batch of student-teacher simulations; validates shapes and values first. */
  studentTeacher(init: StudentTeacherInit): StudentTeacherBatch;

  /** Uploads a batch of runs of a compiled network rule; validates shapes and values first. */
  network(init: NetworkInit): NetworkBatch;
}
