/**
 * Row blocking of the generated WebAssembly kernels (src/backend/wasm-codegen/emit-kernel.ts):
 * ms per epoch of one run of seed 001's protocol (rules/curl-descent.rule at M = N = 110, P = 250,
 * S = 10, alphaH = 0.3, linear, no Lyapunov twin) on cpu-wasm at several accumulator budgets
 * (0: one row per block), per dtype. The variants alternate within one process, round after
 * round, so that load from other work falls on all alike; medians of process CPU time per epoch
 * over the rounds, and each variant relative to budget 0. Pin it (`taskset -c 0`) for one core.
 *
 *   npx tsx bench/row-blocking.ts [--quick] [--out FILE]
 */
import { loadavg } from "node:os";
import { WasmNetworkBatch } from "../src/backend/wasm-network.ts";
import { compileModel, drawRuns } from "../src/ir/model.ts";
import { builtinNetworkRule } from "../src/rules/network/builtin-network-rules.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";

const argv = process.argv;
const quick = argv.includes("--quick");
const out = argv.includes("--out") ? argv[argv.indexOf("--out") + 1] : undefined;
const rounds = quick ? 3 : 12;
const epochs = quick ? 20 : 100;
const budgets = { float64: [0, 10, 15], float32: [0, 6, 9] } as const;

const model = compileModel(builtinNetworkRule("curl-descent"), { sizes: { M: 110, N: 110, S: 10 } });
const runs = drawRuns(model, [{ seed: 1, params: { alphaH: 0.3 } }]);
const loadBefore = loadavg();
const results: Record<string, Record<string, { cpuMs: number; relative: number; samples: number[] }>> = {};
for (const [dtype, list] of Object.entries(budgets) as [keyof typeof budgets, readonly number[]][]) {
  const samples = new Map<number, number[]>(list.map((a) => [a, []]));
  for (let round = 0; round < rounds; round++) {
    for (const accumulators of list) {
      const batch = new WasmNetworkBatch({ rule: model.compiled, runs }, { dtype, accumulators });
      batch.advance(1);
      const c0 = process.cpuUsage();
      batch.advance(epochs);
      const c = process.cpuUsage(c0);
      samples.get(accumulators)!.push((c.user + c.system) / 1000 / epochs);
    }
  }
  const base = median(samples.get(0)!);
  results[dtype] = Object.fromEntries(
    list.map((a) => {
      const s = samples.get(a)!;
      return [String(a), { cpuMs: median(s), relative: median(s) / base, samples: s }];
    }),
  );
}
const report = {
  bench: "row-blocking",
  description:
    "cpu-wasm compiled, seed 001's protocol at M = N = 110, S = 10: median process CPU ms per epoch by accumulator budget (0: one row per block), relative to 0",
  loadAverage: { before: loadBefore, after: loadavg() },
  rounds,
  epochs,
  results,
};
if (out) writeJson(out, report);
process.stdout.write(`${toJson(report)}\n`);
