/**
 * A batch of runs of a compiled network rule resident on a WebGPU device (the NetworkBatch
 * contract of src/backend/backend.ts, in float32), run by kernels generated from the rule's IR
 * (codegen/step-kernel.ts, codegen/error-kernel.ts). States, fixed tensors, parameters, data,
 * minibatch permutations and failure records stay on the device; `advance` only queues
 * dispatches, each covering many steps; only errors, failures and (on request) states come back.
 *
 * The batch is split into chunks that respect the device's buffer and dispatch limits
 * (batch-plan.ts), each with its own buffers, dispatched as one workgroup per member. Members
 * never interact and run the same code, so the split changes no result.
 */
import type { CompiledRule } from "../../ir/program.ts";
import { BoundExceededError, InvalidArgumentError } from "../../util/errors.ts";
import type { BatchErrors, NetworkBatch } from "../backend.ts";
import type { CheckedNetworkInit } from "../check-network-init.ts";
import { type PlanningLimits, planChunks } from "./batch-plan.ts";
import { emptyStorageBuffer, readBuffers, storageBuffer, uniformBuffer } from "./buffers.ts";
import { encodeChunkPass } from "./chunk-pass.ts";
import { errorKernel } from "./codegen/error-kernel.ts";
import { type Binding, DISPATCH_BYTES, type GeneratedKernel } from "./codegen/kernel-module.ts";
import { type MemberLayout, memberLayout } from "./codegen/member-layout.ts";
import { stepKernel } from "./codegen/step-kernel.ts";
import type { GpuContext } from "./device.ts";
import type { PipelineCache } from "./pipelines.ts";

/** Tuning of the generated kernels. */
export interface NetworkDeviceOptions {
  /** Invocations per workgroup (one workgroup per member); a power of two. */
  readonly workgroupSize: number;
  /** At most this many steps per dispatch (whole epochs, at least one). */
  readonly maxStepsPerDispatch: number;
  /** Limits to plan with (the device's, or lower ones). */
  readonly limits: PlanningLimits;
  /** The device's maxStorageBuffersPerShaderStage. */
  readonly maxStorageBuffers: number;
}

interface Chunk {
  readonly start: number;
  readonly size: number;
  readonly buffers: Partial<Record<Binding, GPUBuffer>>;
  readonly step: GPUBindGroup;
  readonly errors: GPUBindGroup | null;
}

const fn = "WebGpuNetworkBatch";

/** Each member's arrays laid end to end (segment k of member b at b * stride + offsets[k]), as float32. */
function pack(
  size: number,
  stride: number,
  parts: (b: number) => { offset: number; values: ArrayLike<number> }[],
  start = 0,
): Float32Array {
  const out = new Float32Array(size * stride);
  for (let b = 0; b < size; b++) for (const p of parts(start + b)) out.set(p.values, b * stride + p.offset);
  return out;
}

export class WebGpuNetworkBatch implements NetworkBatch {
  readonly size: number;
  readonly rule: CompiledRule;
  epoch = 0;
  /** The generated kernels (their WGSL is a user-visible artifact; benchmarks report their memory). */
  readonly kernels: { readonly step: GeneratedKernel; readonly errors: GeneratedKernel | null };
  private readonly layout: MemberLayout;
  private readonly chunks: Chunk[] = [];
  private readonly stepPipeline: GPUComputePipeline;
  private readonly errorsPipeline: GPUComputePipeline | null;
  private readonly stepsPerEpoch: number;
  private disposed = false;

  constructor(
    private readonly ctx: GpuContext,
    pipelines: PipelineCache,
    init: CheckedNetworkInit,
    private readonly options: NetworkDeviceOptions,
  ) {
    const caller = "WebGpuBackend.network";
    const { rule, runs, norms } = init;
    this.rule = rule;
    this.size = runs.length;
    this.stepsPerEpoch = init.stepsPerEpoch;
    const layout = memberLayout(rule);
    this.layout = layout;
    const kernelOptions = {
      workgroupSize: options.workgroupSize,
      workgroupBytes: options.limits.maxComputeWorkgroupStorageSize,
    };
    this.kernels = { step: stepKernel(rule, kernelOptions), errors: errorKernel(rule, kernelOptions) };
    for (const [name, k] of Object.entries(this.kernels)) {
      if (!k) continue;
      if (k.workgroupBytes > options.limits.maxComputeWorkgroupStorageSize) {
        throw new BoundExceededError(
          caller,
          "maxComputeWorkgroupStorageSize (bytes of workgroup memory)",
          options.limits.maxComputeWorkgroupStorageSize,
          `${k.workgroupBytes} bytes for the ${name} kernel's failure flag, norms and scale factors of ${rule.states.length} states`,
        );
      }
      const storage = k.bindings.filter((b) => b !== "dispatch").length;
      if (storage > options.maxStorageBuffers) {
        throw new BoundExceededError(
          caller,
          "maxStorageBuffersPerShaderStage",
          options.maxStorageBuffers,
          `${storage} buffers in the ${name} kernel`,
        );
      }
    }
    this.stepPipeline = pipelines.get(`${rule.name} step`, this.kernels.step.code);
    this.errorsPipeline = this.kernels.errors
      ? pipelines.get(`${rule.name} errors`, this.kernels.errors.code)
      : null;

    const P = rule.samples?.train ?? 0;
    const scratchWords = Math.max(this.kernels.step.scratchWords, this.kernels.errors?.scratchWords ?? 0);
    const sizes = planChunks(
      caller,
      this.size,
      {
        states: 4 * layout.states.stride,
        consts: 4 * layout.constsStride,
        train: 4 * layout.train.stride,
        test: 4 * layout.test.stride,
        perm: 4 * P,
        scratch: 4 * scratchWords,
      },
      options.limits,
    );
    let start = 0;
    for (const size of sizes) {
      const label = (name: string) => `${rule.name} ${name} [${start}, ${start + size})`;
      const states = storageBuffer(
        ctx,
        pack(
          size,
          layout.states.stride,
          (b) => runs[b]!.states.map((v, k) => ({ offset: layout.states.offsets[k]!, values: v })),
          start,
        ),
        label("states"),
      );
      const consts = storageBuffer(
        ctx,
        pack(
          size,
          layout.constsStride,
          (b) => [
            ...runs[b]!.fixed.map((v, k) => ({ offset: layout.fixed.offsets[k]!, values: v })),
            { offset: layout.paramsOffset, values: runs[b]!.params },
            { offset: layout.normsOffset, values: norms.map((n) => n[b]!) },
          ],
          start,
        ),
        label("consts"),
      );
      const data = (set: "train" | "test") =>
        storageBuffer(
          ctx,
          pack(
            size,
            layout[set].stride,
            (b) => runs[b]![set].map((v, k) => ({ offset: layout[set].offsets[k]!, values: v })),
            start,
          ),
          label(set),
        );
      const status = new Uint32Array(2 * size);
      for (let b = 0; b < size; b++) status[2 * b] = runs[start + b]!.shuffleSeed;
      const buffers: Partial<Record<Binding, GPUBuffer>> = {
        dispatch: uniformBuffer(ctx, DISPATCH_BYTES, label("dispatch")),
        states,
        consts,
        train: data("train"),
        test: data("test"),
        status: storageBuffer(ctx, status, label("status")),
        perm: emptyStorageBuffer(ctx, 4 * size * P, label("perm")),
        scratch: emptyStorageBuffer(ctx, 4 * size * scratchWords, label("scratch")),
        errors: emptyStorageBuffer(ctx, 8 * size, label("errors")),
      };
      const bind = (pipeline: GPUComputePipeline, k: GeneratedKernel, what: string) =>
        pipelines.bind(
          pipeline,
          label(what),
          k.bindings.map((b) => buffers[b]!),
        );
      this.chunks.push({
        start,
        size,
        buffers,
        step: bind(this.stepPipeline, this.kernels.step, "step"),
        errors: this.errorsPipeline ? bind(this.errorsPipeline, this.kernels.errors!, "errors") : null,
      });
      start += size;
    }
    ctx.check(caller);
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
    const perDispatch = Math.max(1, Math.floor(this.options.maxStepsPerDispatch / this.stepsPerEpoch));
    for (let done = 0; done < epochs; done += perDispatch) {
      // epoch0, epochs, no_unroll = 0 (kernel-module.ts).
      const range = new Uint32Array([this.epoch + done, Math.min(perDispatch, epochs - done), 0, 0]);
      // writeBuffer is ordered with submits, so each dispatch sees its own epoch range.
      for (const chunk of this.chunks) this.ctx.device.queue.writeBuffer(chunk.buffers.dispatch!, 0, range);
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
    const train = new Float64Array(this.size).fill(Number.NaN);
    const test = new Float64Array(this.size).fill(Number.NaN);
    if (!this.errorsPipeline) return { train, test };
    const encoder = this.ctx.device.createCommandEncoder();
    encodeChunkPass(
      encoder,
      this.errorsPipeline,
      this.chunks.map((chunk) => ({ group: chunk.errors!, members: chunk.size })),
    );
    const data = await readBuffers(
      this.ctx,
      `${fn}.errors`,
      this.chunks.flatMap((c) => [
        { buffer: c.buffers.errors!, bytes: 8 * c.size },
        { buffer: c.buffers.status!, bytes: 8 * c.size },
      ]),
      encoder,
    );
    this.chunks.forEach((c, k) => {
      const e = new Float32Array(data[2 * k]!);
      const s = new Uint32Array(data[2 * k + 1]!);
      for (let b = 0; b < c.size; b++) {
        if (s[2 * b + 1] !== 0) continue;
        train[c.start + b] = e[2 * b]!;
        test[c.start + b] = e[2 * b + 1]!;
      }
    });
    return { train, test };
  }

  async readStates(): Promise<Float64Array[]> {
    this.usable("readStates");
    const { states } = this.layout;
    const data = await readBuffers(
      this.ctx,
      `${fn}.readStates`,
      this.chunks.map((c) => ({ buffer: c.buffers.states!, bytes: 4 * c.size * states.stride })),
    );
    const out = this.rule.states.map((s) => new Float64Array(this.size * s.rows * s.cols));
    this.chunks.forEach((c, k) => {
      const words = new Float32Array(data[k]!);
      for (let b = 0; b < c.size; b++) {
        this.rule.states.forEach((s, q) => {
          const n = s.rows * s.cols;
          const from = b * states.stride + states.offsets[q]!;
          out[q]!.set(words.subarray(from, from + n), (c.start + b) * n);
        });
      }
    });
    return out;
  }

  writeStates(states: readonly Float64Array[]): void {
    this.usable("writeStates");
    this.rule.states.forEach((s, k) => {
      const n = s.rows * s.cols;
      const a = states[k];
      if (!(a instanceof Float64Array) || a.length !== this.size * n) {
        throw new InvalidArgumentError(
          `${fn}.writeStates`,
          `states[${k}] (${s.name})`,
          `a Float64Array of length ${this.size * n}`,
          a?.length,
        );
      }
    });
    const { states: seg } = this.layout;
    for (const c of this.chunks) {
      const words = pack(
        c.size,
        seg.stride,
        (b) =>
          this.rule.states.map((s, k) => {
            const n = s.rows * s.cols;
            return { offset: seg.offsets[k]!, values: states[k]!.subarray(b * n, (b + 1) * n) };
          }),
        c.start,
      );
      this.ctx.device.queue.writeBuffer(c.buffers.states!, 0, words);
    }
  }

  async failures(): Promise<Int32Array> {
    this.usable("failures");
    const data = await readBuffers(
      this.ctx,
      `${fn}.failures`,
      this.chunks.map((c) => ({ buffer: c.buffers.status!, bytes: 8 * c.size })),
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
    for (const c of this.chunks) for (const b of Object.values(c.buffers)) b.destroy();
  }
}
