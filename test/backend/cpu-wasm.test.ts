import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cpuWasmBackend } from "../../src/backend/cpu-wasm.ts";
import { backendConformance } from "./conformance.ts";
import { networkConformance } from "./network-conformance.ts";

// float64 like the cpu backend, with sums split over two SIMD lanes: the same rounding argument
// and tolerance as the cpu backend apply.
backendConformance("cpu-wasm", () => cpuWasmBackend(), { relative: 1e-11 });

// Compiled rules run as modules generated from their IR, which evaluate every float64 operation
// in the IR's order (vectors only across independent entries): the interpreter's bits.
networkConformance("cpu-wasm", () => cpuWasmBackend(), { exact: true });

describe("committed WebAssembly kernel", () => {
  it("is what the AssemblyScript source compiles to (npm run build:wasm)", () => {
    const out = join(mkdtempSync(join(tmpdir(), "learndyn-wasm-")), "kernel.wasm");
    const asc = fileURLToPath(new URL("../../node_modules/assemblyscript/bin/asc.js", import.meta.url));
    const source = fileURLToPath(new URL("../../assembly/student-teacher.ts", import.meta.url));
    const flags = ["-O3", "--enable", "simd", "--noAssert", "--runtime", "stub", "--initialMemory", "1"];
    execFileSync(process.execPath, [asc, source, ...flags, "-o", out]);
    const committed = readFileSync(new URL("../../src/backend/wasm/student-teacher.wasm", import.meta.url));
    expect(Buffer.compare(readFileSync(out), committed)).toBe(0);
  });
});
