import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { cpuThreadsBackend } from "../../src/backend/cpu-threads.ts";
import { cpuWasmBackend } from "../../src/backend/cpu-wasm.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { backendConformance, randomStudentTeacherInit } from "./conformance.ts";
import { networkConformance } from "./network-conformance.ts";

// The same float64 kernels as the cpu-wasm backend, so its tolerance and argument apply. With the
// TypeScript kernel it equals the cpu backend bit for bit (below), which passes the suite itself.
backendConformance("cpu-threads", () => cpuThreadsBackend(2), { relative: 1e-11 });

// Compiled rules: each worker runs its members on the fastest generated kernels here (native
// where a C compiler is, else WebAssembly), which give the interpreter's bits; three-member
// batches split over two workers as 1 + 2.
networkConformance("cpu-threads", () => cpuThreadsBackend(2), { exact: true });

describe("cpu-threads backend", () => {
  it.each([
    ["ts", cpuBackend],
    ["wasm", cpuWasmBackend],
  ] as const)("equals the single-threaded backend with the same kernel (%s) bit for bit", async (kernel, single) => {
    const init = randomStudentTeacherInit(31, { size: 5, activation: "relu", batchSize: 5 });
    const one = single().studentTeacher(init);
    const many = cpuThreadsBackend(2, kernel).studentTeacher(init);
    for (const b of [one, many]) {
      b.advance(3);
      b.advance(4);
    }
    const [w, v] = [await one.readWeights(), await many.readWeights()];
    expect(Array.from(v.w1)).toEqual(Array.from(w.w1));
    expect(Array.from(v.w2)).toEqual(Array.from(w.w2));
    expect(Array.from((await many.errors()).test)).toEqual(Array.from((await one.errors()).test));
    many.dispose();
  });

  it.each([
    ["ts", 1, cpuBackend],
    ["wasm", 1, cpuWasmBackend],
    ["wasm", 2, cpuWasmBackend],
  ] as const)("runs compiled rules as the single-threaded backend with the same kernel (%s, %i workers), bit for bit", async (kernel, threads, single) => {
    const model = compileModel(builtinNetworkRule("curl-descent-3"), {
      sizes: { M: 6, N1: 4, N2: 3, P: 12, Q: 5, S: 4 },
      choices: { phi: "tanh" },
    });
    const runs = drawRuns(
      model,
      [0, 1, 2, 3, 4].map((k) => ({ seed: 20 + k, params: { alpha1: k / 8 } })),
    );
    const one = single().network({ rule: model.compiled, runs });
    const many = cpuThreadsBackend(threads, kernel).network({ rule: model.compiled, runs });
    for (const b of [one, many]) {
      b.advance(2);
      b.advance(3);
    }
    expect((await many.readStates()).map((s) => Array.from(s))).toEqual(
      (await one.readStates()).map((s) => Array.from(s)),
    );
    const [e1, e2] = [await one.errors(), await many.errors()];
    expect([Array.from(e2.train), Array.from(e2.test)]).toEqual([Array.from(e1.train), Array.from(e1.test)]);
    expect(Array.from(await many.failures())).toEqual(Array.from(await one.failures()));
    many.dispose();
  });

  it("runs compiled rules in float32 as cpu-wasm float32 does, bit for bit, and records its dtype", async () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 7, N: 5, P: 12, Q: 5, S: 4 },
      choices: { phi: "tanh" },
    });
    const runs = drawRuns(
      model,
      [0, 1, 2].map((k) => ({ seed: 40 + k, params: { alphaH: k / 4 } })),
    );
    const threaded = cpuThreadsBackend(2, "wasm", "float32");
    expect(threaded.dtype).toBe("float32");
    const one = cpuWasmBackend({ dtype: "float32" }).network({ rule: model.compiled, runs });
    const many = threaded.network({ rule: model.compiled, runs });
    for (const b of [one, many]) b.advance(3);
    expect((await many.readStates()).map((s) => Array.from(s))).toEqual(
      (await one.readStates()).map((s) => Array.from(s)),
    );
    const [e1, e2] = [await one.errors(), await many.errors()];
    expect([Array.from(e2.train), Array.from(e2.test)]).toEqual([Array.from(e1.train), Array.from(e1.test)]);
    // float32 differs from the float64 run (a check that the dtype reached the workers).
    const f64 = cpuThreadsBackend(2).network({ rule: model.compiled, runs });
    f64.advance(3);
    expect(Array.from((await f64.readStates())[0]!)).not.toEqual(Array.from((await many.readStates())[0]!));
    many.dispose();
    f64.dispose();
  });

  it("refuses float32 where it has no float32 kernel, naming the dtype", () => {
    expect(() => cpuThreadsBackend(1, "ts", "float32")).toThrow(/dtype/);
    expect(() => cpuThreadsBackend(1, "wasm", "float32").studentTeacher({} as never)).toThrow(/dtype/);
    expect(() => cpuThreadsBackend(1, "wasm", "float16" as never)).toThrow(/dtype/);
  });
});
