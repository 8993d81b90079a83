/**
 * The worker side of the threaded CPU backend: holds one block of a batch (student-teacher, or
 * a compiled network rule) on the TypeScript or the WebAssembly kernels and answers the
 * messages of src/backend/cpu-threads-pool.ts in the order they arrive.
 */
import { parentPort } from "node:worker_threads";
import type { NetworkBatch, NetworkInit, StudentTeacherBatch, StudentTeacherInit } from "./backend.ts";
import { CpuNetworkBatch } from "./cpu-network.ts";
import { CpuStudentTeacherBatch } from "./cpu-student-teacher.ts";
import type { ThreadKernel } from "./cpu-threads.ts";
import { NativeNetworkBatch } from "./native/native-network.ts";
import type { Dtype } from "./wasm-codegen/element.ts";
import { WasmNetworkBatch } from "./wasm-network.ts";
import { WasmStudentTeacherBatch } from "./wasm-student-teacher.ts";

export type WorkerQuestion = "errors" | "readWeights" | "readStates" | "failures";

export type WorkerRequest =
  | { type: "init"; init: StudentTeacherInit; kernel: ThreadKernel }
  | { type: "network"; init: NetworkInit; kernel: ThreadKernel; dtype: Dtype }
  | { type: "advance"; epochs: number }
  | { type: "writeWeights"; w1: Float64Array; w2: Float64Array }
  | { type: "writeStates"; states: Float64Array[] }
  | { type: WorkerQuestion; id: number };

let teacher: StudentTeacherBatch | undefined;
let network: NetworkBatch | undefined;
const port = parentPort!;

function batch(): StudentTeacherBatch | NetworkBatch {
  const b = teacher ?? network;
  if (!b) throw new Error("cpu-threads worker: no batch was started");
  return b;
}

port.on("message", async (m: WorkerRequest) => {
  try {
    switch (m.type) {
      case "init":
        // The fused kernel's fastest form is the WebAssembly one (native has none of its own).
        teacher =
          m.kernel === "ts" ? new CpuStudentTeacherBatch(m.init) : new WasmStudentTeacherBatch(m.init);
        break;
      case "network":
        network =
          m.kernel === "native"
            ? new NativeNetworkBatch(m.init, { dtype: m.dtype })
            : m.kernel === "wasm"
              ? new WasmNetworkBatch(m.init, { dtype: m.dtype })
              : new CpuNetworkBatch(m.init);
        break;
      case "advance":
        batch().advance(m.epochs);
        break;
      case "writeWeights":
        teacher!.writeWeights(m.w1, m.w2);
        break;
      case "writeStates":
        network!.writeStates(m.states);
        break;
      case "errors":
        port.postMessage({ id: m.id, value: await batch().errors() });
        break;
      case "failures":
        port.postMessage({ id: m.id, value: await batch().failures() });
        break;
      case "readWeights":
        port.postMessage({ id: m.id, value: await teacher!.readWeights() });
        break;
      case "readStates":
        port.postMessage({ id: m.id, value: await network!.readStates() });
        break;
    }
  } catch (e) {
    port.postMessage({ id: "id" in m ? m.id : -1, error: String((e as Error).stack ?? e) });
  }
});
