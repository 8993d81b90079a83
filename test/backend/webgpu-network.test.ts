/**
 * Compiled rules on the WebGPU backend (WGSL generated from the IR) against the CPU
 * interpreter, through the shared network conformance suite, and what is particular to the
 * device: batches split to fit its limits, intermediates that do not fit workgroup memory,
 * dispatch boundaries, refusals that name the limit, and a lost device. Without an adapter the
 * tests are skipped with the install command, unless LEARNDYN_REQUIRE_GPU=1 (CI), where that is
 * a failure.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { NetworkBatch } from "../../src/backend/backend.ts";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { CpuNetworkBatch } from "../../src/backend/cpu-network.ts";
import { ResilientRunner } from "../../src/backend/fallback.ts";
import { memberLayout } from "../../src/backend/webgpu/codegen/member-layout.ts";
import { DeviceLostError } from "../../src/backend/webgpu/errors.ts";
import type { WebGpuNetworkBatch } from "../../src/backend/webgpu/network-batch.ts";
import { WebGpuBackend, webgpuBackend } from "../../src/backend/webgpu/webgpu-backend.ts";
import { evaluateScalar, resolveParams } from "../../src/ir/bind.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { BoundExceededError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/random.ts";
import { float32TolerancePremises, networkRelative, reason, u } from "./float32-tolerance.ts";
import {
  conformanceCases,
  networkConformance,
  runRequests,
  smallSizes,
  TEST_RULES,
} from "./network-conformance.ts";
import { roundingChain, stepRoundingChain } from "./rounding-chain.ts";

// float32 against the float64 interpreter: the tolerance and its premises (float32-tolerance.ts).
float32TolerancePremises();

const required = process.env.LEARNDYN_REQUIRE_GPU === "1";
const probe = await webgpuBackend().then(
  (be) => ({ be, error: undefined }),
  (error: Error) => ({ be: undefined, error }),
);

if (probe.be === undefined) {
  if (required) {
    describe("webgpu compiled rules", () => {
      it("has a WebGPU adapter (LEARNDYN_REQUIRE_GPU=1)", () => {
        throw probe.error;
      });
    });
  } else {
    console.warn(`webgpu compiled-rule tests skipped: ${probe.error?.message}`);
    describe.skip(`webgpu compiled rules (skipped: ${probe.error?.message})`, () => {
      it("needs a WebGPU adapter", () => {});
    });
  }
} else {
  const be = probe.be;
  afterAll(() => be.destroy());

  networkConformance("webgpu", () => be, { relative: networkRelative, reason });

  /** Curl descent with a sign mask at its default sizes (M 6, N 4, P 12, S 4), three runs. */
  const signMask = () => {
    const model = compileModel(parseNetworkRule(TEST_RULES["sign-mask"]!, "test:sign-mask"), {
      choices: { phi: "tanh" },
    });
    return { model, runs: drawRuns(model, runRequests(model.spec, 5, 70)) };
  };
  const states = (b: NetworkBatch) => b.readStates().then((s) => s.map((a) => Array.from(a)));

  describe("webgpu compiled rules", () => {
    it("splits a batch that exceeds the buffer or dispatch limits, with identical results", async () => {
      const { model, runs } = signMask();
      const layout = memberLayout(model.compiled);
      const largest =
        4 * Math.max(layout.states.stride, layout.constsStride, layout.train.stride, layout.test.stride);
      const split = new WebGpuBackend(be.ctx, {
        limits: { maxStorageBufferBindingSize: 2 * largest, maxComputeWorkgroupsPerDimension: 3 },
      });
      const whole = be.network({ rule: model.compiled, runs }) as WebGpuNetworkBatch;
      const parts = split.network({ rule: model.compiled, runs }) as WebGpuNetworkBatch;
      expect(whole.chunkSizes).toEqual([5]);
      expect(parts.chunkSizes).toEqual([2, 2, 1]);
      whole.advance(4);
      parts.advance(4);
      // Members never interact and run the same kernel, so the split changes no bit.
      expect(await states(parts)).toEqual(await states(whole));
      expect(Array.from((await parts.errors()).test)).toEqual(Array.from((await whole.errors()).test));
      whole.dispose();
      parts.dispose();
    });

    it("gives the same bits however the epochs are split into dispatches", async () => {
      const { model, runs } = signMask();
      const perStep = new WebGpuBackend(be.ctx, { maxStepsPerDispatch: 1 });
      const [a, b] = [
        be.network({ rule: model.compiled, runs }),
        perStep.network({ rule: model.compiled, runs }),
      ];
      a.advance(6);
      for (let k = 0; k < 3; k++) b.advance(2);
      expect(await states(b)).toEqual(await states(a));
      a.dispose();
      b.dispose();
    });

    it("keeps intermediates in a device buffer when they exceed workgroup memory", async () => {
      // Full batch of curl-descent-3 at M = 8, N1 = N2 = 6, P = 40. A 64-byte workgroup limit
      // leaves 16 bytes after the failure flag, the norms and the scale factors (48 bytes): 4
      // floats, less than any stored value (W3 has 6 entries, a per-sample value 40).
      const model = compileModel(builtinNetworkRule("curl-descent-3"), {
        sizes: { M: 8, N1: 6, N2: 6, P: 40, Q: 10 },
        choices: { phi: "tanh" },
      });
      const rule = model.compiled;
      const runs = drawRuns(model, [{ seed: 1, params: { alpha1: 0.25 } }, { seed: 2 }]);
      const small = new WebGpuBackend(be.ctx, { limits: { maxComputeWorkgroupStorageSize: 64 } });
      const batch = small.network({ rule, runs }) as WebGpuNetworkBatch;
      expect(batch.kernels.step.workgroupWords).toBe(0);
      expect(batch.kernels.step.scratchWords).toBeGreaterThan(0);
      const reference = new CpuNetworkBatch({ rule, runs });
      batch.advance(4);
      reference.advance(4);
      // 4 full-batch steps of h = lr = 0.1 (a carried error grows by at most 1.1^4 < 2), by the
      // argument of networkRelative with this rule's own rounding chains (rounding-chain.ts).
      const tol = 2 * (4 * stepRoundingChain(rule) + roundingChain(rule.error!.train)) * u;
      const [got, want] = [await batch.readStates(), await reference.readStates()];
      want.forEach((w, k) => {
        const worst = Math.max(...w.map((x, q) => Math.abs(x - got[k]![q]!)));
        expect(worst, `state ${k}`).toBeLessThanOrEqual(tol * Math.max(1, ...w.map(Math.abs)));
      });
      const [eg, er] = [await batch.errors(), await reference.errors()];
      eg.test.forEach((x, b) => {
        expect(Math.abs(x - er.test[b]!), `test error ${b}`).toBeLessThanOrEqual(
          tol * Math.max(1, Math.abs(er.test[b]!)),
        );
      });
      batch.dispose();
    });

    it("refuses a member too large for one buffer, naming the limit and the buffer", () => {
      const { model, runs } = signMask();
      const tiny = new WebGpuBackend(be.ctx, { limits: { maxStorageBufferBindingSize: 64 } });
      expect(() => tiny.network({ rule: model.compiled, runs })).toThrow(BoundExceededError);
      expect(() => tiny.network({ rule: model.compiled, runs })).toThrow(
        /maxStorageBufferBindingSize.*bytes for states/,
      );
    });

    it("refuses workgroup memory too small for the failure flag, norms and scale factors", () => {
      const { model, runs } = signMask();
      const none = new WebGpuBackend(be.ctx, { limits: { maxComputeWorkgroupStorageSize: 32 } });
      expect(() => none.network({ rule: model.compiled, runs })).toThrow(
        /maxComputeWorkgroupStorageSize .* bound of 32 exceeded \(reached 48 bytes/,
      );
    });

    it("reports a lost device, and a runner resumes the remaining tasks on the CPU", async () => {
      const lostBe = await webgpuBackend();
      const { model, runs } = signMask();
      const task = async (backend: { network: WebGpuBackend["network"] }) => {
        const batch = backend.network({ rule: model.compiled, runs });
        batch.advance(3);
        const e = await batch.errors();
        batch.dispose();
        return Array.from(e.test);
      };
      const losses: DeviceLostError[] = [];
      const runner = new ResilientRunner(
        lostBe,
        () => cpuBackend(),
        (loss) => losses.push(loss),
      );
      const first = await runner.run(task);
      expect(first.backend).toBe("webgpu");

      const live = lostBe.network({ rule: model.compiled, runs });
      lostBe.destroy();
      await expect(live.errors()).rejects.toThrow(DeviceLostError);
      expect(() => live.advance(1)).toThrow(/device was lost/);

      const second = await runner.run(task);
      expect(second.backend).toBe("cpu");
      expect(losses).toHaveLength(1);
      const reference = await task(cpuBackend());
      expect(second.result).toEqual(reference);
      // The GPU's result of the first task agrees with the CPU within the conformance tolerance.
      first.result.forEach((x, b) => {
        expect(Math.abs(x - reference[b]!)).toBeLessThanOrEqual(
          networkRelative * Math.max(1, Math.abs(reference[b]!)),
        );
      });
    });
  });
}
