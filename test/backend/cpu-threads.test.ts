import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { cpuThreadsBackend } from "../../src/backend/cpu-threads.ts";
import { cpuWasmBackend } from "../../src/backend/cpu-wasm.ts";
import { backendConformance, randomStudentTeacherInit } from "./conformance.ts";

// The same float64 kernels as the cpu-wasm backend, so its tolerance and argument apply. With the
// TypeScript kernel it equals the cpu backend bit for bit (below), which passes the suite itself.
backendConformance("cpu-threads", () => cpuThreadsBackend(2), { relative: 1e-11 });

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
});
