/**
 * One IR program compiled to a WebAssembly module and evaluated like the interpreter's
 * prepareProgram(program).run(inputs) (src/ir/interpret.ts): the same outputs, bit for bit,
 * returned as fresh row-major arrays ([count, rows, cols] for a per-sample output). It is how a
 * single program, outside any rule, runs on the generated kernels, and how the generator is
 * tested operation by operation against the interpreter.
 */
import { UNARY } from "../../ir/elementwise.ts";
import type { ProgramInputs } from "../../ir/interpret.ts";
import type { IrProgram } from "../../ir/program.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { wasm } from "../wasm-api.ts";
import { FLOAT64 } from "./element.ts";
import { emitKernel } from "./emit-kernel.ts";
import { encodeModule } from "./encode-module.ts";
import type { BufferRef, HostUnary, View } from "./kernel.ts";
import { lanesFor, placeBuffers } from "./memory-layout.ts";
import { ModuleBuilder } from "./module-builder.ts";
import { type ProgramPlan, planProgram } from "./plan-program.ts";

export interface ProgramModule {
  readonly module: ModuleBuilder;
  readonly plan: ProgramPlan;
  /** Evaluates the program on `inputs` (arrays as for the interpreter). */
  run(inputs: ProgramInputs): Float64Array[];
}

/** Compiles `program`; leaves are sized from the program's own leaf nodes. */
export function programModule(program: IrProgram, options: { unroll?: number } = {}): ProgramModule {
  const count = program.sampleCount;
  const lanes = lanesFor(count);
  const sizes = {
    state: new Map<number, number>(),
    fixed: new Map<number, number>(),
    data: new Map<number, number>(),
    param: new Map<number, number>(),
  };
  for (const n of program.nodes) {
    if (n.op === "state" || n.op === "fixed" || n.op === "data" || n.op === "param") {
      sizes[n.op].set(n.index, n.type.rows * n.type.cols);
    }
  }
  const refs = (kind: "state" | "fixed" | "data", perEntry: number) =>
    Array.from({ length: Math.max(-1, ...sizes[kind].keys()) + 1 }, (_, k) => ({
      name: `${kind} ${k}`,
      entries: (sizes[kind].get(k) ?? 0) * perEntry,
    }));
  const leaves = {
    states: refs("state", 1),
    fixed: refs("fixed", 1),
    data: refs("data", lanes),
    params: { name: "params", entries: Math.max(1, ...[...sizes.param.keys()].map((k) => k + 1)) },
  };
  const plan = planProgram(program, leaves, { stateOutputs: false, prefix: "" });
  const { address, pages } = placeBuffers(
    [...leaves.states, ...leaves.fixed, ...leaves.data, leaves.params],
    [plan.scratch],
  );
  const m = new ModuleBuilder();
  m.memoryPages = pages;
  const host = [...new Set(plan.kernels.flatMap((k) => (k.kind === "host" ? [k.fn] : [])))];
  const hostIndex = new Map(
    host.map((fn) => [fn, m.importFunction("host", fn, { params: ["i32", "i32", "i32"], results: [] })]),
  );
  const at = (b: BufferRef) => address.get(b)!;
  const kernels = plan.kernels.map((k, i) =>
    emitKernel(
      {
        module: m,
        address: at,
        host: (fn: HostUnary) => hostIndex.get(fn)!,
        unroll: options.unroll ?? 5,
        element: FLOAT64,
      },
      k,
      `k${i}`,
    ),
  );
  const run = m.addFunction("run", { params: [], results: [] }, true);
  for (const k of kernels) run.op("call", k.index);

  const compiled = new wasm.Module(encodeModule(m));
  let memory: Float64Array | undefined;
  const imports = Object.fromEntries(
    host.map((fn) => [
      fn,
      (src: number, dst: number, n: number) => {
        const f = UNARY[fn];
        for (let q = 0; q < n; q++) memory![(dst >>> 3) + q] = f(memory![(src >>> 3) + q]!);
      },
    ]),
  );
  const instance = new wasm.Instance(compiled, { host: imports });
  memory = new Float64Array((instance.exports.memory as { buffer: ArrayBuffer }).buffer);
  const f64 = memory;
  const put = (b: BufferRef, values: ArrayLike<number>, what: string) => {
    if (b.entries === 0) return;
    if (values === undefined || values.length < b.entries) {
      throw new InvalidArgumentError(
        "programModule.run",
        what,
        `an array of at least ${b.entries} entries`,
        values?.length,
      );
    }
    f64.set(Array.prototype.slice.call(values, 0, b.entries) as number[], at(b) / 8);
  };
  const read = (v: View, perSample: boolean): Float64Array => {
    const samples = perSample ? count : 1;
    const out = new Float64Array(samples * v.rows * v.cols);
    let q = 0;
    for (let s = 0; s < samples; s++) {
      for (let r = 0; r < v.rows; r++) {
        for (let c = 0; c < v.cols; c++) {
          out[q++] =
            v.buffer === null
              ? v.constant!
              : f64[at(v.buffer) / 8 + v.offset + r * v.rowStride + c * v.colStride + s * v.sampleStride]!;
        }
      }
    }
    return out;
  };
  return {
    module: m,
    plan,
    run(inputs) {
      leaves.states.forEach((b, k) => {
        put(b, inputs.states[k]!, `states[${k}]`);
      });
      leaves.fixed.forEach((b, k) => {
        put(b, inputs.fixed[k]!, `fixed[${k}]`);
      });
      put(
        leaves.params,
        Array.from({ length: leaves.params.entries }, (_, k) => inputs.params[k] ?? 0),
        "params",
      );
      leaves.data.forEach((b, k) => {
        const entries = b.entries / lanes;
        if (entries === 0) return;
        const d = inputs.data[k];
        if (d === undefined || d.length < count * entries) {
          throw new InvalidArgumentError(
            "programModule.run",
            `data[${k}]`,
            `an array of at least ${count * entries} entries`,
            d?.length,
          );
        }
        const base = at(b) / 8;
        for (let s = 0; s < count; s++)
          for (let e = 0; e < entries; e++) f64[base + e * lanes + s] = d[s * entries + e]!;
      });
      (instance.exports.run as () => void)();
      return program.outputs.map((o, k) => read(plan.outputs[k]!.view, program.nodes[o]!.type.perSample));
    },
  };
}
