/**
 * The two ways the WebGPU backend can be unavailable: no adapter at all (nothing to run on), and
 * a device that was lost while running (driver reset, device destroyed, out of memory). Both are
 * {@link LearndynError}s so the CLI prints them plainly, and both say what to do next.
 */
import { LearndynError } from "../../util/errors.ts";

/** How to get an adapter on a machine without a GPU (Debian 12). */
export const installHint =
  "install Mesa's Vulkan driver (llvmpipe) from bookworm-backports: add a bookworm-backports apt source, " +
  "then `apt-get install -t bookworm-backports libvulkan1 mesa-vulkan-drivers` " +
  "(the bookworm version is too old for Dawn); on an NVIDIA machine install the NVIDIA Vulkan driver; " +
  "or use --backend cpu";

/** No WebGPU adapter could be obtained. */
export class GpuUnavailableError extends LearndynError {
  override name = "GpuUnavailableError";
  constructor(
    readonly fn: string,
    readonly reason: string,
  ) {
    super(`${fn}: no WebGPU adapter (${reason}); ${installHint}`);
  }
}

/**
 * The device was lost. `reason` is WebGPU's GPUDeviceLostReason ("destroyed" or "unknown") and
 * `message` the driver's text. Work that was queued on the device is gone; a caller resumes on
 * another backend (see src/backend/fallback.ts).
 */
export class DeviceLostError extends LearndynError {
  override name = "DeviceLostError";
  constructor(
    readonly fn: string,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(
      `${fn}: the WebGPU device was lost (reason "${reason}": ${detail || "no message"}); resume on --backend cpu`,
    );
  }
}

/** The device rejected a command (a WGSL compile error or a validation error): a bug, reported as is. */
export class GpuValidationError extends LearndynError {
  override name = "GpuValidationError";
  constructor(
    readonly fn: string,
    readonly detail: string,
  ) {
    super(`${fn}: the WebGPU device rejected a command: ${detail}`);
  }
}
