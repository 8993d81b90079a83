/**
 * Web Worker: one run of seed 001's curl descent (rules/curl-descent.rule, compiled to the IR and
 * run by the float64 reference interpreter, the same code as `learndyn simulate --backend cpu`),
 * posting the train and test errors after every epoch so the page draws the run as it goes.
 */
import curlDescent from "../rules/curl-descent.rule";
import { CpuNetworkBatch } from "../src/backend/cpu-network.ts";
import { drawRuns } from "../src/ir/model.ts";
import { parseNetworkRule } from "../src/rules/network/parse-network-rule.ts";
import { ModelCache } from "../src/sim/rule-run.ts";

/** What the page asks for: the point, the total size M + N, epochs and seed. */
export interface SimulationRequest {
  c: number;
  alphaH: number;
  alphaR: number;
  total: number;
  epochs: number;
  seed: number;
}

/** What the worker posts: sizes first, then one message per epoch, then done or an error. */
export type SimulationMessage =
  | { kind: "start"; M: number; N: number }
  | { kind: "epoch"; epoch: number; train: number; test: number }
  | { kind: "done"; failedAtEpoch: number | null }
  | { kind: "error"; message: string };

const post = (m: SimulationMessage) => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(m);
const cache = new ModelCache(parseNetworkRule(curlDescent, "rules/curl-descent.rule"));

globalThis.addEventListener("message", (event) => {
  const r = (event as MessageEvent<SimulationRequest>).data;
  try {
    // c = M/N at a fixed total M + N (seed 001, section 5), each layer at least one unit.
    const M = Math.min(r.total - 1, Math.max(1, Math.round((r.c * r.total) / (1 + r.c))));
    const N = r.total - M;
    const run = cache.run({ M, N, alphaH: r.alphaH, alphaR: r.alphaR }, r.seed);
    const batch = new CpuNetworkBatch({ rule: run.model.compiled, runs: drawRuns(run.model, [run]) });
    post({ kind: "start", M, N });
    const loop = async () => {
      for (let t = 1; t <= r.epochs; t++) {
        batch.advance(1);
        const e = await batch.errors();
        post({ kind: "epoch", epoch: t, train: e.train[0]!, test: e.test[0]! });
      }
      const failed = (await batch.failures())[0]!;
      batch.dispose();
      post({ kind: "done", failedAtEpoch: failed >= 0 ? failed : null });
    };
    loop().catch((e: unknown) => post({ kind: "error", message: String(e) }));
  } catch (e) {
    post({ kind: "error", message: e instanceof Error ? e.message : String(e) });
  }
});
