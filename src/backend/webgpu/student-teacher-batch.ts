/**
 * A batch of student-teacher simulations resident on a WebGPU device (the StudentTeacherBatch
 * contract of src/backend/backend.ts, in float32). Weights, data, minibatch permutations and
 * failure records stay on the device; `advance` only queues dispatches of the fused kernel
 * (kernels/student-teacher-step.wgsl.ts), each covering many epochs; only errors (and, on
 * request, weights) come back.
 *
 * Two variants of the fused kernel compute the same update: the on-chip one
 * (kernels/student-teacher-onchip.wgsl.ts: weights in workgroup memory and registers for a whole
 * dispatch) is chosen whenever its workgroup memory fits the device's
 * maxComputeWorkgroupStorageSize, N fits one workgroup and |S| <= onchipMaxBatch; otherwise the
 * streaming one (kernels/student-teacher-step.wgsl.ts: weights in device memory).
 *
 * The batch is split into chunks that respect the device's buffer and dispatch limits
 * (batch-plan.ts); each chunk has its own buffers and is dispatched as one workgroup per member.
 * Members never interact, so the split does not change any result.
 */
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";
import type { BatchErrors, StudentTeacherBatch } from "../backend.ts";
import { type CheckedStudentTeacherInit, requireLength } from "../validate.ts";
import { type PlanningLimits, planChunks } from "./batch-plan.ts";
import { emptyStorageBuffer, readBuffers, storageBuffer, uniformBuffer } from "./buffers.ts";
import { encodeChunkPass } from "./chunk-pass.ts";
import type { GpuContext } from "./device.ts";
import { activationCodes } from "./kernels/activation.wgsl.ts";
import { studentTeacherErrorsWgsl } from "./kernels/student-teacher-errors.wgsl.ts";
import {
  onchipMaxBatch,
  onchipWorkgroupBytes,
  onchipWorkgroupSize,
  studentTeacherOnchipWgsl,
} from "./kernels/student-teacher-onchip.wgsl.ts";
import {
  type StudentTeacherKernelConfig,
  stepParams,
  stepParamsBytes,
  storageScratchFloats,
  studentTeacherStepWgsl,
  workgroupCapacity,
  workgroupFloats,
} from "./kernels/student-teacher-step.wgsl.ts";
import type { PipelineCache } from "./pipelines.ts";

/** Which variant of the fused kernel runs: chosen by fit ("auto"), or forced. */
export type StudentTeacherKernelChoice = "auto" | "onchip" | "streaming";

/** The variant a batch runs, with its compile-time configuration. */
export type StudentTeacherKernel =
  | { variant: "onchip"; workgroupSize: number; maxBatch: number; workgroupBytes: number }
  | ({ variant: "streaming" } & StudentTeacherKernelConfig);

/** Why the on-chip kernel cannot run a shape: the limit it exceeds. */
export interface OnchipMisfit {
  bound: string;
  limit: number;
  reached: string;
}

/**
 * The on-chip kernel's configuration for a shape, or the reason it cannot run: N must fit one
 * workgroup, |S| the private arrays, and the workgroup memory the device's limit.
 */
export function onchipFit(
  shape: { inputs: number; hidden: number; batchSize: number },
  workgroupSize: number,
  maxWorkgroupSize: number,
  maxWorkgroupStorageBytes: number,
): { kernel: StudentTeacherKernel & { variant: "onchip" } } | { misfit: OnchipMisfit } {
  const { inputs: M, hidden: N, batchSize: S } = shape;
  const wg = onchipWorkgroupSize(N, workgroupSize);
  if (wg > maxWorkgroupSize) {
    return {
      misfit: {
        bound: "maxComputeInvocationsPerWorkgroup (one invocation per hidden unit)",
        limit: maxWorkgroupSize,
        reached: `${wg} invocations for N = ${N}`,
      },
    };
  }
  if (S > onchipMaxBatch) {
    return {
      misfit: { bound: "minibatch of the on-chip kernel", limit: onchipMaxBatch, reached: `batchSize ${S}` },
    };
  }
  const bytes = onchipWorkgroupBytes(M, N, S, wg);
  if (bytes > maxWorkgroupStorageBytes) {
    return {
      misfit: {
        bound: "maxComputeWorkgroupStorageSize (bytes of workgroup memory)",
        limit: maxWorkgroupStorageBytes,
        reached: `${bytes} bytes, ${4 * M * N} of them W1 at M = ${M}, N = ${N}`,
      },
    };
  }
  return { kernel: { variant: "onchip", workgroupSize: wg, maxBatch: S, workgroupBytes: bytes } };
}

/** Tuning of the fused kernel. */
export interface StudentTeacherDeviceOptions {
  /** Invocations per workgroup (one workgroup per simulation); a power of two. */
  workgroupSize: number;
  /** At most this many SGD steps per dispatch (whole epochs, at least one). */
  maxStepsPerDispatch: number;
  /** Limits to plan with (the device's, or lower ones). */
  limits: PlanningLimits;
  /** The most invocations one workgroup may have (the device's limit). */
  maxWorkgroupSize: number;
  /** Which variant of the fused kernel to run. */
  kernel: StudentTeacherKernelChoice;
}

interface Chunk {
  start: number;
  size: number;
  buffers: GPUBuffer[];
  w1: GPUBuffer;
  w2: GPUBuffer;
  status: GPUBuffer;
  errors: GPUBuffer;
  params: GPUBuffer;
  step: GPUBindGroup;
  errorsGroup: GPUBindGroup;
}

const fn = "WebGpuStudentTeacherBatch";

/** Member-major [B, N, M] (row-major W1 blocks) to [B, M, N] (transposed blocks), as float32. */
function transposeBlocks(w: Float64Array, size: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(size * rows * cols);
  for (let b = 0; b < size; b++) {
    const o = b * rows * cols;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) out[o + j * rows + i] = w[o + i * cols + j]!;
  }
  return out;
}

export class WebGpuStudentTeacherBatch implements StudentTeacherBatch {
  readonly size: number;
  epoch = 0;
  private readonly chunks: Chunk[] = [];
  private readonly stepPipeline: GPUComputePipeline;
  private readonly errorsPipeline: GPUComputePipeline;
  private readonly eta: number;
  private disposed = false;
  /** The kernel variant and configuration chosen for this batch (reported by benchmarks). */
  readonly kernel: StudentTeacherKernel;

  constructor(
    private readonly ctx: GpuContext,
    pipelines: PipelineCache,
    private readonly init: CheckedStudentTeacherInit,
    private readonly options: StudentTeacherDeviceOptions,
  ) {
    const { size: B, inputs: M, hidden: N, trainCount: P, testCount: Q, batchSize: S } = init;
    this.size = B;
    this.eta = (init.learningRate * S) / P;
    const fit = onchipFit(
      init,
      options.workgroupSize,
      options.maxWorkgroupSize,
      options.limits.maxComputeWorkgroupStorageSize,
    );
    if (options.kernel === "onchip" && "misfit" in fit) {
      const { bound, limit, reached } = fit.misfit;
      throw new BoundExceededError(
        "WebGpuBackend.studentTeacher",
        `on-chip kernel: ${bound}`,
        limit,
        reached,
        'use kernel "auto" (falls back to the streaming kernel) or "streaming"',
      );
    }
    let scratchFloats = 0;
    if (options.kernel !== "streaming" && "kernel" in fit) {
      this.kernel = fit.kernel;
      this.stepPipeline = pipelines.get(
        "student-teacher step (on chip)",
        studentTeacherOnchipWgsl({ ...fit.kernel, weights: M * N }),
      );
    } else {
      const capacity = workgroupCapacity(
        options.limits.maxComputeWorkgroupStorageSize,
        options.workgroupSize,
      );
      const config: StudentTeacherKernelConfig = {
        workgroupSize: options.workgroupSize,
        scratch: workgroupFloats(M, N, S) <= capacity ? "workgroup" : "storage",
        capacity,
      };
      this.kernel = { variant: "streaming", ...config };
      this.stepPipeline = pipelines.get("student-teacher step", studentTeacherStepWgsl(config));
      if (config.scratch === "storage") scratchFloats = storageScratchFloats(N, S);
    }
    this.errorsPipeline = pipelines.get(
      "student-teacher errors",
      studentTeacherErrorsWgsl(options.workgroupSize),
    );
    const CS = M + 2 * N + 2;
    const sizes = planChunks(
      "WebGpuBackend.studentTeacher",
      B,
      {
        trainInputs: 4 * P * M,
        testInputs: 4 * Q * M,
        w1: 4 * N * M,
        perm: 4 * P,
        scratch: 4 * scratchFloats,
      },
      options.limits,
    );
    const w1t = transposeBlocks(init.w1, B, N, M);
    const consts = new Float32Array(B * CS);
    const status = new Uint32Array(B * 2);
    for (let b = 0; b < B; b++) {
      const o = b * CS;
      consts.set(init.d1.subarray(b * M, (b + 1) * M), o);
      consts.set(init.d2.subarray(b * N, (b + 1) * N), o + M);
      if (init.feedback === "fixed")
        consts.set(init.feedbackWeights!.subarray(b * N, (b + 1) * N), o + M + N);
      consts[o + CS - 2] = init.norm1[b]!;
      consts[o + CS - 1] = init.norm2[b]!;
      status[2 * b] = init.shuffleSeeds[b]!;
    }
    let start = 0;
    for (const size of sizes) {
      const f32 = (a: Float64Array | Float32Array, per: number) =>
        Float32Array.from(a.subarray(start * per, (start + size) * per));
      const label = (name: string) => `${name} [${start}, ${start + size})`;
      const trainX = storageBuffer(ctx, f32(init.trainInputs, P * M), label("train inputs"));
      const trainY = storageBuffer(ctx, f32(init.trainTargets, P), label("train targets"));
      const testX = storageBuffer(ctx, f32(init.testInputs, Q * M), label("test inputs"));
      const testY = storageBuffer(ctx, f32(init.testTargets, Q), label("test targets"));
      const w1 = storageBuffer(ctx, w1t.subarray(start * N * M, (start + size) * N * M), label("w1"));
      const w2 = storageBuffer(ctx, f32(init.w2, N), label("w2"));
      const constsBuffer = storageBuffer(
        ctx,
        consts.subarray(start * CS, (start + size) * CS),
        label("consts"),
      );
      const statusBuffer = storageBuffer(
        ctx,
        status.subarray(2 * start, 2 * (start + size)),
        label("status"),
      );
      const perm = emptyStorageBuffer(ctx, 4 * size * P, label("perm"));
      const errors = emptyStorageBuffer(ctx, 8 * size, label("errors"));
      const params = uniformBuffer(ctx, stepParamsBytes, label("params"));
      const sizesBuffer = uniformBuffer(ctx, 32, label("sizes"));
      ctx.device.queue.writeBuffer(
        sizesBuffer,
        0,
        new Uint32Array([M, N, P, Q, activationCodes[init.activation], 0, 0, 0]),
      );
      const stepBuffers = [params, trainX, trainY, w1, w2, constsBuffer, statusBuffer, perm];
      const buffers = [...stepBuffers, testX, testY, errors, sizesBuffer];
      if (scratchFloats > 0) {
        const scratch = emptyStorageBuffer(ctx, 4 * size * scratchFloats, label("scratch"));
        stepBuffers.push(scratch);
        buffers.push(scratch);
      }
      this.chunks.push({
        start,
        size,
        buffers,
        w1,
        w2,
        status: statusBuffer,
        errors,
        params,
        step: pipelines.bind(this.stepPipeline, label("step"), stepBuffers),
        errorsGroup: pipelines.bind(this.errorsPipeline, label("errors"), [
          sizesBuffer,
          trainX,
          trainY,
          testX,
          testY,
          w1,
          w2,
          errors,
        ]),
      });
      start += size;
    }
    ctx.check("WebGpuBackend.studentTeacher");
  }

  /** Members per chunk, in order (how the batch was split to fit the device). */
  get chunkSizes(): number[] {
    return this.chunks.map((c) => c.size);
  }

  private usable(method: string): void {
    if (this.disposed) throw new Error(`${fn}.${method}: used after dispose()`);
    this.ctx.check(`${fn}.${method}`);
  }

  advance(epochs: number): void {
    this.usable("advance");
    if (!Number.isInteger(epochs) || epochs < 0) {
      throw new InvalidArgumentError(`${fn}.advance`, "epochs", "an integer >= 0", epochs);
    }
    const steps = this.init.stepsPerEpoch;
    const perDispatch = Math.max(1, Math.floor(this.options.maxStepsPerDispatch / steps));
    for (let done = 0; done < epochs; done += perDispatch) {
      const params = stepParams({
        epoch0: this.epoch + done,
        epochs: Math.min(perDispatch, epochs - done),
        eta: this.eta,
        inputs: this.init.inputs,
        hidden: this.init.hidden,
        trainCount: this.init.trainCount,
        batchSize: this.init.batchSize,
        activationCode: activationCodes[this.init.activation],
        fixedFeedback: this.init.feedback === "fixed",
        renormalize: this.init.renormalize,
      });
      // writeBuffer is ordered with submits, so each dispatch sees its own epoch range.
      for (const chunk of this.chunks) this.ctx.device.queue.writeBuffer(chunk.params, 0, params);
      const encoder = this.ctx.device.createCommandEncoder();
      encodeChunkPass(
        encoder,
        this.stepPipeline,
        this.chunks.map((chunk) => ({ group: chunk.step, members: chunk.size })),
      );
      this.ctx.device.queue.submit([encoder.finish()]);
    }
    this.epoch += epochs;
  }

  async errors(): Promise<BatchErrors> {
    this.usable("errors");
    const encoder = this.ctx.device.createCommandEncoder();
    encodeChunkPass(
      encoder,
      this.errorsPipeline,
      this.chunks.map((chunk) => ({ group: chunk.errorsGroup, members: chunk.size })),
    );
    const sources = this.chunks.flatMap((c) => [
      { buffer: c.errors, bytes: 8 * c.size },
      { buffer: c.status, bytes: 8 * c.size },
    ]);
    const data = await readBuffers(this.ctx, `${fn}.errors`, sources, encoder);
    const train = new Float64Array(this.size);
    const test = new Float64Array(this.size);
    this.chunks.forEach((c, k) => {
      const e = new Float32Array(data[2 * k]!);
      const s = new Uint32Array(data[2 * k + 1]!);
      for (let b = 0; b < c.size; b++) {
        const failed = s[2 * b + 1]! !== 0;
        train[c.start + b] = failed ? Number.NaN : e[2 * b]!;
        test[c.start + b] = failed ? Number.NaN : e[2 * b + 1]!;
      }
    });
    return { train, test };
  }

  async readWeights(): Promise<{ w1: Float64Array; w2: Float64Array }> {
    this.usable("readWeights");
    const { inputs: M, hidden: N } = this.init;
    const data = await readBuffers(
      this.ctx,
      `${fn}.readWeights`,
      this.chunks.flatMap((c) => [
        { buffer: c.w1, bytes: 4 * c.size * N * M },
        { buffer: c.w2, bytes: 4 * c.size * N },
      ]),
    );
    const w1 = new Float64Array(this.size * N * M);
    const w2 = new Float64Array(this.size * N);
    this.chunks.forEach((c, k) => {
      const t = new Float32Array(data[2 * k]!);
      for (let b = 0; b < c.size; b++) {
        const o = b * N * M;
        const g = (c.start + b) * N * M;
        for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) w1[g + i * M + j] = t[o + j * N + i]!;
      }
      w2.set(new Float32Array(data[2 * k + 1]!), c.start * N);
    });
    return { w1, w2 };
  }

  writeWeights(w1: Float64Array, w2: Float64Array): void {
    this.usable("writeWeights");
    const { inputs: M, hidden: N } = this.init;
    requireLength(`${fn}.writeWeights`, "w1", w1, this.size * N * M);
    requireLength(`${fn}.writeWeights`, "w2", w2, this.size * N);
    const w1t = transposeBlocks(w1, this.size, N, M);
    for (const c of this.chunks) {
      this.ctx.device.queue.writeBuffer(c.w1, 0, w1t.subarray(c.start * N * M, (c.start + c.size) * N * M));
      this.ctx.device.queue.writeBuffer(
        c.w2,
        0,
        Float32Array.from(w2.subarray(c.start * N, (c.start + c.size) * N)),
      );
    }
  }

  async failures(): Promise<Int32Array> {
    this.usable("failures");
    const data = await readBuffers(
      this.ctx,
      `${fn}.failures`,
      this.chunks.map((c) => ({ buffer: c.status, bytes: 8 * c.size })),
    );
    const out = new Int32Array(this.size);
    this.chunks.forEach((c, k) => {
      const s = new Uint32Array(data[k]!);
      for (let b = 0; b < c.size; b++) out[c.start + b] = s[2 * b + 1]! - 1;
    });
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.chunks) for (const b of c.buffers) b.destroy();
  }
}
