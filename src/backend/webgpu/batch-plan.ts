/**
 * Splitting a batch of simulations into chunks that respect the device's limits: every buffer of
 * a chunk holds `members * bytesPerMember` bytes, which must fit in maxStorageBufferBindingSize
 * and maxBufferSize, and a chunk is dispatched as one workgroup per member, at most
 * maxComputeWorkgroupsPerDimension. A member that alone exceeds a buffer limit cannot be split
 * and is refused, naming the buffer, its size and the limit.
 */
import { BoundExceededError } from "../../util/errors.ts";

export interface ChunkLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** The limits a batch is planned with: chunking, and the workgroup memory for intermediates. */
export interface PlanningLimits extends ChunkLimits {
  maxComputeWorkgroupStorageSize: number;
}

/**
 * Chunk sizes (members per chunk, in order, summing to `size`) for buffers whose per-member
 * bytes are given by name. Throws {@link BoundExceededError} when one member does not fit.
 */
export function planChunks(
  fn: string,
  size: number,
  bytesPerMember: Record<string, number>,
  limits: ChunkLimits,
): number[] {
  const bindingLimit = limits.maxStorageBufferBindingSize;
  const bufferLimit = limits.maxBufferSize;
  let perChunk = limits.maxComputeWorkgroupsPerDimension;
  for (const [name, bytes] of Object.entries(bytesPerMember)) {
    if (bytes > bindingLimit) {
      throw new BoundExceededError(
        fn,
        "maxStorageBufferBindingSize (bytes of one simulation's buffer)",
        bindingLimit,
        `${bytes} bytes for ${name}`,
        "this device cannot hold one simulation of this size; reduce the data set or the network, or use --backend cpu",
      );
    }
    if (bytes > bufferLimit) {
      throw new BoundExceededError(
        fn,
        "maxBufferSize (bytes of one simulation's buffer)",
        bufferLimit,
        `${bytes} bytes for ${name}`,
        "this device cannot hold one simulation of this size; reduce the data set or the network, or use --backend cpu",
      );
    }
    if (bytes > 0) perChunk = Math.min(perChunk, Math.floor(Math.min(bindingLimit, bufferLimit) / bytes));
  }
  const chunks: number[] = [];
  for (let start = 0; start < size; start += perChunk) chunks.push(Math.min(perChunk, size - start));
  return chunks;
}
