/**
 * Speed of compiled network rules on the CPU backends, printed as JSON and written to
 * bench/results/network.json (or --out FILE): milliseconds per epoch per run of seed 001's
 * protocol (rules/curl-descent.rule at its default sizes, M = N = 110, P = 250, Q = 100, with
 * minibatch S = 10: 25 steps per epoch) on the compiled path (the rule's IR: the interpreter on
 * cpu, generated WebAssembly on cpu-wasm and cpu-threads) against the hand-written fused
 * student-teacher kernel (startNetwork with fastPath true), both measured in this run, with
 * their ratio; and rules/curl-descent-3.rule at its default sizes with S = 10, compiled only
 * (no fused kernel exists).
 *
 * Single-thread backends (cpu, cpu-wasm, cpu-threads with 1 worker) run in a child process
 * pinned to one core (taskset -c 1) when taskset exists; cpu-threads with 2 workers runs
 * unpinned. Every time is the median of repeated runs (each run: a fresh batch, one warm-up
 * epoch, then the timed epochs); single runs also report the process's CPU time per epoch.
 *
 *   npx tsx bench/network.ts [--quick] [--out FILE]
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import type { Backend } from "../src/backend/backend.ts";
import { cpuBackend } from "../src/backend/cpu.ts";
import { cpuThreadsBackend } from "../src/backend/cpu-threads.ts";
import { cpuWasmBackend } from "../src/backend/cpu-wasm.ts";
import { compiledRuleModule } from "../src/backend/wasm-network.ts";
import { compileModel, type NetworkModel } from "../src/ir/model.ts";
import { builtinNetworkRule } from "../src/rules/network/builtin-network-rules.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { timeNetwork } from "./time-network.ts";

const quick = process.argv.includes("--quick");
const part = process.argv.includes("--single") ? "single" : "all";
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1]! : "bench/results/network.json";
const repeats = quick ? 3 : 7;

const models = {
  "curl-descent": compileModel(builtinNetworkRule("curl-descent"), { sizes: { S: 10 } }),
  "curl-descent (tanh)": compileModel(builtinNetworkRule("curl-descent"), {
    sizes: { S: 10 },
    choices: { phi: "tanh" },
  }),
  "curl-descent-3": compileModel(builtinNetworkRule("curl-descent-3"), { sizes: { S: 10 } }),
};
/** A sign-flipped fraction of the first layer's inputs (speed does not depend on it). */
const params = (model: NetworkModel): Record<string, number> =>
  model.spec.name === "curl-descent" ? { alphaH: 0.3 } : { alpha1: 0.3 };

async function time(backend: Backend, model: NetworkModel, fastPath: boolean, runs: number, epochs: number) {
  return timeNetwork(backend, model, { fastPath, runs, epochs, repeats, params: params(model) });
}

/** Compiled against fused on one backend: times and the ratio compiled / fused (> 1: compiled slower). */
async function compare(backend: Backend, runs: number, epochs: number) {
  const out: Record<string, unknown> = {};
  for (const name of ["curl-descent", "curl-descent (tanh)"] as const) {
    const fused = await time(backend, models[name], true, runs, epochs);
    const compiled = await time(backend, models[name], false, runs, epochs);
    out[name] = {
      fused,
      compiled,
      compiledOverFused: compiled.msPerEpochPerRun / fused.msPerEpochPerRun,
      // On a machine shared with other work the process's CPU time is the fairer measure.
      compiledOverFusedCpuTime: compiled.cpuMsPerEpochPerRun / fused.cpuMsPerEpochPerRun,
    };
  }
  out["curl-descent-3"] = { compiled: await time(backend, models["curl-descent-3"], false, runs, epochs) };
  return out;
}

async function singleThread() {
  return {
    cpu: await compare(cpuBackend(), 1, quick ? 2 : 5),
    "cpu-wasm": await compare(cpuWasmBackend(), 1, quick ? 20 : 100),
    "cpu-threads (1 worker, 2 runs)": await compare(cpuThreadsBackend(1), 2, quick ? 20 : 50),
  };
}

if (part === "single") {
  const results = await singleThread();
  process.stdout.write(`${toJson({ results, memory: process.memoryUsage() })}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  const child = [
    "-c",
    "1",
    process.execPath,
    ...process.execArgv,
    script,
    "--single",
    ...(quick ? ["--quick"] : []),
  ];
  const pinned = spawnSync("taskset", child, { encoding: "utf8", maxBuffer: 1 << 26 });
  const single =
    pinned.status === 0
      ? { pinnedToCore: 1, ...JSON.parse(pinned.stdout) }
      : {
          pinnedToCore: null,
          note: `taskset not usable (${pinned.error?.message ?? pinned.stderr.trim()}): run unpinned`,
          results: await singleThread(),
          memory: process.memoryUsage(),
        };
  const threads = Math.min(2, availableParallelism());
  const report = {
    bench: "network",
    description:
      "ms per epoch per run; seed 001's protocol: rules/curl-descent.rule at M = N = 110, P = 250, Q = 100, S = 10 (25 steps per epoch), alphaH = 0.3 (alpha1 = 0.3 for curl-descent-3); compiled = the rule's IR (interpreter on cpu, generated WebAssembly SIMD on cpu-wasm and cpu-threads), fused = the hand-written student-teacher kernel (startNetwork fastPath); curl-descent-3 at its default sizes (M = 60, N1 = N2 = 40, P = 250) with S = 10, compiled only",
    note: "measured on a machine shared with other work (see loadAverage): rerun on a quiet machine before quoting",
    machine: {
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      memoryBytes: totalmem(),
      node: process.version,
      loadAverage: loadavg(),
    },
    repeats,
    singleThread: single,
    [`cpu-threads (${threads} workers, ${threads} runs)`]: await compare(
      cpuThreadsBackend(threads),
      threads,
      quick ? 20 : 50,
    ),
    wasmMemoryPerRunBytes: Object.fromEntries(
      Object.entries(models).map(([name, m]) => [
        name,
        compiledRuleModule(m.compiled).generated.module.memoryPages * 65536,
      ]),
    ),
    memory: process.memoryUsage(),
    command: `npx tsx bench/network.ts${quick ? " --quick" : ""}`,
  };
  writeJson(outFile, report);
  process.stdout.write(`${toJson(report)}\n`);
}
