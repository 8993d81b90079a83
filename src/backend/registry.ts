/**
 * Backends by name, so that a command or a sweep can choose one with a string option while the
 * code below them receives a {@link Backend} value. Adding a backend is one line in `factories`.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { Backend } from "./backend.ts";
import { cpuBackend } from "./cpu.ts";
import { cpuThreadsBackend } from "./cpu-threads.ts";
import { cpuWasmBackend } from "./cpu-wasm.ts";

const factories: Record<string, () => Backend | Promise<Backend>> = {
  cpu: cpuBackend,
  "cpu-wasm": cpuWasmBackend,
  "cpu-threads": () => cpuThreadsBackend(),
};

/** Names of the registered backends. */
export function backendNames(): string[] {
  return Object.keys(factories);
}

/** The backend registered under `name`; an unknown name is refused with the list of known ones. */
export async function backendByName(name: string): Promise<Backend> {
  const make = factories[name];
  if (make === undefined) {
    throw new InvalidArgumentError("backendByName", "name", `one of ${backendNames().join(", ")}`, name);
  }
  return make();
}
