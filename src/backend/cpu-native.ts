/**
 * The CPU backend with native kernels: compiled network rules run as C generated from their IR
 * (src/backend/native/: the same kernel list as cpu-wasm's WebAssembly, at the full vector width
 * of this CPU, compiled with the system C compiler and loaded as a Node-API addon). In float64
 * the results are bit for bit the CPU interpreter's; `dtype: "float32"` computes the same
 * operations in float32, as cpu-wasm's float32 mode. Everything else is cpu-wasm's: the fused
 * student-teacher kernel (float64 only) and the generic tensor kernels.
 *
 * Making the backend checks that a C compiler and the Node-API headers are present: without
 * them it throws NativeUnavailableError (the backend is unavailable here, e.g. to `--backend auto`).
 */
import type { NetworkBatch, NetworkInit } from "./backend.ts";
import { CpuWasmBackend, type CpuWasmOptions } from "./cpu-wasm.ts";
import { nativeToolchain } from "./native/native-compiler.ts";
import { NativeNetworkBatch } from "./native/native-network.ts";

/** Element type of compiled network rules (default float64), as for cpu-wasm. */
export type CpuNativeOptions = CpuWasmOptions;

export class CpuNativeBackend extends CpuWasmBackend {
  override readonly name: string = "cpu-native";

  constructor(options: CpuNativeOptions = {}) {
    super(options);
    nativeToolchain();
  }

  override network(init: NetworkInit): NetworkBatch {
    return new NativeNetworkBatch(init, { dtype: this.dtype });
  }
}

/** A new CPU backend with native kernels (float64 unless `options.dtype` says float32). */
export function cpuNativeBackend(options: CpuNativeOptions = {}): CpuNativeBackend {
  return new CpuNativeBackend(options);
}
