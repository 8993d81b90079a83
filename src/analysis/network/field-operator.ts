/**
 * The vector field of a network flow rule and its Jacobian as an operator, for one run's data:
 * F(x) = d/dt of the states averaged over the run's training set (CompiledRule.field), and
 * J(x) v = d/dt F(x + t v) at t = 0, computed by the forward-mode program of src/ir/jvp.ts
 * (exact up to rounding, matrix-free: one evaluation costs about two of the field).
 *
 * A point x is all states flattened: each state row-major, in declaration order (the `blocks`).
 */
import type { RunData } from "../../ir/draw.ts";
import { extraTensor } from "../../ir/expectation.ts";
import { prepareProgram } from "../../ir/interpret.ts";
import { jvpProgram } from "../../ir/jvp.ts";
import type { NetworkModel } from "../../ir/model.ts";
import type { IrProgram } from "../../ir/program.ts";
import { vjpProgram } from "../../ir/vjp.ts";
import { concatenate } from "../../util/concatenate.ts";
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";

/** Where one state lies in the flattened point. */
export interface StateBlock {
  readonly name: string;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

export interface FieldOperator {
  /** Total number of state entries n. */
  readonly dimension: number;
  readonly blocks: readonly StateBlock[];
  /** F(x), length n. */
  field(x: Float64Array): Float64Array;
  /** J(x) v, length n. */
  apply(x: Float64Array, v: Float64Array): Float64Array;
  /** J(x)' w, length n (reverse mode, src/ir/vjp.ts). */
  applyTranspose(x: Float64Array, w: Float64Array): Float64Array;
}

/** The blocks of a model's states in the flattened point. */
export function stateBlocks(model: NetworkModel): StateBlock[] {
  let offset = 0;
  return model.compiled.states.map((s) => {
    const b = { name: s.name, offset, rows: s.rows, cols: s.cols };
    offset += s.rows * s.cols;
    return b;
  });
}

/** The flattened point of a run's states (e.g. its initial states). */
export function flattenStates(states: readonly Float64Array[]): Float64Array {
  return concatenate(states);
}

/** The states of a flattened point (views into `x`). */
export function splitStates(blocks: readonly StateBlock[], x: Float64Array): Float64Array[] {
  return blocks.map((b) => x.subarray(b.offset, b.offset + b.rows * b.cols));
}

export function fieldOperator(model: NetworkModel, run: RunData): FieldOperator {
  const field = model.compiled.field;
  if (!field) {
    throw new InvalidArgumentError(
      "fieldOperator",
      "model",
      "a flow rule (d/dt W = ...)",
      `the map rule "${model.compiled.name}"`,
    );
  }
  return programOperator(
    stateBlocks(model),
    field,
    { fixed: run.fixed, params: run.params, data: run.train },
    model.compiled.samples?.train ?? 0,
  );
}

/**
 * The operator of any program whose outputs are the states' derivatives (one per state), read
 * with `inputs` (fixed tensors, parameters, data over `sampleCount` samples).
 */
export function programOperator(
  blocks: readonly StateBlock[],
  program: IrProgram,
  inputs: {
    readonly fixed: readonly Float64Array[];
    readonly params: ArrayLike<number>;
    readonly data: readonly Float64Array[];
  },
  sampleCount: number,
): FieldOperator {
  const fn = "fieldOperator";
  const n = blocks.reduce((s, b) => s + b.rows * b.cols, 0);
  const k = blocks.length;
  const fieldRun = prepareProgram(program, sampleCount);
  const jvpRun = prepareProgram(jvpProgram(program, k), sampleCount);
  // The reverse-mode program is built on first use (most callers only need J v).
  let vjp: { run: ReturnType<typeof prepareProgram>; fixed: Float64Array[] } | null = null;
  const check = (what: string, a: Float64Array) => {
    if (!(a instanceof Float64Array) || a.length !== n) {
      throw new InvalidArgumentError(fn, what, `a Float64Array of length ${n}`, a?.length);
    }
  };
  return {
    dimension: n,
    blocks,
    field(x) {
      check("x", x);
      return flattenStates(fieldRun.run({ ...inputs, states: splitStates(blocks, x) }));
    },
    apply(x, v) {
      check("x", x);
      check("v", v);
      const out = jvpRun.run({ ...inputs, states: [...splitStates(blocks, x), ...splitStates(blocks, v)] });
      return flattenStates(out.slice(k));
    },
    applyTranspose(x, w) {
      check("x", x);
      check("w", w);
      if (!vjp) {
        const t = vjpProgram(program, k, inputs.fixed.length);
        vjp = {
          run: prepareProgram(t.program, sampleCount),
          fixed: [...inputs.fixed, ...t.extras.map(extraTensor)],
        };
      }
      const out = vjp.run.run({
        ...inputs,
        fixed: vjp.fixed,
        states: [...splitStates(blocks, x), ...splitStates(blocks, w)],
      });
      return flattenStates(out);
    },
  };
}

/** Largest dimension for which {@link denseJacobian} builds the n x n matrix. */
export const DENSE_JACOBIAN_MAX_DIMENSION = 4000;

/** The dense Jacobian at x, row-major n x n (column k is J e_k); bounded by `maxDimension`. */
export function denseJacobian(
  op: FieldOperator,
  x: Float64Array,
  maxDimension = DENSE_JACOBIAN_MAX_DIMENSION,
): Float64Array {
  const n = op.dimension;
  if (n > maxDimension) {
    throw new BoundExceededError(
      "denseJacobian",
      "dimension",
      maxDimension,
      n,
      "use the operator (Arnoldi) instead",
    );
  }
  const J = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    e.fill(0);
    e[c] = 1;
    const col = op.apply(x, e);
    for (let r = 0; r < n; r++) J[r * n + c] = col[r]!;
  }
  return J;
}
