/**
 * The worker side of the threaded CPU backend: holds one student-teacher batch (TypeScript or
 * WebAssembly kernel) and answers the
 * messages of src/backend/cpu-threads.ts in the order they arrive.
 */
import { parentPort } from "node:worker_threads";
import type { StudentTeacherInit } from "./backend.ts";
import { CpuStudentTeacherBatch } from "./cpu-student-teacher.ts";
import { WasmStudentTeacherBatch } from "./wasm-student-teacher.ts";

export type WorkerRequest =
  | { type: "init"; init: StudentTeacherInit; kernel: "ts" | "wasm" }
  | { type: "advance"; epochs: number }
  | { type: "writeWeights"; w1: Float64Array; w2: Float64Array }
  | { type: "errors" | "readWeights" | "failures"; id: number };

let batch: CpuStudentTeacherBatch | WasmStudentTeacherBatch | undefined;
const port = parentPort!;

port.on("message", async (m: WorkerRequest) => {
  try {
    if (m.type === "init") {
      batch = m.kernel === "wasm" ? new WasmStudentTeacherBatch(m.init) : new CpuStudentTeacherBatch(m.init);
    } else if (m.type === "advance") batch!.advance(m.epochs);
    else if (m.type === "writeWeights") batch!.writeWeights(m.w1, m.w2);
    else if (m.type === "errors") port.postMessage({ id: m.id, value: await batch!.errors() });
    else if (m.type === "readWeights") port.postMessage({ id: m.id, value: await batch!.readWeights() });
    else if (m.type === "failures") port.postMessage({ id: m.id, value: await batch!.failures() });
  } catch (e) {
    port.postMessage({ id: "id" in m ? m.id : -1, error: String((e as Error).stack ?? e) });
  }
});
