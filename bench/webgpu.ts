/**
 * Throughput of the student-teacher protocol (seed 001 section 5) on the WebGPU backend against
 * the CPU backend, as the number of simulations per batch grows, printed as JSON:
 * simulation-steps per second (one SGD step of one simulation), achieved FLOP/s from the
 * analytic count below, the device and driver, and the projected time of the full seed 001
 * Fig. 3a campaign from the measured throughput.
 *
 *   npx tsx bench/webgpu.ts [--quick] [--out FILE]
 *
 * Protocol: M = N = 110 (c = 1, the grid point with the most weights at M + N = 220), tanh,
 * curl descent (alpha_h = 0.3), nTrain = 250, minibatch 10 (25 steps per epoch), renormalization
 * after every step. Members are tiled from 8 distinct draws: the cost does not depend on the data.
 * Every time is the median of repeated runs, after a warm-up epoch that compiles the kernels.
 *
 * FLOPs of one step (multiply and add counted separately; S = batch, tanh and sqrt as one):
 *   forward a = W1 x:                    2 N M S
 *   phi, phi', e = W2 h - y, u = e phi':  5 N S
 *   G1 = sum_s u x^T and W1 update:       2 N M S + 4 N M
 *   ||W1||^2 and rescaling of W1:         3 N M
 *   G2, W2 update, ||W2||^2, rescaling:   2 N S + 8 N
 *   total: 4 N M S + 7 N M + 7 N S + 8 N   (= 553,080 at M = N = 110, S = 10)
 */
import type { Backend } from "../src/backend/backend.ts";
import { cpuBackend } from "../src/backend/cpu.ts";
import { webgpuBackend } from "../src/backend/webgpu/webgpu-backend.ts";
import { drawMember, packBatch, paperSpec, type StudentTeacherMember } from "../src/sim/student-teacher.ts";
import { toJson, writeJson } from "../src/util/io.ts";

const quick = process.argv.includes("--quick");
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const repeats = quick ? 3 : 5;

const M = 110;
const N = 110;
const S = 10;
const spec = paperSpec(M, N, { activation: "tanh", alphaH: 0.3, batchSize: S });
const stepsPerEpoch = spec.trainCount / S;

/** Analytic FLOPs of one SGD step of one simulation (see the file comment). */
export function flopsPerStep(m: number, n: number, s: number): number {
  return 4 * n * m * s + 7 * n * m + 7 * n * s + 8 * n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const distinct: StudentTeacherMember[] = Array.from({ length: 8 }, (_, k) =>
  drawMember({ ...spec, seed: k }),
);

/** Median seconds for `epochs` epochs of a batch of `size` simulations. */
async function timeBatch(backend: Backend, size: number, epochs: number): Promise<number> {
  const batch = backend.studentTeacher(
    packBatch(
      spec,
      Array.from({ length: size }, (_, b) => distinct[b % 8]!),
    ),
  );
  await batch.failures(); // uploads have finished
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    batch.advance(epochs);
    await batch.failures();
    times.push((performance.now() - t0) / 1000);
  }
  batch.dispose();
  return median(times);
}

async function sweep(backend: Backend, sizes: number[], targetSeconds: number) {
  // Warm-up: one epoch of one simulation compiles the kernels (cached for the whole sweep) and
  // gives the first estimate of the rate, from which each size takes about targetSeconds.
  const warm = backend.studentTeacher(packBatch(spec, [distinct[0]!]));
  let t0 = performance.now();
  warm.advance(1);
  await warm.failures();
  t0 = performance.now();
  warm.advance(1);
  await warm.failures();
  let rate = stepsPerEpoch / ((performance.now() - t0) / 1000);
  warm.dispose();
  const rows = [];
  for (const size of sizes) {
    const epochs = Math.max(1, Math.min(100, Math.round((targetSeconds * rate) / (size * stepsPerEpoch))));
    const seconds = await timeBatch(backend, size, epochs);
    const steps = size * epochs * stepsPerEpoch;
    const stepsPerSecond = steps / seconds;
    rate = stepsPerSecond;
    rows.push({
      batch: size,
      epochs,
      seconds,
      stepsPerSecond,
      flopsPerSecond: stepsPerSecond * flopsPerStep(M, N, S),
      secondsPerEpochPerRun: seconds / epochs / size,
    });
    process.stderr.write(`${backend.name} batch ${size}: ${stepsPerSecond.toFixed(0)} steps/s\n`);
  }
  return rows;
}

const gpu = await webgpuBackend();
const gpuSizes = quick ? [1, 16, 64] : [1, 4, 16, 64, 256, 1024];
const cpuSizes = quick ? [1, 4] : [1, 4, 16];
const webgpu = await sweep(gpu, gpuSizes, quick ? 0.5 : 1.5);
const cpu = await sweep(cpuBackend(), cpuSizes, quick ? 0.5 : 1.5);

const best = (rows: { stepsPerSecond: number }[]) => Math.max(...rows.map((r) => r.stepsPerSecond));
// Seed 001 Fig. 3a: 420 grid points x 10 seeds, 1e5 epochs of 25 steps each, at M + N = 220.
// Every grid point is costed at M = N = 110, the most expensive one, so this is an upper bound.
const campaignSteps = 420 * 10 * 1e5 * stepsPerEpoch;
const projection = (rows: { stepsPerSecond: number }[]) => {
  const seconds = campaignSteps / best(rows);
  return { seconds, hours: seconds / 3600, days: seconds / 86400 };
};

const report = {
  bench: "webgpu",
  protocol: {
    M,
    N,
    batch: S,
    trainCount: spec.trainCount,
    stepsPerEpoch,
    activation: spec.activation,
    rule: spec.rule,
    alphaH: spec.alphaH,
    flopsPerStep: flopsPerStep(M, N, S),
  },
  device: {
    ...gpu.adapter,
    maxStorageBufferBindingSize: gpu.ctx.limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: gpu.ctx.limits.maxComputeWorkgroupStorageSize,
    note: gpu.adapter.software
      ? "software rasterizer (Mesa llvmpipe on the CPU): WGSL correctness, not GPU speed. No NVIDIA GPU was " +
        "available to this project when this was run, so there are no H100 figures; on an NVIDIA machine Dawn " +
        "uses the NVIDIA Vulkan driver and this bench records that device here."
      : undefined,
  },
  host: {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memory: process.memoryUsage(),
  },
  repeats,
  webgpu,
  cpu,
  ratioBestWebgpuToBestCpu: best(webgpu) / best(cpu),
  campaign: {
    description:
      "seed 001 Fig. 3a: 420 grid points x 10 seeds, M + N = 220, batch 10, 1e5 epochs (25 steps each)",
    simulationSteps: campaignSteps,
    projectedOnWebgpu: projection(webgpu),
    projectedOnCpuOneCore: projection(cpu),
    costedAt: "every grid point at M = N = 110 (the most weights), so an upper bound",
  },
};
gpu.destroy();
if (outFile) writeJson(outFile, report);
process.stdout.write(`${toJson(report)}\n`);
