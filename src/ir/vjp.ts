/**
 * Reverse-mode differentiation of IR programs with respect to the states: vector-Jacobian
 * products J'·w as another IR program (the transpose of src/ir/jvp.ts).
 *
 * For a program p(x) of the states x = (x_0, ..., x_{n-1}) with outputs y_0, ..., y_{k-1},
 * `vjpProgram(p, n)` is the program of the states (x_0, ..., x_{n-1}, w_0, ..., w_{k-1}) (the
 * cotangents are states n..n+k-1, each of its output's shape) returning, for every state x_j,
 * sum_i (d y_i / d x_j)' w_i, of x_j's shape. Adjoints flow backwards through the nodes: a
 * product sends g b' and a' g to its factors, an elementwise function g .* f'(a), a transpose
 * the transposed adjoint; a value broadcast over samples, rows or columns receives the sum of its
 * adjoint over them (sampleSum, and products with ones vectors), a sum over samples or entries
 * spreads its adjoint back by a product with ones. The ones vectors and identities it needs are
 * extra fixed tensors, appended after the rule's (src/ir/expectation.ts's ExtraTensor).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { unaryDerivative } from "./derivative.ts";
import type { ExtraTensor } from "./expectation.ts";
import { extract, Graph } from "./lower.ts";
import type { IrNode, IrProgram, IrType } from "./program.ts";

export interface VjpProgram {
  readonly program: IrProgram;
  readonly extras: readonly ExtraTensor[];
}

export function vjpProgram(program: IrProgram, stateCount: number, fixedCount: number): VjpProgram {
  const fn = "vjpProgram";
  const g = new Graph();
  const extras: ExtraTensor[] = [];
  const extra = (e: ExtraTensor, type: IrType) => {
    let k = extras.findIndex((x) => x.kind === e.kind && x.n === e.n);
    if (k < 0) k = extras.push(e) - 1;
    return g.add({ op: "fixed", index: fixedCount + k }, type);
  };
  const onesColumn = (n: number) => extra({ kind: "ones", n }, { rows: n, cols: 1, perSample: false });
  const identity = (n: number) => extra({ kind: "identity", n }, { rows: n, cols: n, perSample: false });

  // Forward pass: the same values, in a fresh graph.
  const value: number[] = [];
  const stateTypes: IrType[] = [];
  program.nodes.forEach((n, i) => {
    switch (n.op) {
      case "matmul":
        value[i] = g.matmul(value[n.a]!, value[n.b]!);
        return;
      case "binary":
        value[i] = g.binary(n.fn, value[n.a]!, value[n.b]!);
        return;
      case "unary":
        value[i] = g.unary(n.fn, value[n.a]!, n.exponent);
        return;
      case "transpose":
        value[i] = g.transpose(value[n.a]!);
        return;
      case "sampleSum":
      case "sum":
      case "diag":
        value[i] = g.add({ op: n.op, a: value[n.a]! }, n.type);
        return;
      default:
        if (n.op === "state") {
          if (n.index >= stateCount)
            throw new InvalidArgumentError(
              fn,
              "stateCount",
              `more than the state index ${n.index}`,
              stateCount,
            );
          stateTypes[n.index] = n.type;
        }
        value[i] = g.add(n, n.type);
    }
  });

  const adjoint: (number | null)[] = program.nodes.map(() => null);
  const accumulate = (i: number, a: number) => {
    adjoint[i] = adjoint[i] === null ? a : g.binary("add", adjoint[i]!, a);
  };
  const typeOf = (i: number) => program.nodes[i]!.type;
  /** x, an adjoint of a broadcast result, summed down to type t (samples, rows, columns). */
  const reduceTo = (x: number, t: IrType) => {
    let r = x;
    let tr = g.type(r);
    if (tr.perSample && !t.perSample) {
      r = g.add({ op: "sampleSum", a: r }, { ...tr, perSample: false });
      tr = g.type(r);
    }
    if (tr.rows !== t.rows) r = g.matmul(g.transpose(onesColumn(tr.rows)), r); // column sums: [1, cols]
    tr = g.type(r);
    if (tr.cols !== t.cols) r = g.matmul(r, onesColumn(tr.cols)); // row sums: [rows, 1]
    return r;
  };
  const ones = (i: number) => g.unary("linear'", value[i]!); // 1 in every entry of node i's type

  program.outputs.forEach((o, k) => {
    accumulate(o, g.add({ op: "state", index: stateCount + k }, typeOf(o)));
  });

  for (let i = program.nodes.length - 1; i >= 0; i--) {
    const gi = adjoint[i] ?? null;
    if (gi === null) continue;
    const n: IrNode = program.nodes[i]!;
    switch (n.op) {
      case "matmul": {
        accumulate(n.a, reduceTo(g.matmul(gi, g.transpose(value[n.b]!)), typeOf(n.a)));
        accumulate(n.b, reduceTo(g.matmul(g.transpose(value[n.a]!), gi), typeOf(n.b)));
        break;
      }
      case "binary": {
        const a = value[n.a]!;
        const b = value[n.b]!;
        if (n.fn === "add") {
          accumulate(n.a, reduceTo(gi, typeOf(n.a)));
          accumulate(n.b, reduceTo(gi, typeOf(n.b)));
        } else if (n.fn === "sub") {
          accumulate(n.a, reduceTo(gi, typeOf(n.a)));
          accumulate(n.b, reduceTo(g.unary("negate", gi), typeOf(n.b)));
        } else if (n.fn === "mul") {
          accumulate(n.a, reduceTo(g.binary("mul", gi, b), typeOf(n.a)));
          accumulate(n.b, reduceTo(g.binary("mul", gi, a), typeOf(n.b)));
        } else {
          accumulate(n.a, reduceTo(g.binary("div", gi, b), typeOf(n.a)));
          accumulate(
            n.b,
            reduceTo(g.unary("negate", g.binary("div", g.binary("mul", gi, value[i]!), b)), typeOf(n.b)),
          );
        }
        break;
      }
      case "unary": {
        const a = value[n.a]!;
        const out = value[i]!;
        const d = unaryDerivative(g, n, a, out);
        if (d !== null) accumulate(n.a, g.binary("mul", gi, d));
        break;
      }
      case "transpose":
        accumulate(n.a, g.transpose(gi));
        break;
      case "sampleSum":
      case "sum":
        accumulate(n.a, g.binary("mul", gi, ones(n.a)));
        break;
      case "diag": {
        // The adjoint of diag(v) is the diagonal of the adjoint, as v's column or row.
        const t = typeOf(n.a);
        const m = typeOf(i).rows;
        const column = g.matmul(g.binary("mul", gi, identity(m)), onesColumn(m));
        accumulate(n.a, t.rows === 1 ? g.transpose(column) : column);
        break;
      }
      default:
        break;
    }
  }
  const zeroLike = (t: IrType, j: number) =>
    g.binary("mul", g.constant(0), g.unary("linear'", g.add({ op: "state", index: j }, t)));
  const outputs = Array.from({ length: stateCount }, (_, j) => {
    const node = program.nodes.findIndex((n) => n.op === "state" && n.index === j);
    if (node < 0 || adjoint[node] === null) {
      const t = stateTypes[j];
      if (!t)
        throw new InvalidArgumentError(
          fn,
          "program",
          `a program that reads state ${j}`,
          "no read",
          "pass the state's type by reading it",
        );
      return zeroLike(t, j);
    }
    return adjoint[node]!;
  });
  return { program: extract(g, outputs, program.samples, program.sampleCount, new Map()), extras };
}
