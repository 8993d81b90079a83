/**
 * Compute pipelines compiled once per WGSL source and reused (the fused kernel is generated per
 * network shape, so a sweep over one shape compiles it once). Bind group layouts are derived
 * from the shader ("auto"). One cache per device, shared by every backend object on it.
 */
import type { GpuContext } from "./device.ts";

export class PipelineCache {
  private readonly cache = new Map<string, GPUComputePipeline>();
  constructor(private readonly ctx: GpuContext) {}

  /** The pipeline of `code` (entry point `main`). */
  get(label: string, code: string): GPUComputePipeline {
    let pipeline = this.cache.get(code);
    if (!pipeline) {
      const module = this.ctx.device.createShaderModule({ label, code });
      pipeline = this.ctx.device.createComputePipeline({
        label,
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
      this.cache.set(code, pipeline);
    }
    return pipeline;
  }

  /** A bind group for group 0 of `pipeline` with `buffers` at bindings 0, 1, 2, ... */
  bind(pipeline: GPUComputePipeline, label: string, buffers: GPUBuffer[]): GPUBindGroup {
    return this.ctx.device.createBindGroup({
      label,
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }
}

const caches = new WeakMap<GpuContext, PipelineCache>();

/** The pipeline cache of a device. */
export function pipelineCache(ctx: GpuContext): PipelineCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new PipelineCache(ctx);
    caches.set(ctx, cache);
  }
  return cache;
}
