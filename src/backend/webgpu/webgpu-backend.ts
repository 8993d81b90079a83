/**
 * The WebGPU backend: the kernels of src/backend/backend.ts as WGSL compute shaders run by Dawn
 * (the `webgpu` package), in float32. On a machine without a GPU, Dawn runs the same WGSL on
 * Mesa's software Vulkan driver (llvmpipe). It must pass the conformance suite of
 * test/backend/conformance.ts within float32 tolerances; the CPU backend stays the reference.
 */
import { InvalidArgumentError, requireOneOf, requirePositiveInteger } from "../../util/errors.ts";
import type {
  Backend,
  BinaryMap,
  NetworkBatch,
  NetworkInit,
  Reduction,
  StudentTeacherBatch,
  StudentTeacherInit,
  Tensor,
  UnaryMap,
} from "../backend.ts";
import { checkNetworkInit } from "../check-network-init.ts";
import { checkStudentTeacherInit, requireLength, shapeSize } from "../validate.ts";
import type { PlanningLimits } from "./batch-plan.ts";
import { emptyStorageBuffer, readBuffers, storageBuffer } from "./buffers.ts";
import { type AdapterReport, acquireGpu, type GpuContext } from "./device.ts";
import { dispatchGrid } from "./kernels/dispatch.ts";
import { elementwiseOps, elementwiseWgsl, elementwiseWorkgroupSize } from "./kernels/elementwise.wgsl.ts";
import { matmulWgsl, matmulWorkgroupSize } from "./kernels/matmul.wgsl.ts";
import { reduceOps, reduceWgsl, reduceWorkgroupSize } from "./kernels/reduce.wgsl.ts";
import { WebGpuNetworkBatch } from "./network-batch.ts";
import { type PipelineCache, pipelineCache } from "./pipelines.ts";
import { type StudentTeacherKernelChoice, WebGpuStudentTeacherBatch } from "./student-teacher-batch.ts";

/** A tensor in a float32 device buffer (row-major, as every backend). */
export class WebGpuTensor implements Tensor {
  readonly backend = "webgpu";
  constructor(
    readonly shape: readonly number[],
    readonly length: number,
    readonly buffer: GPUBuffer,
  ) {}
}

export interface WebGpuBackendOptions {
  /**
   * Limits below the device's own (never above): to split batches earlier, to keep minibatch
   * intermediates out of workgroup memory, or to exercise both in tests.
   */
  limits?: Partial<PlanningLimits>;
  /** Invocations per workgroup of the fused kernel, a power of two (default 64). */
  workgroupSize?: number;
  /** At most this many SGD steps per dispatch of the fused kernel (default 4096). */
  maxStepsPerDispatch?: number;
  /**
   * The fused kernel's variant: "auto" (default) runs the on-chip one where it fits the device
   * and the streaming one elsewhere; "onchip" refuses shapes that do not fit, naming the limit.
   */
  kernel?: StudentTeacherKernelChoice;
}

function own(fn: string, argument: string, x: Tensor): WebGpuTensor {
  if (!(x instanceof WebGpuTensor)) {
    throw new InvalidArgumentError(fn, argument, "a tensor of the webgpu backend", x.backend);
  }
  return x;
}

/** The float32 WebGPU backend on one device. */
export class WebGpuBackend implements Backend {
  readonly name = "webgpu";
  readonly dtype = "float32";
  private readonly pipelines: PipelineCache;
  private readonly limits: PlanningLimits;
  private readonly workgroupSize: number;
  private readonly maxStepsPerDispatch: number;
  private readonly maxWorkgroupSize: number;
  private readonly kernel: StudentTeacherKernelChoice;
  private placeholder: GPUBuffer | undefined;

  constructor(
    readonly ctx: GpuContext,
    options: WebGpuBackendOptions = {},
  ) {
    this.pipelines = pipelineCache(ctx);
    const device = ctx.limits;
    const cap = (name: keyof PlanningLimits) => {
      const v = options.limits?.[name];
      if (v === undefined) return device[name];
      requirePositiveInteger("webgpuBackend", `limits.${name}`, v);
      return Math.min(v, device[name]);
    };
    this.limits = {
      maxStorageBufferBindingSize: cap("maxStorageBufferBindingSize"),
      maxBufferSize: cap("maxBufferSize"),
      maxComputeWorkgroupsPerDimension: cap("maxComputeWorkgroupsPerDimension"),
      maxComputeWorkgroupStorageSize: cap("maxComputeWorkgroupStorageSize"),
    };
    const wg = options.workgroupSize ?? 64;
    const maxWg = Math.min(device.maxComputeInvocationsPerWorkgroup, device.maxComputeWorkgroupSizeX);
    if (!Number.isInteger(wg) || wg < 1 || wg > maxWg || (wg & (wg - 1)) !== 0) {
      throw new InvalidArgumentError(
        "webgpuBackend",
        "workgroupSize",
        `a power of two at most ${maxWg} (maxComputeInvocationsPerWorkgroup)`,
        wg,
      );
    }
    this.workgroupSize = wg;
    this.maxWorkgroupSize = maxWg;
    this.kernel = requireOneOf("webgpuBackend", "kernel", options.kernel ?? "auto", [
      "auto",
      "onchip",
      "streaming",
    ] as const);
    this.maxStepsPerDispatch = requirePositiveInteger(
      "webgpuBackend",
      "maxStepsPerDispatch",
      options.maxStepsPerDispatch ?? 4096,
    );
  }

  /** What the device is (vendor, architecture, driver). */
  get adapter(): AdapterReport {
    return this.ctx.adapter;
  }

  tensor(data: Float64Array, shape: readonly number[]): Tensor {
    const fn = "WebGpuBackend.tensor";
    this.ctx.check(fn);
    const n = shapeSize(fn, "shape", shape);
    requireLength(fn, "data", data, n);
    return new WebGpuTensor([...shape], n, storageBuffer(this.ctx, Float32Array.from(data), "tensor"));
  }

  async read(x: Tensor): Promise<Float64Array> {
    const t = own("WebGpuBackend.read", "x", x);
    const [data] = await readBuffers(this.ctx, "WebGpuBackend.read", [
      { buffer: t.buffer, bytes: 4 * t.length },
    ]);
    return Float64Array.from(new Float32Array(data!));
  }

  dispose(x: Tensor): void {
    own("WebGpuBackend.dispose", "x", x).buffer.destroy();
  }

  /** Runs `code` once over `invocations` with a fresh uniform block and the given buffers. */
  private run(
    label: string,
    code: string,
    workgroupSize: number,
    invocations: number,
    uniform: ArrayBuffer,
    buffers: GPUBuffer[],
  ): void {
    this.ctx.check(`WebGpuBackend.${label}`);
    const device = this.ctx.device;
    const params = device.createBuffer({
      label: `${label} params`,
      size: Math.ceil(uniform.byteLength / 16) * 16,
      usage: GPUBufferUsage.UNIFORM,
      mappedAtCreation: true,
    });
    new Uint8Array(params.getMappedRange()).set(new Uint8Array(uniform));
    params.unmap();
    const pipeline = this.pipelines.get(label, code);
    const group = this.pipelines.bind(pipeline, label, [params, ...buffers]);
    const [nx, ny] = dispatchGrid(
      invocations,
      workgroupSize,
      this.ctx.limits.maxComputeWorkgroupsPerDimension,
    );
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(nx, ny);
    pass.end();
    device.queue.submit([encoder.finish()]);
    // Destroying after submit is allowed: the buffer lives until the submitted work is done.
    params.destroy();
  }

  matmul(a: Tensor, b: Tensor, options: { transposeA?: boolean; transposeB?: boolean } = {}): Tensor {
    const fn = "WebGpuBackend.matmul";
    const A = own(fn, "a", a);
    const Bt = own(fn, "b", b);
    if (A.shape.length !== 3 || Bt.shape.length !== 3) {
      throw new InvalidArgumentError(fn, "a, b", "rank-3 tensors [batch, rows, columns]", [
        A.shape,
        Bt.shape,
      ]);
    }
    const [ba, ra, ca] = A.shape as [number, number, number];
    const [bb, rb, cb] = Bt.shape as [number, number, number];
    const tA = options.transposeA === true;
    const tB = options.transposeB === true;
    const m = tA ? ca : ra;
    const k = tA ? ra : ca;
    const kb = tB ? cb : rb;
    const n = tB ? rb : cb;
    if (k !== kb) {
      throw new InvalidArgumentError(
        fn,
        "b",
        `an inner dimension of ${k} to match a`,
        kb,
        `shapes ${A.shape} and ${Bt.shape}`,
      );
    }
    if (ba !== bb && ba !== 1 && bb !== 1)
      throw new InvalidArgumentError(fn, "b", `a batch of ${ba} or 1`, bb);
    const batch = Math.max(ba, bb);
    const out = emptyStorageBuffer(this.ctx, 4 * batch * m * n, "matmul");
    const p = new Uint32Array([
      batch,
      m,
      n,
      k,
      ba === 1 ? 0 : ra * ca,
      bb === 1 ? 0 : rb * cb,
      +tA,
      +tB,
      ca,
      cb,
      0,
      0,
    ]);
    this.run("matmul", matmulWgsl, matmulWorkgroupSize, batch * m * n, p.buffer, [A.buffer, Bt.buffer, out]);
    return new WebGpuTensor([batch, m, n], batch * m * n, out);
  }

  /** y = undefined for unary operations (a distinct placeholder is bound: see matmul). */
  private elementwise(
    fn: string,
    x: WebGpuTensor,
    y: WebGpuTensor | undefined,
    op: number,
    alpha = 0,
  ): Tensor {
    const out = emptyStorageBuffer(this.ctx, 4 * x.length, fn);
    this.placeholder ??= emptyStorageBuffer(this.ctx, 4, "placeholder");
    const p = new ArrayBuffer(16);
    new Uint32Array(p).set([x.length, op]);
    new Float32Array(p)[2] = alpha;
    this.run("elementwise", elementwiseWgsl, elementwiseWorkgroupSize, x.length, p, [
      x.buffer,
      y?.buffer ?? this.placeholder,
      out,
    ]);
    return new WebGpuTensor(x.shape, x.length, out);
  }

  map(x: Tensor, f: UnaryMap): Tensor {
    const X = own("WebGpuBackend.map", "x", x);
    const unary: UnaryMap[] = [
      "linear",
      "tanh",
      "relu",
      "linearPrime",
      "tanhPrime",
      "reluPrime",
      "square",
      "negate",
    ];
    requireOneOf("WebGpuBackend.map", "f", f, unary);
    return this.elementwise("map", X, undefined, elementwiseOps[f]);
  }

  combine(a: Tensor, b: Tensor, op: BinaryMap): Tensor {
    const fn = "WebGpuBackend.combine";
    const A = own(fn, "a", a);
    const B = own(fn, "b", b);
    if (A.shape.length !== B.shape.length || A.shape.some((d, i) => d !== B.shape[i])) {
      throw new InvalidArgumentError(fn, "b", `a tensor of shape [${A.shape}]`, `shape [${B.shape}]`);
    }
    requireOneOf(fn, "op", op, ["add", "subtract", "multiply"]);
    return this.elementwise("combine", A, B, elementwiseOps[op]);
  }

  scale(x: Tensor, alpha: number): Tensor {
    const X = own("WebGpuBackend.scale", "x", x);
    if (!Number.isFinite(alpha))
      throw new InvalidArgumentError("WebGpuBackend.scale", "alpha", "a finite number", alpha);
    return this.elementwise("scale", X, undefined, elementwiseOps.scale, alpha);
  }

  reduce(x: Tensor, op: Reduction): Tensor {
    const X = own("WebGpuBackend.reduce", "x", x);
    requireOneOf("WebGpuBackend.reduce", "op", op, ["sum", "sumOfSquares", "max"]);
    const cols = X.shape[X.shape.length - 1]!;
    const rows = X.length / cols;
    const out = emptyStorageBuffer(this.ctx, 4 * rows, "reduce");
    const p = new Uint32Array([rows, cols, reduceOps[op], 0]);
    this.run("reduce", reduceWgsl, reduceWorkgroupSize, rows, p.buffer, [X.buffer, out]);
    return new WebGpuTensor(X.shape.length === 1 ? [1] : X.shape.slice(0, -1), rows, out);
  }

  studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    const checked = checkStudentTeacherInit("WebGpuBackend.studentTeacher", init);
    this.ctx.check("WebGpuBackend.studentTeacher");
    return new WebGpuStudentTeacherBatch(this.ctx, this.pipelines, checked, {
      workgroupSize: this.workgroupSize,
      maxStepsPerDispatch: this.maxStepsPerDispatch,
      limits: this.limits,
      maxWorkgroupSize: this.maxWorkgroupSize,
      kernel: this.kernel,
    });
  }

  /**
   * Uploads a batch of runs of a compiled rule and runs it with WGSL generated from the rule's
   * IR (./network-batch.ts); validates shapes and values first.
   */
  network(init: NetworkInit): NetworkBatch {
    const checked = checkNetworkInit("WebGpuBackend.network", init);
    this.ctx.check("WebGpuBackend.network");
    return new WebGpuNetworkBatch(this.ctx, this.pipelines, checked, {
      workgroupSize: this.workgroupSize,
      maxStepsPerDispatch: this.maxStepsPerDispatch,
      limits: this.limits,
      maxStorageBuffers: this.ctx.limits.maxStorageBuffersPerShaderStage,
    });
  }

  /** Releases the device; the backend cannot be used afterwards. */
  destroy(): void {
    this.ctx.device.destroy();
  }
}

/**
 * A WebGPU backend on a fresh device. Throws GpuUnavailableError (./errors.ts), with the command
 * that installs a driver, when there is no adapter.
 */
export async function webgpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  return new WebGpuBackend(await acquireGpu(), options);
}
