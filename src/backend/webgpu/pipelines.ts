/**
 * Compute pipelines compiled once per WGSL source and reused (the fused kernel is generated per
 * network shape, so a sweep over one shape compiles it once). Bind group layouts are derived
 * from the shader ("auto").
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
