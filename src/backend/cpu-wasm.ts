/**
 * The float64 CPU backend with WebAssembly SIMD kernels: compiled network rules run as modules
 * generated from their IR (wasm-network.ts; bit for bit the CPU interpreter's results), and the
 * hand-written student-teacher update (wasm-student-teacher.ts). The generic tensor kernels are
 * those of the CPU backend.
 */
import type { NetworkBatch, NetworkInit, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { CpuBackend } from "./cpu.ts";
import { WasmNetworkBatch } from "./wasm-network.ts";
import { WasmStudentTeacherBatch } from "./wasm-student-teacher.ts";

export class CpuWasmBackend extends CpuBackend {
  override readonly name: string = "cpu-wasm";

  override studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    return new WasmStudentTeacherBatch(init);
  }

  override network(init: NetworkInit): NetworkBatch {
    return new WasmNetworkBatch(init);
  }
}

/** A new CPU backend with the WebAssembly SIMD student-teacher kernel. */
export function cpuWasmBackend(): CpuWasmBackend {
  return new CpuWasmBackend();
}
