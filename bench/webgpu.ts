/**
 * Throughput of the student-teacher protocol (seed 001 section 5) on the WebGPU backend against
 * the CPU backend, as the number of simulations per batch grows, printed as JSON:
 * simulation-steps per second (one SGD step of one simulation), achieved FLOP/s from the
 * analytic count below, the device and driver, and the projected time of the full seed 001
 * Fig. 3a campaign from the measured throughput.
 *
 * Both variants of the fused kernel (on-chip: weights in workgroup memory and registers for a
 * whole dispatch; streaming: weights in device memory) are measured side by side at the largest
 * M = N <= 110 whose on-chip kernel fits this device's workgroup memory, with their analytic
 * memory traffic per step (src/backend/webgpu/traffic.ts). A roofline projection of the campaign
 * on an NVIDIA H100 for each variant follows from that traffic and the FLOP count: a projection
 * from published peak rates and an assumed efficiency, not a measurement.
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
 *   total: 4 N M S + 7 N M + 7 N S + 8 N   (= 577,280 at M = N = 110, S = 10)
 */
import type { Backend } from "../src/backend/backend.ts";
import { cpuBackend } from "../src/backend/cpu.ts";
import {
  onchipWorkgroupBytes,
  onchipWorkgroupSize,
} from "../src/backend/webgpu/kernels/student-teacher-onchip.wgsl.ts";
import type { WebGpuStudentTeacherBatch } from "../src/backend/webgpu/student-teacher-batch.ts";
import {
  onchipDeviceWords,
  onchipWorkgroupWords,
  streamingDeviceWords,
  type TrafficShape,
} from "../src/backend/webgpu/traffic.ts";
import { WebGpuBackend, webgpuBackend } from "../src/backend/webgpu/webgpu-backend.ts";
import { drawMember, packBatch, paperSpec, type StudentTeacherMember } from "../src/sim/student-teacher.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";

const quick = process.argv.includes("--quick");
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const repeats = quick ? 3 : 5;

const S = 10;
/** Steps per dispatch of the backend's default maxStepsPerDispatch (4096): whole epochs. */
const defaultStepsPerDispatch = (stepsPerEpoch: number) => Math.floor(4096 / stepsPerEpoch) * stepsPerEpoch;

/** Analytic FLOPs of one SGD step of one simulation (see the file comment). */
export function flopsPerStep(m: number, n: number, s: number): number {
  return 4 * n * m * s + 7 * n * m + 7 * n * s + 8 * n;
}

/** The seed 001 protocol at M = N = n, with 8 distinct draws to tile batches from. */
function protocol(n: number) {
  const spec = paperSpec(n, n, { activation: "tanh", alphaH: 0.3, batchSize: S });
  const distinct: StudentTeacherMember[] = Array.from({ length: 8 }, (_, k) =>
    drawMember({ ...spec, seed: k }),
  );
  const shape: TrafficShape = { inputs: n, hidden: n, batchSize: S };
  return { n, spec, distinct, shape, stepsPerEpoch: spec.trainCount / S, flops: flopsPerStep(n, n, S) };
}
type Protocol = ReturnType<typeof protocol>;

/** Median seconds for `epochs` epochs of a batch of `size` simulations, and the kernel that ran. */
async function timeBatch(backend: Backend, p: Protocol, size: number, epochs: number) {
  const batch = backend.studentTeacher(
    packBatch(
      p.spec,
      Array.from({ length: size }, (_, b) => p.distinct[b % 8]!),
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
  const kernel = (batch as Partial<WebGpuStudentTeacherBatch>).kernel;
  batch.dispose();
  return { seconds: median(times), kernel: kernel?.variant };
}

async function sweep(
  backend: Backend,
  p: Protocol,
  sizes: number[],
  targetSeconds: number,
  label = backend.name,
) {
  // Warm-up: one epoch of one simulation compiles the kernels (cached for the whole sweep) and
  // gives the first estimate of the rate, from which each size takes about targetSeconds.
  const warm = backend.studentTeacher(packBatch(p.spec, [p.distinct[0]!]));
  let t0 = performance.now();
  warm.advance(1);
  await warm.failures();
  t0 = performance.now();
  warm.advance(1);
  await warm.failures();
  let rate = p.stepsPerEpoch / ((performance.now() - t0) / 1000);
  warm.dispose();
  const rows = [];
  for (const size of sizes) {
    const epochs = Math.max(1, Math.min(100, Math.round((targetSeconds * rate) / (size * p.stepsPerEpoch))));
    const { seconds, kernel } = await timeBatch(backend, p, size, epochs);
    const steps = size * epochs * p.stepsPerEpoch;
    const stepsPerSecond = steps / seconds;
    rate = stepsPerSecond;
    rows.push({
      batch: size,
      ...(kernel ? { kernel } : {}),
      epochs,
      seconds,
      stepsPerSecond,
      flopsPerSecond: stepsPerSecond * p.flops,
      secondsPerEpochPerRun: seconds / epochs / size,
    });
    process.stderr.write(`${label} M = N = ${p.n}, batch ${size}: ${stepsPerSecond.toFixed(0)} steps/s\n`);
  }
  return rows;
}

const paper = protocol(110);
const gpu = await webgpuBackend();
const gpuSizes = quick ? [1, 16, 64] : [1, 4, 16, 64, 256, 1024];
const cpuSizes = quick ? [1, 4] : [1, 4, 16];
const webgpu = await sweep(gpu, paper, gpuSizes, quick ? 0.5 : 1.5);
const cpu = await sweep(cpuBackend(), paper, cpuSizes, quick ? 0.5 : 1.5);

// Both kernel variants on this device, at the largest M = N <= 110 whose on-chip kernel fits its
// workgroup memory (llvmpipe reports 32 KiB: M = N = 89).
const limits = gpu.ctx.limits;
const maxWorkgroupSize = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
let nCompare = 110;
while (
  nCompare > 1 &&
  onchipWorkgroupBytes(nCompare, nCompare, S, onchipWorkgroupSize(nCompare, 64)) >
    limits.maxComputeWorkgroupStorageSize
)
  nCompare--;
const compare = protocol(nCompare);
const variantSizes = quick ? [1, 16] : [1, 16, 64];
const variantRows = async (kernel: "onchip" | "streaming") => {
  const backend = new WebGpuBackend(gpu.ctx, { kernel });
  const rows = await sweep(backend, compare, variantSizes, quick ? 0.5 : 1.5, `webgpu ${kernel}`);
  return rows.map((r) => {
    const perDispatch = Math.min(
      r.epochs,
      defaultStepsPerDispatch(compare.stepsPerEpoch) / compare.stepsPerEpoch,
    );
    const deviceBytesPerStep =
      4 *
      (kernel === "onchip"
        ? onchipDeviceWords(compare.shape, perDispatch * compare.stepsPerEpoch)
        : streamingDeviceWords(compare.shape));
    return {
      ...r,
      deviceBytesPerStep,
      deviceBytesPerSecond: deviceBytesPerStep * r.stepsPerSecond,
      ...(kernel === "onchip"
        ? {
            workgroupBytesPerStep:
              4 * onchipWorkgroupWords(compare.shape, onchipWorkgroupSize(compare.n, 64)),
          }
        : {}),
    };
  });
};
const onchipRows = await variantRows("onchip");
const streamingRows = await variantRows("streaming");

const best = (rows: { stepsPerSecond: number }[]) => Math.max(...rows.map((r) => r.stepsPerSecond));
// Seed 001 Fig. 3a: 420 grid points x 10 seeds, 1e5 epochs of 25 steps each, at M + N = 220.
// Every grid point is costed at M = N = 110, the most expensive one, so this is an upper bound.
const campaignSteps = 420 * 10 * 1e5 * paper.stepsPerEpoch;
const projection = (rows: { stepsPerSecond: number }[]) => {
  const seconds = campaignSteps / best(rows);
  return { seconds, hours: seconds / 3600, days: seconds / 86400 };
};

// Roofline of the campaign on an H100 (SXM, H100 80GB HBM3), per variant: each step costs the
// longest of its FLOPs at the fp32 rate, its device-memory bytes at the HBM rate and (on-chip
// variant) its workgroup-memory bytes at the shared-memory rate, each roof derated by an assumed
// efficiency. The shared-memory rate is 132 SMs x 128 bytes per clock x 1.755 GHz, the clock at
// which 132 SMs x 128 fp32 lanes x 2 FLOP reach the 60 TFLOP/s peak.
const h100 = {
  fp32FlopsPerSecond: 60e12,
  hbmBytesPerSecond: 3.35e12,
  workgroupMemoryBytesPerSecond: 132 * 128 * 1.755e9,
};
const assumedEfficiency = {
  fp32: 0.3,
  hbm: 0.6,
  workgroupMemory: 0.3,
  why:
    "fp32 and workgroup memory at 30%: the on-chip kernel's loops are short (M = 110 per invocation), " +
    "18 of its 128 invocations own no hidden unit, each step has (S + 2) log2(128) = 84 barriers, and " +
    "48,992 bytes per workgroup allow 4 workgroups (16 warps) per SM; HBM at 60%: per-simulation " +
    "48 KB blocks streamed by 64-invocation workgroups, below the ~90% of a pure copy",
};
const paperDispatch = defaultStepsPerDispatch(paper.stepsPerEpoch);
const roofline = (deviceBytes: number, workgroupBytes: number | undefined) => {
  const at = (e: { fp32: number; hbm: number; workgroupMemory: number }) => {
    const perStep = {
      fp32: paper.flops / (e.fp32 * h100.fp32FlopsPerSecond),
      hbm: deviceBytes / (e.hbm * h100.hbmBytesPerSecond),
      workgroupMemory:
        workgroupBytes === undefined
          ? 0
          : workgroupBytes / (e.workgroupMemory * h100.workgroupMemoryBytesPerSecond),
    };
    const bound = (Object.keys(perStep) as (keyof typeof perStep)[]).reduce((a, b) =>
      perStep[a] >= perStep[b] ? a : b,
    );
    const seconds = campaignSteps * perStep[bound];
    return { seconds, minutes: seconds / 60, hours: seconds / 3600, boundBy: bound };
  };
  return {
    deviceBytesPerStep: deviceBytes,
    ...(workgroupBytes === undefined ? {} : { workgroupBytesPerStep: workgroupBytes }),
    campaignDeviceBytes: campaignSteps * deviceBytes,
    atPeak: at({ fp32: 1, hbm: 1, workgroupMemory: 1 }),
    atAssumedEfficiency: at(assumedEfficiency),
  };
};

const report = {
  bench: "webgpu",
  protocol: {
    M: paper.n,
    N: paper.n,
    batch: S,
    trainCount: paper.spec.trainCount,
    stepsPerEpoch: paper.stepsPerEpoch,
    activation: paper.spec.activation,
    rule: paper.spec.rule,
    alphaH: paper.spec.alphaH,
    flopsPerStep: paper.flops,
  },
  device: {
    ...gpu.adapter,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: maxWorkgroupSize,
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
  kernelVariants: {
    description:
      "the fused kernel's two variants on this device, measured at the largest M = N <= 110 whose on-chip " +
      "kernel fits maxComputeWorkgroupStorageSize; bytes per step are analytic (src/backend/webgpu/traffic.ts)",
    M: compare.n,
    N: compare.n,
    batch: S,
    flopsPerStep: compare.flops,
    onchip: onchipRows,
    streaming: streamingRows,
    ratioBestOnchipToBestStreaming: best(onchipRows) / best(streamingRows),
  },
  campaign: {
    description:
      "seed 001 Fig. 3a: 420 grid points x 10 seeds, M + N = 220, batch 10, 1e5 epochs (25 steps each)",
    simulationSteps: campaignSteps,
    projectedOnWebgpu: projection(webgpu),
    projectedOnCpuOneCore: projection(cpu),
    costedAt: "every grid point at M = N = 110 (the most weights), so an upper bound",
    h100RooflineProjection: {
      label: "PROJECTION, NOT A MEASUREMENT: analytic FLOPs and bytes per step against published H100 peaks",
      device: h100,
      assumedEfficiency,
      campaignFlops: campaignSteps * paper.flops,
      onchip: {
        stepsPerDispatch: paperDispatch,
        ...roofline(
          4 * onchipDeviceWords(paper.shape, paperDispatch),
          4 * onchipWorkgroupWords(paper.shape, onchipWorkgroupSize(paper.n, 64)),
        ),
      },
      streaming: roofline(4 * streamingDeviceWords(paper.shape), undefined),
    },
  },
};
gpu.destroy();
if (outFile) writeJson(outFile, report);
process.stdout.write(`${toJson(report)}\n`);
