/**
 * The reference interpreter of the tensor IR in float64: each node evaluated in turn with plain
 * loops, in exactly the order src/ir/program.ts defines. It is the specification the compiled
 * backends (WebAssembly, WGSL) are tested against, and the CPU backend's engine for any rule.
 *
 * A prepared program owns one buffer per node, sized for its sample count, so evaluating it in a
 * loop allocates nothing. Leaves read the caller's arrays directly; outputs are views of the
 * program's buffers, valid until the next evaluation.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { applyUnary, UNARY } from "./elementwise.ts";
import { operands } from "./lower.ts";
import type { IrNode, IrProgram } from "./program.ts";

/** What a program reads: per-run values, as row-major float64 arrays. */
export interface ProgramInputs {
  /** The current value of each state. */
  readonly states: readonly Float64Array[];
  /** Each fixed tensor (drawn, then hoisted). */
  readonly fixed: readonly Float64Array[];
  /** One value per parameter. */
  readonly params: ArrayLike<number>;
  /** Each data tensor over the program's sample set: [count, rows, cols]. */
  readonly data: readonly Float64Array[];
}

/** A program ready to be evaluated over `sampleCount` samples. */
export interface PreparedProgram {
  readonly program: IrProgram;
  readonly sampleCount: number;
  /** Evaluates every node; returns the outputs (views, overwritten by the next call). */
  run(inputs: ProgramInputs): Float64Array[];
}

/** Number of entries of a node's value over `count` samples. */
export function entriesOf(n: IrNode, count: number): number {
  return (n.type.perSample ? count : 1) * n.type.rows * n.type.cols;
}

/** Prepares `program` for evaluation over `sampleCount` samples (defaults to the program's own). */
export function prepareProgram(program: IrProgram, sampleCount = program.sampleCount): PreparedProgram {
  const nodes = program.nodes;
  // A per-sample product consumed only by a sampleSum (an outer product summed over the
  // minibatch) is never stored whole: the sum accumulates each product as it is formed, in the
  // same order, so the result is the same bits without a [count, rows, cols] buffer.
  const uses = nodes.map(() => 0);
  for (const n of nodes) for (const a of operands(n)) uses[a]!++;
  for (const o of program.outputs) uses[o]! += 1;
  const streamed = nodes.map(() => false);
  nodes.forEach((n) => {
    if (n.op !== "sampleSum") return;
    const m = nodes[n.a]!;
    if (m.op === "binary" && m.fn === "mul" && uses[n.a] === 1) streamed[n.a] = true;
  });
  const buffers: (Float64Array | null)[] = nodes.map((n, i) => {
    if (n.op === "state" || n.op === "fixed" || n.op === "param" || n.op === "data" || streamed[i])
      return null;
    if (n.op === "constant") return Float64Array.of(n.value);
    return new Float64Array(entriesOf(n, sampleCount));
  });
  const paramScalars = nodes.map((n) => (n.op === "param" ? new Float64Array(1) : null));
  return {
    program,
    sampleCount,
    run(inputs) {
      const values: Float64Array[] = new Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        switch (n.op) {
          case "state":
            values[i] = leaf(inputs.states, n.index, "states", entriesOf(n, sampleCount));
            break;
          case "fixed":
            values[i] = leaf(inputs.fixed, n.index, "fixed", entriesOf(n, sampleCount));
            break;
          case "data":
            values[i] = leaf(inputs.data, n.index, "data", entriesOf(n, sampleCount));
            break;
          case "param": {
            const p = paramScalars[i]!;
            p[0] = inputs.params[n.index]!;
            values[i] = p;
            break;
          }
          case "constant":
            values[i] = buffers[i]!;
            break;
          case "sampleSum":
            values[i] = streamed[n.a]
              ? sumOfProducts(
                  nodes[n.a] as IrNode & { op: "binary" },
                  nodes,
                  values,
                  buffers[i]!,
                  sampleCount,
                )
              : evaluateNode(n, nodes, values, buffers[i]!, sampleCount);
            break;
          default:
            if (streamed[i]) break;
            values[i] = evaluateNode(n, nodes, values, buffers[i]!, sampleCount);
        }
      }
      return program.outputs.map((o) => values[o]!);
    },
  };
}

function leaf(arrays: readonly Float64Array[], index: number, what: string, length: number): Float64Array {
  const a = arrays[index];
  if (a === undefined || a.length < length) {
    throw new InvalidArgumentError(
      "runProgram",
      `${what}[${index}]`,
      `a Float64Array of length ${length}`,
      a?.length ?? "nothing",
    );
  }
  return a;
}

/** sampleSum(a .* b) without storing a .* b: out[q] += a*b sample by sample, from 0. */
function sumOfProducts(
  m: IrNode & { op: "binary" },
  nodes: readonly IrNode[],
  values: readonly Float64Array[],
  out: Float64Array,
  count: number,
): Float64Array {
  const A = values[m.a]!;
  const B = values[m.b]!;
  const [as, ar, ac] = strides(nodes[m.a]!);
  const [bs, br, bc] = strides(nodes[m.b]!);
  const { rows, cols } = m.type;
  out.fill(0);
  for (let s = 0; s < count; s++) {
    let q = 0;
    for (let i = 0; i < rows; i++) {
      let ia = s * as + i * ar;
      let ib = s * bs + i * br;
      for (let j = 0; j < cols; j++, ia += ac, ib += bc, q++) out[q] = out[q]! + A[ia]! * B[ib]!;
    }
  }
  return out;
}

/** Strides of a (possibly broadcast) operand: per sample, per row, per column. */
function strides(n: IrNode): [number, number, number] {
  const t = n.type;
  return [t.perSample ? t.rows * t.cols : 0, t.rows === 1 ? 0 : t.cols, t.cols === 1 ? 0 : 1];
}

function evaluateNode(
  n: IrNode,
  nodes: readonly IrNode[],
  values: readonly Float64Array[],
  out: Float64Array,
  count: number,
): Float64Array {
  const { rows, cols, perSample } = n.type;
  const samples = perSample ? count : 1;
  switch (n.op) {
    case "matmul": {
      const A = values[n.a]!;
      const B = values[n.b]!;
      const ta = nodes[n.a]!.type;
      const tb = nodes[n.b]!.type;
      const k = ta.cols;
      const sa = ta.perSample ? ta.rows * k : 0;
      const sb = tb.perSample ? k * cols : 0;
      if (cols === 1) {
        // Matrix times vector: one dot product per entry, in increasing t, from 0.
        for (let s = 0; s < samples; s++) {
          for (let i = 0; i < rows; i++) {
            const ar = s * sa + i * k;
            const br = s * sb;
            let acc = 0;
            for (let t = 0; t < k; t++) acc += A[ar + t]! * B[br + t]!;
            out[s * rows + i] = acc;
          }
        }
        return out;
      }
      for (let s = 0; s < samples; s++) {
        const o = s * rows * cols;
        out.fill(0, o, o + rows * cols);
        // Per entry (i, j) the terms are added in increasing t, from 0 (i-t-j order keeps it).
        for (let i = 0; i < rows; i++) {
          const ar = s * sa + i * k;
          const cr = o + i * cols;
          for (let t = 0; t < k; t++) {
            const a = A[ar + t]!;
            const br = s * sb + t * cols;
            for (let j = 0; j < cols; j++) out[cr + j] = out[cr + j]! + a * B[br + j]!;
          }
        }
      }
      return out;
    }
    case "binary": {
      const A = values[n.a]!;
      const B = values[n.b]!;
      const [as, ar, ac] = strides(nodes[n.a]!);
      const [bs, br, bc] = strides(nodes[n.b]!);
      let q = 0;
      for (let s = 0; s < samples; s++) {
        for (let i = 0; i < rows; i++) {
          let ia = s * as + i * ar;
          let ib = s * bs + i * br;
          switch (n.fn) {
            case "add":
              for (let j = 0; j < cols; j++, ia += ac, ib += bc) out[q++] = A[ia]! + B[ib]!;
              break;
            case "sub":
              for (let j = 0; j < cols; j++, ia += ac, ib += bc) out[q++] = A[ia]! - B[ib]!;
              break;
            case "mul":
              for (let j = 0; j < cols; j++, ia += ac, ib += bc) out[q++] = A[ia]! * B[ib]!;
              break;
            case "div":
              for (let j = 0; j < cols; j++, ia += ac, ib += bc) out[q++] = A[ia]! / B[ib]!;
              break;
          }
        }
      }
      return out;
    }
    case "unary": {
      const A = values[n.a]!;
      const length = samples * rows * cols;
      if (n.fn === "pow") {
        const e = n.exponent ?? 1;
        for (let q = 0; q < length; q++) out[q] = applyUnary("pow", A[q]!, e);
      } else {
        const f = UNARY[n.fn];
        for (let q = 0; q < length; q++) out[q] = f(A[q]!);
      }
      return out;
    }
    case "transpose": {
      const A = values[n.a]!;
      // The operand is [cols, rows]; out[i][j] = A[j][i].
      for (let s = 0; s < samples; s++) {
        const o = s * rows * cols;
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < cols; j++) out[o + i * cols + j] = A[o + j * rows + i]!;
      }
      return out;
    }
    case "sampleSum": {
      const A = values[n.a]!;
      const length = rows * cols;
      out.fill(0);
      for (let s = 0; s < count; s++) {
        const o = s * length;
        for (let q = 0; q < length; q++) out[q] = out[q]! + A[o + q]!;
      }
      return out;
    }
    case "sum": {
      const A = values[n.a]!;
      const length = nodes[n.a]!.type.rows * nodes[n.a]!.type.cols;
      for (let s = 0; s < samples; s++) {
        let acc = 0;
        for (let q = 0; q < length; q++) acc += A[s * length + q]!;
        out[s] = acc;
      }
      return out;
    }
    case "diag": {
      const A = values[n.a]!;
      out.fill(0);
      for (let s = 0; s < samples; s++)
        for (let i = 0; i < rows; i++) out[s * rows * rows + i * rows + i] = A[s * rows + i]!;
      return out;
    }
    default:
      throw new InvalidArgumentError("runProgram", "node", "an operation", n.op);
  }
}
