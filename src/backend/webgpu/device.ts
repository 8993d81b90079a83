/**
 * Acquiring a WebGPU device through Dawn's Node bindings (the `webgpu` package), with the
 * adapter's own limits rather than WebGPU's small defaults, a report of what it is (vendor,
 * architecture, driver), and the device-lost promise turned into a flag that every later call
 * checks.
 */
import { DeviceLostError, GpuUnavailableError, GpuValidationError } from "./errors.ts";

/** What the adapter says about itself; `software` is true for CPU emulation such as llvmpipe. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  /** The driver's description, e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)". */
  description: string;
  software: boolean;
}

/** The limits the backend plans with (bytes, counts). */
export interface DeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupsPerDimension: number;
  maxStorageBuffersPerShaderStage: number;
}

/** A live device with its report, limits and loss state. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterReport;
  readonly limits: DeviceLimits;
  /** The loss, once it happened (reason and driver message); undefined while the device lives. */
  readonly lost: GPUDeviceLostInfo | undefined;
  /** The first uncaptured validation error, if any (a bug in a kernel or in the host code). */
  readonly validationError: string | undefined;
  /** Throws {@link DeviceLostError} or {@link GpuValidationError} if either has happened. */
  check(fn: string): void;
}

const limitNames: (keyof DeviceLimits)[] = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBuffersPerShaderStage",
];

let globalsInstalled = false;

/**
 * Requests a high-performance adapter and a device with the adapter's limits for buffers and
 * workgroups. Throws {@link GpuUnavailableError} (with the driver install command) when there is
 * no adapter or the device request fails.
 */
export async function acquireGpu(): Promise<GpuContext> {
  // Loaded on demand, so that CPU-only use never loads Dawn's native binary.
  let dawn: typeof import("webgpu");
  try {
    dawn = await import("webgpu");
  } catch (e) {
    throw new GpuUnavailableError(
      "acquireGpu",
      `the webgpu package could not load Dawn: ${(e as Error).message}`,
    );
  }
  if (!globalsInstalled) {
    // Dawn's classes (GPUBufferUsage, GPUMapMode, ...) are globals in a browser; install them once.
    Object.assign(globalThis, dawn.globals);
    globalsInstalled = true;
  }
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter)
    throw new GpuUnavailableError("acquireGpu", "requestAdapter returned null: no Vulkan driver found");
  const requiredLimits: Record<string, number> = {};
  for (const name of limitNames) requiredLimits[name] = adapter.limits[name];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits });
  } catch (e) {
    throw new GpuUnavailableError("acquireGpu", `requestDevice failed: ${(e as Error).message}`);
  }
  const info = adapter.info;
  const report: AdapterReport = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: info.architecture === "software" || /llvmpipe|lavapipe|swiftshader/i.test(info.description),
  };
  const limits = {} as DeviceLimits;
  for (const name of limitNames) limits[name] = device.limits[name];
  return new LiveContext(gpu, adapter, device, report, limits);
}

class LiveContext implements GpuContext {
  lost: GPUDeviceLostInfo | undefined;
  validationError: string | undefined;
  constructor(
    // Dawn's instance and adapter must outlive the device: if they are garbage collected, the
    // native instance is torn down under the live device and the process crashes.
    readonly gpu: GPU,
    readonly gpuAdapter: GPUAdapter,
    readonly device: GPUDevice,
    readonly adapter: AdapterReport,
    readonly limits: DeviceLimits,
  ) {
    device.lost.then((info) => {
      this.lost = info;
    });
    device.addEventListener("uncapturederror", (event) => {
      this.validationError ??= (event as GPUUncapturedErrorEvent).error.message;
    });
  }

  check(fn: string): void {
    if (this.lost) throw new DeviceLostError(fn, this.lost.reason, this.lost.message);
    if (this.validationError) throw new GpuValidationError(fn, this.validationError);
  }
}

/** A one-line description for logs and bench output. */
export function describeAdapter(a: AdapterReport): string {
  return `${a.vendor || "unknown vendor"} ${a.architecture || ""} ${a.device || ""} — ${a.description}`
    .replace(/\s+/g, " ")
    .trim();
}
