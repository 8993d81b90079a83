/**
 * The float64 CPU backend with the student-teacher update in WebAssembly SIMD
 * (wasm-student-teacher.ts); the generic kernels are those of the CPU backend.
 */
import type { StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { CpuBackend } from "./cpu.ts";
import { WasmStudentTeacherBatch } from "./wasm-student-teacher.ts";

export class CpuWasmBackend extends CpuBackend {
  override readonly name: string = "cpu-wasm";

  override studentTeacher(init: StudentTeacherInit): StudentTeacherBatch {
    return new WasmStudentTeacherBatch(init);
  }
}

/** A new CPU backend with the WebAssembly SIMD student-teacher kernel. */
export function cpuWasmBackend(): CpuWasmBackend {
  return new CpuWasmBackend();
}
