/**
 * The CPU backend with WebAssembly SIMD kernels: compiled network rules run as modules
 * generated from their IR (wasm-network.ts; in float64 bit for bit the CPU interpreter's
 * results), and the hand-written student-teacher update (wasm-student-teacher.ts). The generic
 * tensor kernels are those of the CPU backend.
 *
 * `dtype: "float32"` runs compiled network rules in float32 (f32x4 vectors over float32 memory,
 * the same operations in the same order); the fused student-teacher kernel exists in float64
 * only and is refused, so the built-in two-layer rules take the compiled path there too.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { NetworkBatch, NetworkInit, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { CpuBackend } from "./cpu.ts";
import type { Dtype } from "./wasm-codegen/element.ts";
import { WasmNetworkBatch } from "./wasm-network.ts";
import { WasmStudentTeacherBatch } from "./wasm-student-teacher.ts";

export interface CpuWasmOptions {
  /** Element type of compiled network rules (default float64). */
  readonly dtype?: Dtype;
}

/** Refuses a dtype other than float64 for the fused student-teacher kernels (float64 only). */
export function requireFusedDtype(fn: string, dtype: Dtype): void {
  if (dtype !== "float64") {
    throw new InvalidArgumentError(
      fn,
      "dtype",
      "float64 (the fused kernel has no float32 form; compiled rules run in float32)",
      dtype,
    );
  }
}

export class CpuWasmBackend extends CpuBackend {
  override readonly name: string = "cpu-wasm";
  override readonly dtype: Dtype;

  constructor(options: CpuWasmOptions = {}) {
    super();
    this.dtype = options.dtype ?? "float64";
  }

  override studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    requireFusedDtype("CpuWasmBackend.studentTeacher", this.dtype);
    return new WasmStudentTeacherBatch(init);
  }

  override network(init: NetworkInit): NetworkBatch {
    return new WasmNetworkBatch(init, { dtype: this.dtype });
  }
}

/** A new CPU backend with WebAssembly SIMD kernels (float64 unless `options.dtype` says float32). */
export function cpuWasmBackend(options: CpuWasmOptions = {}): CpuWasmBackend {
  return new CpuWasmBackend(options);
}
