/**
 * The WebGPU backend against the shared conformance suite and the CPU reference, on whatever
 * adapter Dawn finds (Mesa's llvmpipe on a machine without a GPU). Without an adapter the suite is
 * skipped with the install command, unless LEARNDYN_REQUIRE_GPU=1 (CI), where it fails.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { StudentTeacherInit } from "../../src/backend/backend.ts";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { ResilientRunner } from "../../src/backend/fallback.ts";
import { DeviceLostError } from "../../src/backend/webgpu/errors.ts";
import { counterRngWgsl } from "../../src/backend/webgpu/kernels/counter-rng.wgsl.ts";
import {
  onchipWorkgroupBytes,
  onchipWorkgroupSize,
} from "../../src/backend/webgpu/kernels/student-teacher-onchip.wgsl.ts";
import type { WebGpuStudentTeacherBatch } from "../../src/backend/webgpu/student-teacher-batch.ts";
import { WebGpuBackend, webgpuBackend } from "../../src/backend/webgpu/webgpu-backend.ts";
import { simulate } from "../../src/sim/simulate.ts";
import { drawMember, packBatch, paperSpec } from "../../src/sim/student-teacher.ts";
import { studentTeacherTasks } from "../../src/sim/sweep-task.ts";
import { counterU32, deriveKey } from "../../src/util/counter-rng.ts";
import { BoundExceededError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/random.ts";
import { backendConformance, expectClose, randomStudentTeacherInit } from "./conformance.ts";
import { referenceAdvance, referenceMember } from "./reference-student-teacher.ts";
import { twoSampleKs } from "./two-sample-ks.ts";

/** float32 unit roundoff. */
const u = 2 ** -24;

// Conformance tolerance, float32 against the float64 reference. Each value of a fused step is a
// chain of sums of at most n = 35 terms (the norm over N*M = 35 weights; dot products have M = 7,
// N = 5, |S| <= 20), each within (n + 2) u of exact relative to the sum of magnitudes (recursive
// summation, +2 for the product and the final rounding). The suite runs at most K = 60 steps
// (3 epochs of 20 single-sample steps), and the renormalization keeps the weights at O(1) norm, so
// per-step errors add rather than compound: K (n + 2) u = 60 * 37 u = 1.3e-4. The same bound covers
// the tensor kernels (sums of at most 33 terms: 35 u).
const conformanceRelative = 60 * 37 * u;

const required = process.env.LEARNDYN_REQUIRE_GPU === "1";
const probe = await webgpuBackend().then(
  (be) => ({ be, error: undefined }),
  (error: Error) => ({ be: undefined, error }),
);

if (probe.be === undefined) {
  if (required) {
    describe("webgpu backend", () => {
      it("has a WebGPU adapter (LEARNDYN_REQUIRE_GPU=1)", () => {
        throw probe.error;
      });
    });
  } else {
    console.warn(`webgpu backend tests skipped: ${probe.error?.message}`);
    describe.skip(`webgpu backend (skipped: ${probe.error?.message})`, () => {
      it("needs a WebGPU adapter", () => {});
    });
  }
} else {
  const be = probe.be;
  // The same device with the fused kernel forced to its streaming variant (weights in device
  // memory); `be` runs the on-chip variant wherever it fits, which includes every shape below.
  const streaming = new WebGpuBackend(be.ctx, { kernel: "streaming" });
  afterAll(() => be.destroy());
  console.info(
    `webgpu backend on: ${be.adapter.description} (${be.adapter.vendor}, ${be.adapter.architecture})`,
  );

  backendConformance("webgpu (on-chip kernel)", () => be, { relative: conformanceRelative });
  backendConformance("webgpu (streaming kernel)", () => streaming, { relative: conformanceRelative });

  describe("webgpu backend", () => {
    it("computes the counter-based hash and key derivation bit for bit like the CPU", async () => {
      const device = be.ctx.device;
      const rng = new Rng(5);
      const n = 4096;
      const input = new Uint32Array(2 * n);
      for (let k = 0; k < 2 * n; k++) input[k] = rng.nextUint32();
      const code = `${counterRngWgsl}
@group(0) @binding(0) var<storage, read> pairs: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x >= ${n}u) { return; }
  out[2u * g.x] = counter_u32(pairs[2u * g.x], pairs[2u * g.x + 1u]);
  out[2u * g.x + 1u] = derive_key(pairs[2u * g.x], pairs[2u * g.x + 1u]);
}`;
      const pipeline = device.createComputePipeline({
        layout: "auto",
        compute: { module: device.createShaderModule({ code }), entryPoint: "main" },
      });
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
      const pairs = device.createBuffer({ size: input.byteLength, usage, mappedAtCreation: true });
      new Uint32Array(pairs.getMappedRange()).set(input);
      pairs.unmap();
      const out = device.createBuffer({ size: input.byteLength, usage });
      const staging = device.createBuffer({
        size: input.byteLength,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(
        0,
        device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: pairs } },
            { binding: 1, resource: { buffer: out } },
          ],
        }),
      );
      pass.dispatchWorkgroups(n / 64);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, staging, 0, input.byteLength);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const got = new Uint32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      const expected = new Uint32Array(2 * n);
      for (let k = 0; k < n; k++) {
        expected[2 * k] = counterU32(input[2 * k]!, input[2 * k + 1]!);
        expected[2 * k + 1] = deriveKey(input[2 * k]!, input[2 * k + 1]!);
      }
      expect(Array.from(got)).toEqual(Array.from(expected));
    });

    for (const [variant, backend] of [
      ["on-chip", be],
      ["streaming", streaming],
    ] as const) {
      it(`${variant}: agrees with the CPU on short runs of the seed 001 protocol (curl descent, tanh, minibatch 10)`, async () => {
        const spec = paperSpec(12, 8, {
          activation: "tanh",
          alphaH: 0.25,
          alphaR: 0.25,
          trainCount: 50,
          testCount: 20,
          batchSize: 10,
        });
        const init = packBatch(
          spec,
          [0, 1, 2, 3].map((k) => drawMember({ ...spec, seed: 40 + k })),
        );
        const gpu = backend.studentTeacher(init);
        const cpu = cpuBackend().studentTeacher(init);
        gpu.advance(5);
        cpu.advance(5);
        // K = 25 steps; the longest sum is the norm over N*M = 96 weights: K (96 + 2) u = 1.5e-4,
        // by the argument of conformanceRelative.
        const tol = 25 * 98 * u;
        const [wg, wc] = [await gpu.readWeights(), await cpu.readWeights()];
        expectClose(wg.w1, wc.w1, tol, "W1 after 5 epochs");
        expectClose(wg.w2, wc.w2, tol, "W2 after 5 epochs");
        const [eg, ec] = [await gpu.errors(), await cpu.errors()];
        expectClose(eg.test, ec.test, tol, "test error after 5 epochs");
        gpu.dispose();
      });

      it(`${variant}: gives long runs whose final test errors over seeds are distributed as on the CPU`, async () => {
        // 24 seeds of 200 epochs (1000 steps) of curl descent in a linear network; two-sample
        // Kolmogorov-Smirnov test of the final test errors, GPU against CPU, at level 0.01.
        const spec = paperSpec(10, 10, { alphaH: 0.5, trainCount: 50, testCount: 50, batchSize: 10 });
        const init = packBatch(
          spec,
          Array.from({ length: 24 }, (_, k) => drawMember({ ...spec, seed: 1000 + k })),
        );
        const gpu = backend.studentTeacher(init);
        const cpu = cpuBackend().studentTeacher(init);
        gpu.advance(200);
        cpu.advance(200);
        const eg = Array.from((await gpu.errors()).test);
        const ec = Array.from((await cpu.errors()).test);
        gpu.dispose();
        const ks = twoSampleKs(eg, ec);
        expect(ks.p, `KS D = ${ks.d}`).toBeGreaterThanOrEqual(0.01);
      });

      it(`${variant}: estimates the same Lyapunov exponents as the CPU through the simulator`, async () => {
        const spec = paperSpec(16, 16, {
          activation: "tanh",
          alphaH: 0.6,
          trainCount: 50,
          testCount: 50,
          batchSize: 10,
        });
        const specs = [0, 1, 2].map((k) => ({ ...spec, seed: k }));
        const [onGpu, onCpu] = [
          await simulate(backend, specs, { epochs: 400 }),
          await simulate(cpuBackend(), specs, { epochs: 400 }),
        ];
        // The simulator's float32 twin separation is d0 = 1e-3. Rounding moves the separation by
        // about u ||w|| ~ 3e-7 per step (||w|| ~ 5), i.e. 3e-4 of d0, accumulating over the 50 steps
        // between renormalizations to ~ sqrt(50) * 3e-4 = 2e-3 in log(d / d0), which the estimate
        // divides by the 10 epochs of an interval: ~ 2e-4 per epoch; 1e-3 leaves a factor 5.
        for (const [b, r] of onGpu.entries()) {
          expect(r.lyapunov).not.toBeNull();
          expect(Math.abs(r.lyapunov! - onCpu[b]!.lyapunov!)).toBeLessThan(1e-3);
        }
      });
    }

    it("runs the on-chip kernel wherever it fits the device, else the streaming one", () => {
      const init = randomStudentTeacherInit(35, { batchSize: 20 });
      const kernelOf = (backend: WebGpuBackend) =>
        (backend.studentTeacher(init) as WebGpuStudentTeacherBatch).kernel;
      expect(kernelOf(be).variant).toBe("onchip");
      expect(kernelOf(streaming).variant).toBe("streaming");
      // 7 x 5 weights, 64 invocations, |S| = 20: 140 -> 144 + 256 + 80 + 16 + 16 = 512 bytes.
      expect(kernelOf(be)).toMatchObject({ workgroupBytes: 512, workgroupSize: 64 });
      const tight = { maxComputeWorkgroupStorageSize: 511 };
      expect(kernelOf(new WebGpuBackend(be.ctx, { limits: tight })).variant).toBe("streaming");
      expect(() =>
        new WebGpuBackend(be.ctx, { limits: tight, kernel: "onchip" }).studentTeacher(init),
      ).toThrow(
        /on-chip kernel: maxComputeWorkgroupStorageSize .* bound of 511 exceeded \(reached 512 bytes/,
      );
    });

    it("runs the on-chip kernel with a 128-invocation workgroup and at the largest W1 the device holds", async () => {
      // N = 100 hidden units need a workgroup of 128 (28 invocations own no unit); the second shape
      // is the largest M = N whose W1 fits this device's workgroup memory (89 on llvmpipe's 32 KiB,
      // 110 on NVIDIA's 48 KiB).
      let n = 110;
      const limit = be.ctx.limits.maxComputeWorkgroupStorageSize;
      while (onchipWorkgroupBytes(n, n, 10, onchipWorkgroupSize(n, 64)) > limit) n--;
      const cases = [
        { init: randomStudentTeacherInit(37, { inputs: 6, hidden: 100, batchSize: 5 }), epochs: 3 },
        { init: randomStudentTeacherInit(38, { size: 1, inputs: n, hidden: n, batchSize: 10 }), epochs: 1 },
      ];
      for (const { init, epochs } of cases) {
        const batch = be.studentTeacher(init) as WebGpuStudentTeacherBatch;
        expect(batch.kernel).toMatchObject({ variant: "onchip", workgroupSize: 128 });
        batch.advance(epochs);
        const members = Array.from({ length: init.size }, (_, b) => referenceMember(init, b));
        for (const [b, m] of members.entries()) referenceAdvance(init, m, b, 0, epochs);
        // K steps (3 epochs of 4, or 1 of 2); the longest sum is the norm over N M weights
        // (600, or n^2 <= 12,100): K (N M + 2) u by the argument of conformanceRelative.
        const steps = (epochs * init.trainCount) / init.batchSize;
        const tol = steps * (init.inputs * init.hidden + 2) * u;
        const w = await batch.readWeights();
        const what = `M = ${init.inputs}, N = ${init.hidden}`;
        expectClose(
          w.w1,
          members.flatMap((m) => m.w1.flat()),
          tol,
          `W1, ${what}`,
        );
        expectClose(
          w.w2,
          members.flatMap((m) => m.w2),
          tol,
          `W2, ${what}`,
        );
        batch.dispose();
      }
    });

    it("gives the on-chip kernel's result bit for bit however the epochs are split into dispatches", async () => {
      // The W1 renormalization pending at a dispatch's end is applied as the weights go back, in
      // the same float32 product as inside a dispatch, so the split changes no bit.
      const init = randomStudentTeacherInit(36, { batchSize: 4 });
      const perEpoch = new WebGpuBackend(be.ctx, { kernel: "onchip", maxStepsPerDispatch: 1 });
      const [a, b] = [be.studentTeacher(init), perEpoch.studentTeacher(init)];
      a.advance(6);
      for (let k = 0; k < 3; k++) b.advance(2);
      const [wa, wb] = [await a.readWeights(), await b.readWeights()];
      expect(Array.from(wb.w1)).toEqual(Array.from(wa.w1));
      expect(Array.from(wb.w2)).toEqual(Array.from(wa.w2));
      a.dispose();
      b.dispose();
    });

    it("splits a batch that exceeds the buffer or dispatch limits, with identical results", async () => {
      const init = randomStudentTeacherInit(31, { size: 5 });
      const oneMember = 4 * init.trainCount * init.inputs; // the largest per-member buffer
      const split = new WebGpuBackend(be.ctx, {
        limits: { maxStorageBufferBindingSize: 2 * oneMember, maxComputeWorkgroupsPerDimension: 3 },
      });
      const whole = be.studentTeacher(init) as WebGpuStudentTeacherBatch;
      const parts = split.studentTeacher(init) as WebGpuStudentTeacherBatch;
      expect(whole.chunkSizes).toEqual([5]);
      expect(parts.chunkSizes).toEqual([2, 2, 1]);
      whole.advance(4);
      parts.advance(4);
      // Members never interact and run the same kernel, so the split changes no bit.
      expect(Array.from((await parts.readWeights()).w1)).toEqual(Array.from((await whole.readWeights()).w1));
      expect(Array.from((await parts.errors()).test)).toEqual(Array.from((await whole.errors()).test));
      whole.dispose();
      parts.dispose();
    });

    it("keeps minibatch intermediates in a device buffer when they exceed workgroup memory", async () => {
      // Full batch of 20 samples: x, h, u, e need 360 floats; a 1 KiB workgroup limit leaves less.
      const init = randomStudentTeacherInit(34, { batchSize: 20, activation: "relu", feedback: "fixed" });
      const small = new WebGpuBackend(be.ctx, {
        kernel: "streaming",
        limits: { maxComputeWorkgroupStorageSize: 1024 },
      });
      const batch = small.studentTeacher(init) as WebGpuStudentTeacherBatch;
      expect(batch.kernel).toMatchObject({ variant: "streaming", scratch: "storage" });
      expect((streaming.studentTeacher(init) as WebGpuStudentTeacherBatch).kernel).toMatchObject({
        variant: "streaming",
        scratch: "workgroup",
      });
      batch.advance(3);
      const members = Array.from({ length: init.size }, (_, b) => referenceMember(init, b));
      for (const [b, m] of members.entries()) referenceAdvance(init, m, b, 0, 3);
      expectClose(
        (await batch.readWeights()).w1,
        members.flatMap((m) => m.w1.flat()),
        conformanceRelative,
        "W1 after 3 epochs",
      );
      batch.dispose();
    });

    it("refuses a simulation too large for one buffer, naming the limit", () => {
      const init = randomStudentTeacherInit(32);
      const tiny = new WebGpuBackend(be.ctx, { limits: { maxStorageBufferBindingSize: 64 } });
      expect(() => tiny.studentTeacher(init)).toThrow(BoundExceededError);
      expect(() => tiny.studentTeacher(init)).toThrow(/maxStorageBufferBindingSize.*trainInputs/);
    });

    it("reports a lost device, and a runner resumes the remaining tasks on the CPU", async () => {
      const lostBe = await webgpuBackend();
      const init = randomStudentTeacherInit(33);
      const task = async (backend: {
        studentTeacher(i: StudentTeacherInit): ReturnType<WebGpuBackend["studentTeacher"]>;
      }) => {
        const batch = backend.studentTeacher(init);
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

      const live = lostBe.studentTeacher(init);
      lostBe.destroy();
      await expect(live.errors()).rejects.toThrow(DeviceLostError);
      expect(() => live.advance(1)).toThrow(/device was lost/);

      const second = await runner.run(task);
      const third = await runner.run(task);
      expect([second.backend, third.backend]).toEqual(["cpu", "cpu"]);
      expect(losses).toHaveLength(1);
      expect(losses[0]!.message).toMatch(/lost .*resume on --backend cpu/);
      const reference = await task(cpuBackend());
      expect(second.result).toEqual(reference);
      expect(third.result).toEqual(reference);
      // The GPU result of the first task agrees with the CPU within float32 rounding.
      expectClose(first.result, reference, conformanceRelative, "first task");
    });

    it("resumes a sweep's batch of student-teacher tasks on the CPU after the device is lost", async () => {
      const gpu = await webgpuBackend();
      const items = [1, 2, 3].map((seed) => ({
        params: { epochs: 6, M: 6, N: 4, alphaH: 0.3, trainCount: 20, testCount: 10, batchSize: 5 },
        seed,
      }));
      const runner = new ResilientRunner(gpu, () => cpuBackend());
      gpu.destroy(); // lost before the shard starts: every task of the batch must come from the CPU
      const resumed = await runner.run((backend) => studentTeacherTasks(items, backend));
      expect(resumed.backend).toBe("cpu");
      expect(runner.lost).toBeInstanceOf(DeviceLostError);
      expect(resumed.result).toEqual(await studentTeacherTasks(items, cpuBackend()));
    });

    it("without an adapter, `simulate --backend webgpu` fails with the driver install command", () => {
      let stderr = "";
      let status = 0;
      try {
        execFileSync(
          process.execPath,
          [
            "bin/learndyn.js",
            "simulate",
            "curl-descent",
            "--M",
            "4",
            "--N",
            "4",
            "--epochs",
            "2",
            "--backend",
            "webgpu",
          ],
          {
            env: { ...process.env, VK_ICD_FILENAMES: "/nonexistent/icd.json" },
            stdio: "pipe",
            encoding: "utf8",
          },
        );
      } catch (e) {
        const err = e as { status: number; stderr: string };
        status = err.status;
        stderr = err.stderr;
      }
      expect(status).toBe(2);
      expect(stderr).toMatch(/no WebGPU adapter/);
      expect(stderr).toMatch(/apt-get install -t bookworm-backports libvulkan1 mesa-vulkan-drivers/);
    });
  });
}
