/**
 * The binary encoder and the text printer: immediates at the edges of their LEB128 and float
 * encodings round-trip through V8's compiler, and the printed text, assembled by an independent
 * toolchain (Binaryen, which AssemblyScript brings as a development dependency), computes the
 * same memory, bit for bit, as the encoded bytes.
 */
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { wasm } from "../../../src/backend/wasm-api.ts";
import { encodeModule } from "../../../src/backend/wasm-codegen/encode-module.ts";
import { ModuleBuilder } from "../../../src/backend/wasm-codegen/module-builder.ts";
import { printWat } from "../../../src/backend/wasm-codegen/print-wat.ts";
import { programModule } from "../../../src/backend/wasm-codegen/program-module.ts";
import { UNARY } from "../../../src/ir/elementwise.ts";
import { Rng } from "../../../src/util/random.ts";
import { ProgramBuilder } from "./program-builder.ts";

describe("encodeModule", () => {
  it("encodes i32 and f64 constants at the edges of their encodings, and large offsets", () => {
    const ints = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8193, 2 ** 31 - 1, -(2 ** 31)];
    const floats = [
      0,
      -0,
      1e-310,
      -Number.MAX_VALUE,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Math.PI,
    ];
    const m = new ModuleBuilder();
    m.memoryPages = 3;
    ints.forEach((x, k) => {
      m.addFunction(`i${k}`, { params: [], results: ["i32"] }, true).op("i32.const", x);
    });
    floats.forEach((x, k) => {
      m.addFunction(`f${k}`, { params: [], results: ["f64"] }, true).op("f64.const", x);
    });
    // Store at an offset beyond two LEB128 bytes and read it back through a v128 lane.
    m.addFunction("roundTrip", { params: ["f64"], results: ["f64"] }, true)
      .op("i32.const", 8)
      .op("local.get", 0)
      .op("f64.store", 131_064)
      .op("i32.const", 0)
      .op("v128.load64_splat", 131_072)
      .op("f64x2.extract_lane", 1);
    const exports = new wasm.Instance(new wasm.Module(encodeModule(m)), {}).exports as Record<
      string,
      (x?: number) => number
    >;
    ints.forEach((x, k) => {
      expect(exports[`i${k}`]!()).toBe(x);
    });
    floats.forEach((x, k) => {
      expect(Object.is(exports[`f${k}`]!(), x)).toBe(true);
    });
    expect(exports.roundTrip!(-2.5)).toBe(-2.5);
  });

  it("reports an invalid offset with the instruction", () => {
    const m = new ModuleBuilder();
    expect(() => m.addFunction("f", { params: [], results: [] }).op("f64.load", -8)).toThrow(
      /offset of f64.load/,
    );
  });
});

describe("printWat", () => {
  it("prints text that an independent assembler turns into a module computing the same bits", () => {
    const pb = new ProgramBuilder(5);
    const a = pb.matmul(pb.state(4, 3), pb.data(3, 1));
    const h = pb.unary("tanh", a);
    const d = pb.binary("mul", pb.unary("tanh'", a), pb.unary("relu", pb.binary("sub", h, pb.param())));
    const total = pb.sampleSum(pb.binary("mul", d, pb.transpose(pb.data(3, 1))));
    const out = pb.binary("add", pb.state(4, 3), pb.binary("div", total, pb.constant(5)));
    const compiled = programModule(pb.program([out, pb.sum(pb.unary("abs'", out))]));

    const parsed = binaryen.parseText(printWat(compiled.module));
    parsed.setFeatures(binaryen.Features.All);
    expect(parsed.validate()).toBe(1);
    const modules = [encodeModule(compiled.module), parsed.emitBinary()];

    const memories = modules.map((bytes) => {
      let memory: Float64Array | undefined;
      const host = Object.fromEntries(
        ["tanh"].map((fn) => [
          fn,
          (src: number, dst: number, n: number) => {
            for (let q = 0; q < n; q++) memory![(dst >>> 3) + q] = UNARY.tanh(memory![(src >>> 3) + q]!);
          },
        ]),
      );
      const instance = new wasm.Instance(new wasm.Module(bytes), { host });
      memory = new Float64Array((instance.exports.memory as { buffer: ArrayBuffer }).buffer);
      const rng = new Rng(9);
      for (let q = 0; q < memory.length; q++) memory[q] = rng.normal();
      (instance.exports.run as () => void)();
      return memory;
    });
    expect(memories[1]!.length).toBe(memories[0]!.length);
    expect(Buffer.compare(Buffer.from(memories[0]!.buffer), Buffer.from(memories[1]!.buffer))).toBe(0);
  });
});
