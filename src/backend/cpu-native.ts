/**
 * The CPU backend with native kernels: compiled network rules run as C generated from their IR
 * (src/backend/native/: the same kernel list as cpu-wasm's WebAssembly, at the full vector width
 * of this CPU, compiled with the system C compiler and loaded as a Node-API addon). In float64
 * the results are bit for bit the CPU interpreter's; `dtype: "float32"` computes the same
 * operations in float32, as cpu-wasm's float32 mode. The fused student-teacher kernel is
 * cpu-wasm's (float64 only); the generic tensor kernels are the CPU backend's.
 *
 * Making the backend checks that a C compiler and the Node-API headers are present: without
 * them it throws NativeUnavailableError (the backend is unavailable here, e.g. to `--backend auto`).
 */
import type { NetworkBatch, NetworkInit, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { CpuBackend } from "./cpu.ts";
import { requireFusedDtype } from "./cpu-wasm.ts";
import { nativeToolchain } from "./native/native-compiler.ts";
import { NativeNetworkBatch } from "./native/native-network.ts";
import type { Dtype } from "./wasm-codegen/element.ts";
import { WasmStudentTeacherBatch } from "./wasm-student-teacher.ts";

export interface CpuNativeOptions {
  /** Element type of compiled network rules (default float64). */
  readonly dtype?: Dtype;
}

export class CpuNativeBackend extends CpuBackend {
  override readonly name: string = "cpu-native";
  override readonly dtype: Dtype;

  constructor(options: CpuNativeOptions = {}) {
    super();
    nativeToolchain();
    this.dtype = options.dtype ?? "float64";
  }

  override studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    requireFusedDtype("CpuNativeBackend.studentTeacher", this.dtype);
    return new WasmStudentTeacherBatch(init);
  }

  override network(init: NetworkInit): NetworkBatch {
    return new NativeNetworkBatch(init, { dtype: this.dtype });
  }
}

/** A new CPU backend with native kernels (float64 unless `options.dtype` says float32). */
export function cpuNativeBackend(options: CpuNativeOptions = {}): CpuNativeBackend {
  return new CpuNativeBackend(options);
}
