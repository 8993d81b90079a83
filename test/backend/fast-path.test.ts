/**
 * The built-in two-layer rule files, compiled, against the hand-written student-teacher
 * simulator (the draws of seed 001 section 5 transcribed in reference-student-teacher-draw.ts,
 * and the fused CPU kernel): the same draws from the same seeds, and the same weights and errors
 * bit for bit after minibatch epochs, for gradient descent, curl descent and feedback alignment
 * with linear, tanh and ReLU activations. The fused kernel is therefore a checked fast path of
 * these rules (src/backend/fast-path.ts), and StudentTeacherSpec (src/sim/student-teacher.ts),
 * which draws through the rule files, keeps the hand-written draws.
 */
import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { cpuWasmBackend } from "../../src/backend/cpu-wasm.ts";
import { matchStudentTeacher, startNetwork, usesFusedKernel } from "../../src/backend/fast-path.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { drawMember, packBatch, paperSpec, type TwoLayerRule } from "../../src/sim/student-teacher.ts";
import { TEST_RULES } from "./network-conformance.ts";
import { referenceDrawMember } from "./reference-student-teacher-draw.ts";

const bits = (a: Float64Array) => Array.from(a, (x) => (Object.is(x, -0) ? "-0" : x));

describe("curl-descent, gradient-descent and feedback-alignment rule files", () => {
  const cases = (["gradient-descent", "curl-descent", "feedback-alignment"] as TwoLayerRule[]).flatMap(
    (rule) => (["linear", "tanh", "relu"] as const).map((activation) => [rule, activation] as const),
  );
  it.each(cases)("%s with %s reproduces the hand-written simulator bit for bit", async (rule, activation) => {
    const [M, N, P, Q, S] = [7, 5, 20, 8, 4];
    const alphas = rule === "gradient-descent" ? { alphaH: 0, alphaR: 0 } : { alphaH: 0.3, alphaR: 0.2 };
    const spec = paperSpec(M, N, {
      rule,
      activation,
      ...alphas,
      trainCount: P,
      testCount: Q,
      batchSize: S,
      seed: 11,
    });
    const model = compileModel(builtinNetworkRule(rule), {
      sizes: { M, N, P, Q, S },
      choices: { phi: activation },
    });
    const params = rule === "gradient-descent" ? {} : alphas;
    const [run] = drawRuns(model, [{ seed: 11, params }]);
    const member = referenceDrawMember(spec);
    expect(bits(run!.states[0]!)).toEqual(bits(member.w1));
    expect(bits(run!.states[1]!)).toEqual(bits(member.w2));
    expect(bits(run!.train[0]!)).toEqual(bits(member.trainInputs));
    expect(bits(run!.train[1]!)).toEqual(bits(member.trainTargets));
    expect(bits(run!.test[1]!)).toEqual(bits(member.testTargets));
    expect(run!.shuffleSeed).toBe(member.shuffleSeed);

    const backend = cpuBackend();
    const hand = backend.studentTeacher(packBatch(spec, [member]));
    const compiled = backend.network({ rule: model.compiled, runs: [run!] });
    for (const epochs of [1, 6]) {
      hand.advance(epochs);
      compiled.advance(epochs);
      const w = await hand.readWeights();
      const [w1, w2] = await compiled.readStates();
      expect(bits(w1!)).toEqual(bits(w.w1));
      expect(bits(w2!)).toEqual(bits(w.w2));
      const eh = await hand.errors();
      const ec = await compiled.errors();
      expect([ec.train[0], ec.test[0]]).toEqual([eh.train[0], eh.test[0]]);
    }
  });

  it.each([
    "gradient-descent",
    "curl-descent",
    "feedback-alignment",
  ] as TwoLayerRule[])("%s: drawMember (through the rule file) gives every ingredient of the hand-written draw", (rule) => {
    const alphas = rule === "gradient-descent" ? {} : { alphaH: 0.5, alphaR: 0.25 };
    for (const weightDistribution of ["normal", "uniform"] as const) {
      const spec = paperSpec(5, 3, {
        rule,
        ...alphas,
        weightDistribution,
        initScale: 0.7,
        teacherScale: 1.5,
        activation: "relu",
        trainCount: 12,
        testCount: 4,
        batchSize: 4,
        seed: 8,
      });
      const a = drawMember(spec);
      const b = referenceDrawMember(spec);
      // Fixed feedback only exists in feedback alignment (the others have zeros, unused).
      const keys = [
        "teacherW1",
        "teacherW2",
        "trainInputs",
        "trainTargets",
        "testInputs",
        "testTargets",
        "w1",
        "w2",
        "d1",
        "d2",
      ] as const;
      for (const k of keys) expect(bits(a[k]), `${rule} ${weightDistribution} ${k}`).toEqual(bits(b[k]));
      if (rule === "feedback-alignment") expect(bits(a.feedbackWeights)).toEqual(bits(b.feedbackWeights));
      expect(a.shuffleSeed).toBe(b.shuffleSeed);
    }
  });

  it("without renormalization too, the fused kernel runs the rule and equals the compiled path", async () => {
    const file = builtinNetworkRule("feedback-alignment");
    const model = compileModel(
      { ...file, renormalize: [] },
      { sizes: { M: 5, N: 3, P: 8, Q: 4, S: 2 }, choices: { phi: "tanh" } },
    );
    const runs = drawRuns(model, [{ seed: 3 }, { seed: 4, params: { alphaH: 0.4, initScale: 3 } }]);
    const backend = cpuBackend();
    const fast = startNetwork(backend, { rule: model.compiled, runs });
    const slow = startNetwork(backend, { rule: model.compiled, runs }, { fastPath: false });
    expect(fast.engine).toBe("fused student-teacher kernel");
    for (const epochs of [1, 5]) {
      fast.batch.advance(epochs);
      slow.batch.advance(epochs);
      expect((await fast.batch.readStates()).map(bits)).toEqual((await slow.batch.readStates()).map(bits));
      expect(await fast.batch.failures()).toEqual(await slow.batch.failures());
    }
  });

  it("start on the fused kernel, which equals the compiled path bit for bit", async () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 6, N: 4, P: 12, Q: 5, S: 3 },
      choices: { phi: "tanh" },
    });
    const runs = drawRuns(model, [
      { seed: 1, params: { alphaH: 0.5 } },
      { seed: 2, params: { alphaR: 0.25 } },
    ]);
    const backend = cpuBackend();
    const fast = startNetwork(backend, { rule: model.compiled, runs });
    const slow = startNetwork(backend, { rule: model.compiled, runs }, { fastPath: false });
    expect(fast.engine).toBe("fused student-teacher kernel");
    expect(slow.engine).toBe("compiled");
    fast.batch.advance(4);
    slow.batch.advance(4);
    const a = await fast.batch.readStates();
    const b = await slow.batch.readStates();
    expect(a.map(bits)).toEqual(b.map(bits));
  });

  it("run on the fused kernel by default only where it is the faster engine", () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 5, N: 3, P: 6, Q: 2, S: 3 },
    });
    const runs = drawRuns(model, [{ seed: 1 }]);
    const wasm = cpuWasmBackend();
    expect(usesFusedKernel(wasm, undefined)).toBe(false);
    expect(startNetwork(wasm, { rule: model.compiled, runs }).engine).toBe("compiled");
    expect(startNetwork(wasm, { rule: model.compiled, runs }, { fastPath: true }).engine).toBe(
      "fused student-teacher kernel",
    );
    expect(usesFusedKernel(cpuBackend(), undefined)).toBe(true);
    expect(usesFusedKernel(cpuBackend(), false)).toBe(false);
  });

  it("take the compiled path for other rules and for runs with different learning rates", () => {
    const mask = compileModel(parseNetworkRule(TEST_RULES["sign-mask"]!, "test"));
    expect(matchStudentTeacher(mask.compiled)).toBeNull();
    expect(matchStudentTeacher(compileModel(builtinNetworkRule("urfb")).compiled)).toBeNull();
    const model = compileModel(builtinNetworkRule("gradient-descent"), {
      sizes: { M: 3, N: 2, P: 4, Q: 2, S: 2 },
    });
    expect(matchStudentTeacher(model.compiled)?.rule).toBe("gradient-descent");
    const runs = drawRuns(model, [{ seed: 1 }, { seed: 2, params: { lr: 0.2 } }]);
    expect(startNetwork(cpuBackend(), { rule: model.compiled, runs }).engine).toBe("compiled");
  });
});
