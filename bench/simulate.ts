/**
 * Speed of the student-teacher simulation (seed 001 section 5) on the CPU backends, printed as
 * JSON: steps per second against M, N and the minibatch size; the paper's protocol at
 * M = N = 110 (batch 10, 25 steps per epoch) timed per epoch, for one run and per run in a batch
 * on all cores; and, where python3 with NumPy is present, the tight NumPy loop of
 * bench/student_teacher_numpy.py (one vectorized step per minibatch, one BLAS thread) run in the
 * same bench as the baseline, reported as ratios (> 1: faster than NumPy).
 *
 * Single runs are timed both by the wall clock and by the process's CPU time (user + system),
 * because on a machine shared with other work the CPU time is the fairer measure of one core;
 * batches on several threads are timed by the wall clock per run.
 *
 *   npx tsx bench/simulate.ts [--quick] [--out FILE]
 *
 * Every time is the median of repeated runs.
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Backend } from "../src/backend/backend.ts";
import { cpuBackend } from "../src/backend/cpu.ts";
import { cpuThreadsBackend } from "../src/backend/cpu-threads.ts";
import { cpuWasmBackend } from "../src/backend/cpu-wasm.ts";
import { drawMember, packBatch, paperSpec, type StudentTeacherSpec } from "../src/sim/student-teacher.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";

const quick = process.argv.includes("--quick");
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const repeats = quick ? 3 : 5;

/** Median wall and CPU seconds per epoch of `runs` simulations batched on a backend. */
async function timePerEpoch(backend: Backend, spec: StudentTeacherSpec, runs: number, epochs: number) {
  const members = Array.from({ length: runs }, (_, k) => drawMember({ ...spec, seed: k }));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const batch = backend.studentTeacher(packBatch(spec, members));
    batch.advance(1);
    await batch.failures(); // waits for the warm-up epoch on asynchronous backends
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    batch.advance(epochs);
    await batch.failures();
    wall.push((performance.now() - t0) / 1000 / epochs);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6 / epochs);
    batch.dispose();
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function numpyBaseline(M: number, N: number, batch: number, epochs: number) {
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const args = [
    "bench/student_teacher_numpy.py",
    String(M),
    String(N),
    String(batch),
    String(epochs),
    String(repeats),
  ];
  const r = spawnSync("python3", args, { env, encoding: "utf8" });
  if (r.error || r.status !== 0) {
    return {
      available: false as const,
      note: `python3 with numpy not usable here: ${r.error?.message ?? r.stderr.trim()}`,
    };
  }
  return {
    available: true as const,
    ...(JSON.parse(r.stdout) as { secondsPerEpoch: number; cpuSecondsPerEpoch: number; numpy: string }),
  };
}

const threads = availableParallelism();
const backends = { cpu: cpuBackend(), "cpu-wasm": cpuWasmBackend() };
const stepsPerEpoch = (s: StudentTeacherSpec) => s.trainCount / s.batchSize;
const epochs = quick ? 10 : 30;

const scaling: Array<Record<string, number | string>> = [];
for (const [M, N, batch] of [
  [27, 110, 10],
  [55, 110, 10],
  [110, 110, 10],
  [220, 110, 10],
  [110, 27, 10],
  [110, 55, 10],
  [110, 220, 10],
  [110, 110, 1],
  [110, 110, 5],
  [110, 110, 25],
  [110, 110, 50],
  [110, 110, 250],
] as const) {
  const spec = paperSpec(M, N, { batchSize: batch, rule: "curl-descent", alphaH: 0.3 });
  for (const [name, backend] of Object.entries(backends)) {
    const t = await timePerEpoch(backend, spec, 1, epochs);
    scaling.push({
      backend: name,
      M,
      N,
      batch,
      cpuSecondsPerEpoch: t.cpu,
      stepsPerCpuSecond: stepsPerEpoch(spec) / t.cpu,
      stepsPerSecond: stepsPerEpoch(spec) / t.wall,
    });
  }
}

const protocol = paperSpec(110, 110, { batchSize: 10, rule: "curl-descent", alphaH: 0.3 });
const protocolEpochs = quick ? 20 : 100;
const single: Record<string, { wall: number; cpu: number }> = {};
for (const [name, backend] of Object.entries(backends)) {
  single[name] = await timePerEpoch(backend, protocol, 1, protocolEpochs);
  single[`${name} (tanh)`] = await timePerEpoch(
    backend,
    { ...protocol, activation: "tanh" },
    1,
    protocolEpochs,
  );
}
const batchRuns = 2 * threads;
const batchSequential = await timePerEpoch(backends["cpu-wasm"], protocol, batchRuns, protocolEpochs / 2);
const batchThreaded = await timePerEpoch(cpuThreadsBackend(threads), protocol, batchRuns, protocolEpochs / 2);
const numpy = numpyBaseline(110, 110, 10, protocolEpochs);
const ratio = (numpySeconds: number | undefined, x: number) =>
  numpySeconds === undefined ? null : numpySeconds / x;
const npWall = numpy.available ? numpy.secondsPerEpoch : undefined;
const npCpu = numpy.available ? numpy.cpuSecondsPerEpoch : undefined;

const report = {
  bench: "simulate",
  node: process.version,
  cores: threads,
  repeats,
  loadAverage: (await import("node:os")).loadavg(),
  scaling,
  protocol: {
    description:
      "seed 001 section 5: M = N = 110, nTrain 250, batch 10 (25 steps per epoch), curl descent, float64",
    epochsTimed: protocolEpochs,
    singleRunSecondsPerEpoch: single,
    batch: {
      runs: batchRuns,
      threads,
      sequentialWasmWallSecondsPerEpochPerRun: batchSequential.wall / batchRuns,
      threadedWasmWallSecondsPerEpochPerRun: batchThreaded.wall / batchRuns,
      // All threads of the process: the work per run; wall < CPU shows cores working in parallel.
      threadedWasmCpuSecondsPerEpochPerRun: batchThreaded.cpu / batchRuns,
      parallelism: batchThreaded.cpu / batchThreaded.wall,
    },
    hoursPer1e5EpochRun: (single["cpu-wasm"]!.cpu * 1e5) / 3600,
    numpy,
    speedupOverNumpy: {
      singleRunCpuTime: {
        cpu: ratio(npCpu, single.cpu!.cpu),
        "cpu-wasm": ratio(npCpu, single["cpu-wasm"]!.cpu),
      },
      singleRunWallTime: {
        cpu: ratio(npWall, single.cpu!.wall),
        "cpu-wasm": ratio(npWall, single["cpu-wasm"]!.wall),
      },
      batchPerRunThreadedWallVsNumpyCpu: ratio(npCpu, batchThreaded.wall / batchRuns),
      batchPerRunThreadedWallVsNumpyWall: ratio(npWall, batchThreaded.wall / batchRuns),
    },
    publishedCodeSecondsPerEpoch: 0.45,
    speedupOverPublishedCode: 0.45 / single["cpu-wasm"]!.cpu,
  },
  memory: process.memoryUsage(),
};
if (outFile) writeJson(outFile, report);
process.stdout.write(`${toJson(report)}\n`);
