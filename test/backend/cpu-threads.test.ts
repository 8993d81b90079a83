import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { cpuThreadsBackend } from "../../src/backend/cpu-threads.ts";
import { backendConformance, randomStudentTeacherInit } from "./conformance.ts";

// The same float64 kernels as the cpu backend, so the cpu tolerance and its argument apply.
backendConformance("cpu-threads", () => cpuThreadsBackend(2), { relative: 1e-11 });

describe("cpu-threads backend", () => {
  it("equals the single-threaded cpu backend bit for bit", async () => {
    const init = randomStudentTeacherInit(31, { size: 5, activation: "relu", batchSize: 5 });
    const one = cpuBackend().studentTeacher(init);
    const many = cpuThreadsBackend(2).studentTeacher(init);
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
