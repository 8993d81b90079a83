import { describe, expect, it } from "vitest";
import type { StudentTeacherInit } from "../../src/backend/backend.ts";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { backendConformance, randomStudentTeacherInit } from "./conformance.ts";

// float64 against the naive reference: the two sum the same terms (at most 40 per sum) in
// different orders, about 40 * 2^-53 ~ 5e-15 relative per sum, compounded over at most 90 steps
// of a contracting update with O(1) Lipschitz constant; 1e-11 keeps two orders of margin.
backendConformance("cpu", () => cpuBackend(), { relative: 1e-11 });

/** Member b of a batch description as a batch of one. */
function single(init: StudentTeacherInit, b: number): StudentTeacherInit {
  const { inputs: M, hidden: N, trainCount: P, testCount: Q } = init;
  const pick = (a: Float64Array, n: number) => a.slice(b * n, (b + 1) * n);
  return {
    ...init,
    size: 1,
    trainInputs: pick(init.trainInputs, P * M),
    trainTargets: pick(init.trainTargets, P),
    testInputs: pick(init.testInputs, Q * M),
    testTargets: pick(init.testTargets, Q),
    w1: pick(init.w1, N * M),
    w2: pick(init.w2, N),
    d1: pick(init.d1, M),
    d2: pick(init.d2, N),
    feedbackWeights: pick(init.feedbackWeights!, N),
    shuffleSeeds: init.shuffleSeeds.slice(b, b + 1),
  };
}

describe("cpu backend", () => {
  it("gives a batch of B simulations bit for bit equal to B single runs", async () => {
    const be = cpuBackend();
    for (const activation of ["linear", "tanh", "relu"] as const) {
      const init = randomStudentTeacherInit(21, { size: 4, activation, feedback: "fixed" });
      const batch = be.studentTeacher(init);
      batch.advance(5);
      const w = await batch.readWeights();
      const e = await batch.errors();
      for (let b = 0; b < 4; b++) {
        const one = be.studentTeacher(single(init, b));
        one.advance(5);
        const w1 = await one.readWeights();
        const e1 = await one.errors();
        expect(Array.from(w1.w1)).toEqual(Array.from(w.w1.subarray(b * 35, (b + 1) * 35)));
        expect(Array.from(w1.w2)).toEqual(Array.from(w.w2.subarray(b * 5, (b + 1) * 5)));
        expect(e1.train[0]).toBe(e.train[b]);
        expect(e1.test[0]).toBe(e.test[b]);
      }
    }
  });
});

describe("backend registry", () => {
  it("gives the cpu backend by name and refuses unknown names with the known ones", async () => {
    const { backendByName } = await import("../../src/backend/registry.ts");
    expect((await backendByName("cpu")).name).toBe("cpu");
    await expect(backendByName("tpu")).rejects.toThrow(/one of cpu, cpu-wasm, cpu-native, cpu-threads/);
  });
});
