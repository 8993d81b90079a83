/**
 * One compute pass of a batch split into chunks (batch-plan.ts): the same pipeline over every
 * chunk's bind group, one workgroup per member. The caller submits the encoder (or reads buffers
 * after it), so several passes and copies can share one submission.
 */
export function encodeChunkPass(
  encoder: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  chunks: readonly { readonly group: GPUBindGroup; readonly members: number }[],
): void {
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  for (const chunk of chunks) {
    pass.setBindGroup(0, chunk.group);
    pass.dispatchWorkgroups(chunk.members);
  }
  pass.end();
}
