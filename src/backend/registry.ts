/**
 * Backends by name, so that a command or a sweep can choose one with a string option while the
 * code below them receives a {@link Backend} value. Adding a backend is one line in `factories`.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { Backend } from "./backend.ts";
import { cpuBackend } from "./cpu.ts";
import { cpuNativeBackend } from "./cpu-native.ts";
import { cpuThreadsBackend } from "./cpu-threads.ts";
import { cpuWasmBackend } from "./cpu-wasm.ts";
import { webgpuBackend } from "./webgpu/webgpu-backend.ts";

/** The element type of values and arithmetic a backend computes in. */
export type Dtype = Backend["dtype"];

const factories: Record<string, (dtype: Dtype | undefined) => Backend | Promise<Backend>> = {
  cpu: () => cpuBackend(),
  "cpu-wasm": (dtype) => cpuWasmBackend(dtype ? { dtype } : {}),
  "cpu-native": (dtype) => cpuNativeBackend(dtype ? { dtype } : {}),
  "cpu-threads": (dtype) => cpuThreadsBackend(undefined, undefined, dtype),
  webgpu: () => webgpuBackend(),
};

/** The dtypes each backend computes in (its default first). */
const DTYPES: Readonly<Record<string, readonly Dtype[]>> = {
  cpu: ["float64"],
  "cpu-wasm": ["float64", "float32"],
  "cpu-native": ["float64", "float32"],
  "cpu-threads": ["float64", "float32"],
  webgpu: ["float32"],
};

/** The dtypes backend `name` computes in, its default first (none for an unknown name). */
export function backendDtypes(name: string): readonly Dtype[] {
  return DTYPES[name] ?? [];
}

/** Names of the registered backends. */
export function backendNames(): string[] {
  return Object.keys(factories);
}

/**
 * The backend registered under `name`, computing in `dtype` (default: the backend's own); an
 * unknown name, or a dtype the backend does not compute in, is refused with what is known.
 */
export async function backendByName(name: string, dtype?: string): Promise<Backend> {
  const make = factories[name];
  if (make === undefined) {
    throw new InvalidArgumentError("backendByName", "name", `one of ${backendNames().join(", ")}`, name);
  }
  const dtypes = DTYPES[name]!;
  if (dtype !== undefined && !dtypes.includes(dtype as Dtype)) {
    throw new InvalidArgumentError(
      "backendByName",
      "dtype",
      `for ${name}, one of ${dtypes.join(", ")}`,
      dtype,
    );
  }
  return make(dtype as Dtype | undefined);
}
