/**
 * Speed of the student-teacher simulation (seed 001 section 5) on the CPU backends, printed as
 * JSON: steps per second against M, N and the minibatch size; the paper's protocol at
 * M = N = 110 (batch 10, 25 steps per epoch) timed per epoch, for one run and per run in a batch
 * on all cores; and, where python3 with NumPy is present, the tight NumPy loop of
 * bench/student_teacher_numpy.py (one vectorized step per minibatch, one BLAS thread) run in the
 * same process tree as the baseline, reported as ratios (> 1: faster than NumPy).
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
import { drawMember, packBatch, paperSpec, type StudentTeacherSpec } from "../src/sim/student-teacher.ts";
import { toJson, writeJson } from "../src/util/io.ts";

const quick = process.argv.includes("--quick");
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const repeats = quick ? 3 : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median seconds per epoch of `runs` simulations batched on a backend (warm-up excluded). */
async function secondsPerEpoch(backend: Backend, spec: StudentTeacherSpec, runs: number, epochs: number) {
  const members = Array.from({ length: runs }, (_, k) => drawMember({ ...spec, seed: k }));
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const batch = backend.studentTeacher(packBatch(spec, members));
    batch.advance(1);
    await batch.failures(); // waits for the warm-up epoch on asynchronous backends
    const t0 = performance.now();
    batch.advance(epochs);
    await batch.failures();
    times.push((performance.now() - t0) / 1000 / epochs);
    batch.dispose();
  }
  return median(times);
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
      available: false,
      note: `python3 with numpy not usable here: ${r.error?.message ?? r.stderr.trim()}`,
    };
  }
  return { available: true, ...(JSON.parse(r.stdout) as { secondsPerEpoch: number; numpy: string }) };
}

const cpu = cpuBackend();
const threads = availableParallelism();
const multi = cpuThreadsBackend(threads);
const stepsPerEpoch = (s: StudentTeacherSpec) => s.trainCount / s.batchSize;
const epochs = quick ? 10 : 30;

const scaling: Array<Record<string, number>> = [];
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
  const s = await secondsPerEpoch(cpu, spec, 1, epochs);
  scaling.push({ M, N, batch, secondsPerEpoch: s, stepsPerSecond: stepsPerEpoch(spec) / s });
}

const protocol = paperSpec(110, 110, { batchSize: 10, rule: "curl-descent", alphaH: 0.3 });
const protocolEpochs = quick ? 20 : 100;
const single = await secondsPerEpoch(cpu, protocol, 1, protocolEpochs);
const tanhSingle = await secondsPerEpoch(cpu, { ...protocol, activation: "tanh" }, 1, protocolEpochs);
const batchRuns = 2 * threads;
const batchSequential = (await secondsPerEpoch(cpu, protocol, batchRuns, protocolEpochs / 2)) / batchRuns;
const batchThreaded = (await secondsPerEpoch(multi, protocol, batchRuns, protocolEpochs / 2)) / batchRuns;
const numpy = numpyBaseline(110, 110, 10, protocolEpochs);
const ratio = (x: number) => ("secondsPerEpoch" in numpy ? numpy.secondsPerEpoch / x : null);

const report = {
  bench: "simulate",
  node: process.version,
  cores: threads,
  repeats,
  scaling,
  protocol: {
    description:
      "seed 001 section 5: M = N = 110, nTrain 250, batch 10 (25 steps per epoch), curl descent, float64",
    epochsTimed: protocolEpochs,
    singleRunSecondsPerEpoch: single,
    singleRunTanhSecondsPerEpoch: tanhSingle,
    batch: {
      runs: batchRuns,
      sequentialSecondsPerEpochPerRun: batchSequential,
      threadedSecondsPerEpochPerRun: batchThreaded,
      threads,
    },
    hoursPer1e5EpochRun: (single * 1e5) / 3600,
    numpy,
    speedupOverNumpy: {
      singleRun: ratio(single),
      batchPerRunThreaded: ratio(batchThreaded),
    },
    publishedCodeSecondsPerEpoch: 0.45,
    speedupOverPublishedCode: 0.45 / single,
  },
  memory: process.memoryUsage(),
};
if (outFile) writeJson(outFile, report);
process.stdout.write(`${toJson(report)}\n`);
