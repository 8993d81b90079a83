/**
 * IR programs built by hand for the generator's tests, typed as src/ir/lower.ts types them, and
 * random inputs for them (normal values with exact zeros of both signs mixed in, so that the
 * piecewise functions meet their boundaries).
 */
import type { ProgramInputs } from "../../../src/ir/interpret.ts";
import type { BinaryFn, IrNode, IrOp, IrProgram, IrType, UnaryFn } from "../../../src/ir/program.ts";
import { Rng } from "../../../src/util/random.ts";

export class ProgramBuilder {
  readonly nodes: IrNode[] = [];
  private readonly counts = { state: 0, fixed: 0, data: 0, param: 0 };

  constructor(readonly sampleCount: number) {}

  private add(op: IrOp, type: IrType): number {
    this.nodes.push({ ...op, type });
    return this.nodes.length - 1;
  }

  type(n: number): IrType {
    return this.nodes[n]!.type;
  }

  state(rows: number, cols: number): number {
    return this.add({ op: "state", index: this.counts.state++ }, { rows, cols, perSample: false });
  }
  fixed(rows: number, cols: number): number {
    return this.add({ op: "fixed", index: this.counts.fixed++ }, { rows, cols, perSample: false });
  }
  data(rows: number, cols: number): number {
    return this.add({ op: "data", index: this.counts.data++ }, { rows, cols, perSample: true });
  }
  param(): number {
    return this.add({ op: "param", index: this.counts.param++ }, { rows: 1, cols: 1, perSample: false });
  }
  constant(value: number): number {
    return this.add({ op: "constant", value }, { rows: 1, cols: 1, perSample: false });
  }
  unary(fn: UnaryFn, a: number, exponent?: number): number {
    return this.add({ op: "unary", fn, a, ...(exponent !== undefined ? { exponent } : {}) }, this.type(a));
  }
  binary(fn: BinaryFn, a: number, b: number): number {
    const ta = this.type(a);
    const tb = this.type(b);
    return this.add(
      { op: "binary", fn, a, b },
      {
        rows: Math.max(ta.rows, tb.rows),
        cols: Math.max(ta.cols, tb.cols),
        perSample: ta.perSample || tb.perSample,
      },
    );
  }
  matmul(a: number, b: number): number {
    const ta = this.type(a);
    const tb = this.type(b);
    return this.add(
      { op: "matmul", a, b },
      { rows: ta.rows, cols: tb.cols, perSample: ta.perSample || tb.perSample },
    );
  }
  transpose(a: number): number {
    const t = this.type(a);
    return this.add({ op: "transpose", a }, { rows: t.cols, cols: t.rows, perSample: t.perSample });
  }
  sampleSum(a: number): number {
    return this.add({ op: "sampleSum", a }, { ...this.type(a), perSample: false });
  }
  sum(a: number): number {
    return this.add({ op: "sum", a }, { rows: 1, cols: 1, perSample: this.type(a).perSample });
  }
  diag(a: number): number {
    const t = this.type(a);
    const n = Math.max(t.rows, t.cols);
    return this.add({ op: "diag", a }, { rows: n, cols: n, perSample: t.perSample });
  }

  program(outputs: readonly number[]): IrProgram {
    return {
      nodes: this.nodes,
      outputs,
      samples: this.sampleCount > 0 ? "minibatch" : "none",
      sampleCount: this.sampleCount,
    };
  }

  /** Random inputs for every leaf of the program. */
  inputs(seed: number): ProgramInputs {
    const rng = new Rng(seed);
    const draw = (n: number) =>
      Float64Array.from({ length: n }, () => {
        const u = rng.uniform();
        return u < 0.05 ? 0 : u < 0.1 ? -0 : rng.normal() * 2;
      });
    const states: Float64Array[] = [];
    const fixed: Float64Array[] = [];
    const data: Float64Array[] = [];
    const params: number[] = [];
    for (const n of this.nodes) {
      const size = n.type.rows * n.type.cols;
      if (n.op === "state") states[n.index] = draw(size);
      if (n.op === "fixed") fixed[n.index] = draw(size);
      if (n.op === "data") data[n.index] = draw(size * this.sampleCount);
      if (n.op === "param") params[n.index] = draw(1)[0]!;
    }
    return { states, fixed, data, params };
  }
}
