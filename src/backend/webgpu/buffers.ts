/**
 * Device buffers: creation from host arrays (float64 rounded to float32 on the way), uniform
 * blocks, and read-back through a mappable staging copy. A read that fails because the device
 * was lost is reported as a DeviceLostError (./errors.ts).
 */
import type { GpuContext } from "./device.ts";

const storageUsage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Rounds to 4-byte multiples of at least 4 bytes (WebGPU refuses empty bindings). */
function paddedBytes(bytes: number): number {
  return Math.max(4, Math.ceil(bytes / 4) * 4);
}

/** A storage buffer holding `data` (float64 values rounded to float32, or u32 as they are). */
export function storageBuffer(ctx: GpuContext, data: Float32Array | Uint32Array, label: string): GPUBuffer {
  const buffer = ctx.device.createBuffer({
    label,
    size: paddedBytes(data.byteLength),
    usage: storageUsage(),
    mappedAtCreation: true,
  });
  const view =
    data instanceof Float32Array
      ? new Float32Array(buffer.getMappedRange())
      : new Uint32Array(buffer.getMappedRange());
  view.set(data);
  buffer.unmap();
  return buffer;
}

/** An uninitialized (zeroed) storage buffer of `bytes`. */
export function emptyStorageBuffer(ctx: GpuContext, bytes: number, label: string): GPUBuffer {
  return ctx.device.createBuffer({ label, size: paddedBytes(bytes), usage: storageUsage() });
}

/** A uniform buffer of `bytes`, written later with queue.writeBuffer. */
export function uniformBuffer(ctx: GpuContext, bytes: number, label: string): GPUBuffer {
  return ctx.device.createBuffer({
    label,
    size: Math.ceil(bytes / 16) * 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
}

/**
 * Copies `sources` (whole buffers or their first `bytes`) to one staging buffer after the work in
 * `encoder` (if given), submits, maps, and returns a copy of each range.
 */
export async function readBuffers(
  ctx: GpuContext,
  fn: string,
  sources: { buffer: GPUBuffer; bytes: number }[],
  encoder: GPUCommandEncoder = ctx.device.createCommandEncoder(),
): Promise<ArrayBuffer[]> {
  ctx.check(fn);
  const offsets: number[] = [];
  let total = 0;
  for (const s of sources) {
    offsets.push(total);
    total += Math.ceil(s.bytes / 4) * 4;
  }
  const staging = ctx.device.createBuffer({
    label: `${fn} staging`,
    size: Math.max(4, total),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  sources.forEach((s, k) => {
    encoder.copyBufferToBuffer(s.buffer, 0, staging, offsets[k]!, Math.ceil(s.bytes / 4) * 4);
  });
  ctx.device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
  } catch (e) {
    staging.destroy();
    await lossSettled(ctx);
    ctx.check(fn);
    throw e;
  }
  const mapped = staging.getMappedRange();
  const out = sources.map((s, k) => mapped.slice(offsets[k]!, offsets[k]! + s.bytes));
  staging.unmap();
  staging.destroy();
  // A loss while the copy was in flight can still resolve the map with stale contents.
  ctx.check(fn);
  return out;
}

/** Waits briefly for device.lost to settle after a failed map, so the loss is what gets reported. */
async function lossSettled(ctx: GpuContext): Promise<void> {
  if (ctx.lost) return;
  await Promise.race([ctx.device.lost, new Promise((resolve) => setTimeout(resolve, 500))]);
}
