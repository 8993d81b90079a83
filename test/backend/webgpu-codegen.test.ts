/**
 * The WGSL generator of compiled rules, without a device: which nodes a kernel stores and in
 * which phase (fusion), where it stores them (memory), the float32 literals and elementwise
 * functions it writes, and the shape of the generated modules. The generated code itself runs
 * against the CPU interpreter in webgpu-network.test.ts.
 */
import { describe, expect, it } from "vitest";
import { errorKernel } from "../../src/backend/webgpu/codegen/error-kernel.ts";
import { planFusion } from "../../src/backend/webgpu/codegen/fusion-plan.ts";
import { memberLayout } from "../../src/backend/webgpu/codegen/member-layout.ts";
import { planMemory } from "../../src/backend/webgpu/codegen/memory-plan.ts";
import { programWork } from "../../src/backend/webgpu/codegen/program-work.ts";
import { stepKernel } from "../../src/backend/webgpu/codegen/step-kernel.ts";
import { f32Literal, unaryDefinition } from "../../src/backend/webgpu/codegen/wgsl-scalar.ts";
import { compileModel } from "../../src/ir/model.ts";
import type { IrProgram } from "../../src/ir/program.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";

const curl = compileModel(builtinNetworkRule("curl-descent"), {
  sizes: { S: 10 },
  choices: { phi: "tanh" },
}).compiled;

describe("planFusion", () => {
  it("stores the gathered minibatch, multiply-read values and the new states; fuses the rest into their consumers", () => {
    // curl-descent, tanh (src/ir/format.ts listing): %4 x, %8 y (gathered); %5 a = W1 x; %6 h =
    // tanh(a), read by W2 h and by e h'; %9 e = W2 h - y (read twice); %12 = (W2' e) .* tanh'(a),
    // read by an outer product (broadcast over the inputs); %31 new W2 and %22 new W1 (the
    // sampleSum of the outer product, divided, negated, signed, scaled and added, in one loop).
    const plan = planFusion(curl.step, { gatherData: true, outputsAreStates: true });
    expect(plan.phases).toEqual([[4, 8], [5], [6], [9], [12, 31], [22]]);
    expect(curl.step.nodes[15]).toMatchObject({ op: "sampleSum" });
    expect(plan.materialized[15]).toBe(false); // the sampleSum runs inside %22's loop
    // W1 is overwritten in place: nothing after its phase reads it, and %22 reads it only at
    // the entry it writes. W2 is read (transposed) by %12 in the same phase as %31: stored.
    expect(plan.inPlace).toEqual([true, false]);
  });

  it("never writes a state in place that a transpose or a later phase reads", () => {
    const deep = compileModel(builtinNetworkRule("urfb-deep-linear")).compiled;
    const plan = planFusion(deep.step, { gatherData: false, outputsAreStates: true });
    // W1's new value reads W1 at its own entry, but W1 is read transposed (W2 W1)' by a later
    // phase's product; R2, R3, W2, W3 are read only before their own phase.
    expect(plan.inPlace).toEqual([false, true, true, true, true]);
  });
});

describe("planMemory", () => {
  it("places regions first fit, sharing words only between disjoint lifetimes, workgroup memory first", () => {
    const plan = planMemory(
      [
        { words: 4, first: 0, last: 1 },
        { words: 3, first: 1, last: 2 },
        { words: 4, first: 2, last: 3 }, // the first region is dead by phase 2: its words are reused
        { words: 9, first: 0, last: 3 }, // does not fit the 12 words left: storage
        { words: 2, first: 3, last: 3 }, // the second region is dead by phase 3: its words are reused
      ],
      12,
    );
    expect(plan.placements).toEqual([
      { arena: "workgroup", offset: 0 },
      { arena: "workgroup", offset: 4 },
      { arena: "workgroup", offset: 0 },
      { arena: "storage", offset: 0 },
      { arena: "workgroup", offset: 4 },
    ]);
    expect([plan.workgroupWords, plan.storageWords]).toEqual([7, 9]);
  });
});

describe("programWork", () => {
  it("counts every entry once, a k-term reduction as k", () => {
    const program: IrProgram = {
      nodes: [
        { op: "state", index: 0, type: { rows: 2, cols: 3, perSample: false } },
        { op: "data", index: 0, type: { rows: 3, cols: 1, perSample: true } },
        { op: "matmul", a: 0, b: 1, type: { rows: 2, cols: 1, perSample: true } }, // 4 samples x 2 x 3
        { op: "unary", fn: "tanh", a: 2, type: { rows: 2, cols: 1, perSample: true } }, // 4 x 2
        { op: "sampleSum", a: 3, type: { rows: 2, cols: 1, perSample: false } }, // 2 x 4
        { op: "sum", a: 4, type: { rows: 1, cols: 1, perSample: false } }, // 2
      ],
      outputs: [5],
      samples: "minibatch",
      sampleCount: 4,
    };
    expect(programWork(program)).toBe(24 + 8 + 8 + 2);
  });
});

describe("WGSL scalars", () => {
  it("writes constants as the literals of their float32 rounding, infinities by their bits", () => {
    expect(f32Literal(250)).toBe("250.0");
    expect(f32Literal(0.1)).toBe("0.1");
    expect(f32Literal(-2)).toBe("(-2.0)");
    expect(f32Literal(1 / 3)).toBe("0.33333334");
    expect(f32Literal(1e-7)).toBe("1e-7");
    expect(f32Literal(1e200)).toBe("bitcast<f32>(0x7f800000u)");
    expect(Math.fround(Number(f32Literal(Math.PI)))).toBe(Math.fround(Math.PI));
  });

  it("writes integer powers as the IR's left-to-right products", () => {
    expect(unaryDefinition("pow", 3)).toContain("return x * x * x;");
    expect(unaryDefinition("pow", -2)).toContain("return 1.0 / (x * x);");
    expect(unaryDefinition("pow", 0)).toContain("return 1.0;");
    expect(unaryDefinition("tanh'")).toContain("1.0 - t * t");
  });
});

describe("generated kernels", () => {
  it("lay out each member's states, constants and data end to end", () => {
    const layout = memberLayout(curl);
    // W1 110 x 110, W2 1 x 110; fixed W1t, W2t, s1, s2 and three hoisted; 5 parameters; 2 norms.
    expect(layout.states).toEqual({ offsets: [0, 12100], stride: 12210 });
    expect([layout.paramsOffset, layout.normsOffset, layout.constsStride]).toEqual([12651, 12656, 12658]);
    expect(layout.train).toEqual({ offsets: [0, 27500], stride: 27750 });
  });

  it("read like the IR listing, keep the minibatch on chip when it fits, and bind only what they use", () => {
    const k = stepKernel(curl, { workgroupSize: 64, workgroupBytes: 32768 });
    expect(k.code).toContain("// %15 = sampleSum %14  : [110,110]");
    expect(k.code).toContain("fn n15(s: u32, i: u32, j: u32) -> f32 {");
    expect(k.code).toContain("train[train_base + 0u + perm[pbase + s] * 110u + i]");
    // Constant trip counts plus a run-time 0, so that the shader compiler unrolls no loop.
    expect(k.code).toContain("for (var r = 0u; r < 10u + no_unroll; r++) { acc += n14(r, i, j); }");
    expect(k.code).toContain("for (var step = 0u; step < 25u + dispatch.no_unroll; step++) {");
    expect(k.bindings).toEqual(["dispatch", "states", "consts", "train", "status", "perm"]);
    expect(k.scratchWords).toBe(0);
    // With 1 KiB of workgroup memory the minibatch intermediates move to the scratch buffer.
    const tight = stepKernel(curl, { workgroupSize: 64, workgroupBytes: 1024 });
    expect(tight.scratchWords).toBeGreaterThan(0);
    expect(tight.bindings).toContain("scratch");
    expect(tight.workgroupBytes).toBeLessThanOrEqual(1024);
  });

  it("evaluate the error over both sets, and none for a rule that declares none", () => {
    const k = errorKernel(curl, { workgroupSize: 64, workgroupBytes: 32768 })!;
    expect(k.code).toMatch(/errors\[member \* 2u \+ 0u\] = /);
    expect(k.code).toMatch(/errors\[member \* 2u \+ 1u\] = /);
    // The error reads no fixed tensor or parameter, so consts is not bound.
    expect(k.bindings).toEqual(["dispatch", "states", "train", "test", "scratch", "errors"]);
    const hebbian = compileModel(builtinNetworkRule("hebbian-ei")).compiled;
    expect(errorKernel(hebbian, { workgroupSize: 64, workgroupBytes: 32768 })).toBeNull();
  });
});

describe("kernel traffic", () => {
  it("counts each pass over an array once per phase, and every load as issued", () => {
    const k = stepKernel(curl, { workgroupSize: 64, workgroupBytes: 32768 });
    // Device memory per step, passes: W1 (110 x 110) is read by the forward product and by its
    // update, written in place, read for its norm, read and written by the rescaling: 6 passes;
    // the rest is W2, the fixed tensors, the minibatch rows and the shuffle share, under 1,800.
    const W1 = 110 * 110;
    expect(k.traffic.passes.deviceWords).toBeGreaterThanOrEqual(6 * W1);
    expect(k.traffic.passes.deviceWords).toBeLessThan(6 * W1 + 1800);
    // Issued: the forward product reads W1 once per sample of the minibatch (10 times).
    expect(k.traffic.issued.deviceWords).toBeGreaterThanOrEqual((10 + 5) * W1);
    expect(k.traffic.issued.workgroupWords).toBeGreaterThan(k.traffic.passes.workgroupWords);
  });
});
