/**
 * The generated kernels against the IR interpreter, bit for bit: each operation alone at random
 * shapes (broadcast operands, per-sample and shared operands, transposed views, odd and even
 * sample counts and widths, so every block, remainder and scalar tail runs), then random
 * programs mixing them, property-based with fast-check (seeds recorded in each test).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { programModule } from "../../../src/backend/wasm-codegen/program-module.ts";
import { prepareProgram } from "../../../src/ir/interpret.ts";
import type { BinaryFn, IrProgram, UnaryFn } from "../../../src/ir/program.ts";
import { ProgramBuilder } from "./program-builder.ts";

/** Every output of the compiled program equals the interpreter's, entry by entry (Object.is). */
function expectSameBits(program: IrProgram, pb: ProgramBuilder, seed: number, unroll?: number): void {
  const inputs = pb.inputs(seed);
  const want = prepareProgram(program)
    .run(inputs)
    .map((o) => Float64Array.from(o));
  const got = programModule(program, unroll !== undefined ? { unroll } : {}).run(inputs);
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    expect(got[k]!.length, `output ${k}: length`).toBe(w.length);
    for (let q = 0; q < w.length; q++) {
      if (!Object.is(got[k]![q], w[q]))
        expect.fail(`output ${k}, entry ${q}: ${got[k]![q]}, the interpreter ${w[q]}`);
    }
  });
}

const UNARY: UnaryFn[] = [
  "negate",
  "pow",
  "linear",
  "tanh",
  "relu",
  "sigmoid",
  "exp",
  "log",
  "sqrt",
  "abs",
  "linear'",
  "tanh'",
  "relu'",
  "sigmoid'",
  "exp'",
  "log'",
  "sqrt'",
  "abs'",
];
const BINARY: BinaryFn[] = ["add", "sub", "mul", "div"];

const dim = fc.integer({ min: 1, max: 7 });
const samples = fc.integer({ min: 1, max: 7 });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const unroll = fc.integer({ min: 1, max: 6 });

/** A leaf of the given shape: shared (state or fixed) or per sample (data). */
function leaf(pb: ProgramBuilder, rows: number, cols: number, perSample: boolean): number {
  return perSample ? pb.data(rows, cols) : pb.state(rows, cols);
}

describe("generated kernels, one operation at a time, equal the interpreter bit for bit", () => {
  it("unary functions (seed 101)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNARY),
        fc.integer({ min: -3, max: 4 }),
        dim,
        dim,
        fc.boolean(),
        samples,
        seed,
        unroll,
        (fn, k, r, c, ps, S, s, u) => {
          const pb = new ProgramBuilder(S);
          const x = pb.unary(fn, leaf(pb, r, c, ps), fn === "pow" ? k : undefined);
          // A second consumer keeps x stored, so both the stored and the fused form are checked.
          const y = pb.binary(
            "add",
            pb.unary(fn, leaf(pb, r, c, ps), fn === "pow" ? k : undefined),
            pb.constant(0.25),
          );
          expectSameBits(pb.program([x, y]), pb, s, u);
        },
      ),
      { seed: 101, numRuns: 300 },
    );
  });

  it("binary functions with broadcasting (seed 102)", () => {
    const side = fc.record({ rowsOne: fc.boolean(), colsOne: fc.boolean(), perSample: fc.boolean() });
    fc.assert(
      fc.property(
        fc.constantFrom(...BINARY),
        dim,
        dim,
        side,
        side,
        samples,
        seed,
        unroll,
        (fn, r, c, a, b, S, s, u) => {
          const pb = new ProgramBuilder(S);
          const x = leaf(pb, a.rowsOne ? 1 : r, a.colsOne ? 1 : c, a.perSample);
          const y = leaf(pb, b.rowsOne ? 1 : r, b.colsOne ? 1 : c, b.perSample);
          expectSameBits(pb.program([pb.binary(fn, x, y)]), pb, s, u);
        },
      ),
      { seed: 102, numRuns: 300 },
    );
  });

  it("matmul of shared, per-sample and transposed operands, alone and with an epilogue (seed 103)", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        samples,
        seed,
        unroll,
        (r, k, c, pa, pb_, ta, tb, epilogue, S, s, u) => {
          const pb = new ProgramBuilder(S);
          const a = ta ? pb.transpose(leaf(pb, k, r, pa)) : leaf(pb, r, k, pa);
          const b = tb ? pb.transpose(leaf(pb, c, k, pb_)) : leaf(pb, k, c, pb_);
          const m = pb.matmul(a, b);
          const out = epilogue ? pb.binary("sub", leaf(pb, r, c, false), pb.binary("mul", pb.param(), m)) : m;
          expectSameBits(pb.program([out]), pb, s, u);
        },
      ),
      { seed: 103, numRuns: 300 },
    );
  });

  it("sampleSum of products, outer products and transposes, with an epilogue (seed 104)", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        fc.constantFrom("plain", "outer", "transposed"),
        fc.boolean(),
        samples,
        seed,
        unroll,
        (r, c, shape, epilogue, S, s, u) => {
          const pb = new ProgramBuilder(S);
          let x: number;
          if (shape === "plain") x = pb.unary("relu", pb.data(r, c));
          else if (shape === "outer") x = pb.binary("mul", pb.data(r, 1), pb.transpose(pb.data(c, 1)));
          else x = pb.binary("mul", pb.transpose(pb.data(c, r)), pb.state(r, c));
          const total = pb.sampleSum(x);
          const out = epilogue
            ? pb.binary("add", pb.state(r, c), pb.binary("div", total, pb.constant(S)))
            : total;
          expectSameBits(pb.program([out]), pb, s, u);
        },
      ),
      { seed: 104, numRuns: 300 },
    );
  });

  it("sum over entries, shared and per sample (seed 105)", () => {
    fc.assert(
      fc.property(
        dim,
        dim,
        fc.boolean(),
        fc.boolean(),
        samples,
        seed,
        unroll,
        (r, c, ps, transposed, S, s, u) => {
          const pb = new ProgramBuilder(S);
          const x = leaf(pb, r, c, ps);
          const t = pb.sum(pb.unary("pow", transposed ? pb.transpose(x) : x, 2));
          expectSameBits(pb.program([t, pb.binary("mul", t, pb.constant(3))]), pb, s, u);
        },
      ),
      { seed: 105, numRuns: 200 },
    );
  });

  it("transpose and diag (seed 106)", () => {
    fc.assert(
      fc.property(dim, dim, fc.boolean(), fc.boolean(), samples, seed, (r, c, ps, row, S, s) => {
        const pb = new ProgramBuilder(S);
        const x = leaf(pb, r, c, ps);
        const n = Math.max(2, r);
        const v = leaf(pb, row ? 1 : n, row ? n : 1, ps);
        const d = pb.diag(v);
        expectSameBits(pb.program([pb.transpose(x), d, pb.binary("add", d, pb.constant(1))]), pb, s);
      }),
      { seed: 106, numRuns: 200 },
    );
  });

  it("derivatives formed from the primal's value: tanh', sigmoid', exp' next to tanh, sigmoid, exp", () => {
    for (const [primal, derivative] of [
      ["tanh", "tanh'"],
      ["sigmoid", "sigmoid'"],
      ["exp", "exp'"],
    ] as const) {
      const pb = new ProgramBuilder(5);
      const a = pb.matmul(pb.state(3, 4), pb.data(4, 1));
      const out = pb.binary("mul", pb.unary(primal, a), pb.unary(derivative, a));
      const program = pb.program([out]);
      expect(programModule(program).plan.kernels.filter((k) => k.kind === "host").length).toBe(1);
      expectSameBits(program, pb, 7);
    }
  });

  it("a program with no sample set", () => {
    const pb = new ProgramBuilder(0);
    const w = pb.state(3, 3);
    const out = pb.binary("add", w, pb.binary("mul", pb.param(), pb.matmul(w, pb.transpose(w))));
    expectSameBits(pb.program([out, pb.sum(out)]), pb, 3);
  });
});

const UNARY_STEP = UNARY;
type Step = {
  kind: number;
  a: number;
  b: number;
  fn: number;
  exponent: number;
  rows: number;
  cols: number;
  perSample: boolean;
};

/** A random program from a recipe: each step applies an operation to nodes picked from those so far. */
function randomProgram(
  count: number,
  steps: readonly Step[],
  outputs: readonly number[],
): { program: IrProgram; pb: ProgramBuilder } {
  const pb = new ProgramBuilder(count);
  const pool = [pb.state(3, 2), pb.fixed(1, 3), pb.data(2, 1), pb.data(1, 1), pb.param(), pb.constant(0.5)];
  const compatible = (x: number, y: number) => {
    const a = pb.type(x);
    const b = pb.type(y);
    return (
      (a.rows === b.rows || a.rows === 1 || b.rows === 1) &&
      (a.cols === b.cols || a.cols === 1 || b.cols === 1)
    );
  };
  for (const st of steps) {
    const a = pool[st.a % pool.length]!;
    const ta = pb.type(a);
    let n: number | null = null;
    switch (st.kind % 7) {
      case 0: {
        const fn = UNARY_STEP[st.fn % UNARY_STEP.length]!;
        n = pb.unary(fn, a, fn === "pow" ? st.exponent : undefined);
        break;
      }
      case 1: {
        const candidates = pool.filter((y) => compatible(a, y));
        const b =
          st.b % (candidates.length + 1) < candidates.length
            ? candidates[st.b % (candidates.length + 1)]!
            : leaf(pb, st.rows === 1 ? 1 : ta.rows, ta.cols, st.perSample);
        n = pb.binary(BINARY[st.fn % BINARY.length]!, a, b);
        break;
      }
      case 2: {
        const candidates = pool.filter((y) => pb.type(y).rows === ta.cols);
        const b =
          candidates.length > 0 && st.b % 2 === 0
            ? candidates[st.b % candidates.length]!
            : leaf(pb, ta.cols, st.cols, st.perSample);
        n = pb.matmul(a, b);
        break;
      }
      case 3:
        n = pb.transpose(a);
        break;
      case 4:
        if (ta.perSample) n = pb.sampleSum(a);
        break;
      case 5:
        n = pb.sum(a);
        break;
      case 6:
        if ((ta.rows === 1) !== (ta.cols === 1)) n = pb.diag(a);
        break;
    }
    if (n !== null) pool.push(n);
  }
  const outs = [pool[pool.length - 1]!, ...outputs.map((o) => pool[o % pool.length]!)];
  return { program: pb.program(outs), pb };
}

describe("generated kernels, random programs, equal the interpreter bit for bit", () => {
  const step = fc.record({
    kind: fc.nat(),
    a: fc.nat(),
    b: fc.nat(),
    fn: fc.nat(),
    exponent: fc.integer({ min: -2, max: 3 }),
    rows: fc.constantFrom(1, 2, 3),
    cols: fc.constantFrom(1, 2, 3, 5),
    perSample: fc.boolean(),
  });
  it("programs of up to 14 operations (seed 107)", () => {
    fc.assert(
      fc.property(
        samples,
        fc.array(step, { minLength: 1, maxLength: 14 }),
        fc.array(fc.nat(), { maxLength: 2 }),
        seed,
        unroll,
        (S, steps, outputs, s, u) => {
          const { program, pb } = randomProgram(S, steps, outputs);
          expectSameBits(program, pb, s, u);
        },
      ),
      { seed: 107, numRuns: 400 },
    );
  });
});
