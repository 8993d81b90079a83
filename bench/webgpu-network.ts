/**
 * Throughput of compiled rules on the WebGPU backend (WGSL generated from the rule's IR,
 * src/backend/webgpu/codegen/) against the hand-written fused student-teacher kernel and against
 * the CPU backend's interpreter (float64), all measured in the same run, printed as JSON:
 *
 *   npx tsx bench/webgpu-network.ts [--quick] [--out FILE]
 *
 * - two layers: rules/curl-descent.rule at M = N = 110, P = 250, minibatch S = 10 (25 steps per
 *   epoch), tanh, alphaH = 0.3: the compiled path (startNetwork with fastPath false) and the fused
 *   kernel (startNetwork's fast path; on a device whose workgroup memory cannot hold W1 it runs
 *   its streaming variant) on the same runs;
 * - three layers: rules/curl-descent-3.rule at its default sizes (M = 60, N1 = N2 = 40, P = 250)
 *   with S = 10, tanh: the compiled path (no fused kernel exists).
 *
 * Rates are simulation steps per second (one minibatch step of one run), each the median of
 * repeated timings after a warm-up epoch that compiles the kernels; ratios are between rates of
 * the same batch size in this run. On a machine shared with other work, wall-clock rates move
 * with the load (recorded); this process's CPU time per step (llvmpipe's threads included) moves
 * much less, and is reported beside them. Operations per step are the IR's (programWork: every entry of
 * every node once, a k-term reduction as k); memory traffic per step is analytic
 * (codegen/kernel-traffic.ts; the fused kernel's from src/backend/webgpu/traffic.ts).
 */
import { availableParallelism, loadavg } from "node:os";
import type { Backend, NetworkBatch, NetworkInit } from "../src/backend/backend.ts";
import { cpuBackend } from "../src/backend/cpu.ts";
import { startNetwork } from "../src/backend/fast-path.ts";
import { programWork } from "../src/backend/webgpu/codegen/program-work.ts";
import type { WebGpuNetworkBatch } from "../src/backend/webgpu/network-batch.ts";
import { onchipFit } from "../src/backend/webgpu/student-teacher-batch.ts";
import { onchipDeviceWords, streamingDeviceWords } from "../src/backend/webgpu/traffic.ts";
import { webgpuBackend } from "../src/backend/webgpu/webgpu-backend.ts";
import { compileModel, drawRuns, type NetworkModel } from "../src/ir/model.ts";
import { builtinNetworkRule } from "../src/rules/network/builtin-network-rules.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";

const quick = process.argv.includes("--quick");
const outIndex = process.argv.indexOf("--out");
const outFile = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
const repeats = quick ? 3 : 5;
const targetSeconds = quick ? 0.5 : 1.5;
const S = 10;

type Engine = "compiled" | "fused" | "cpu";

/** The runs of a model: 8 distinct draws, tiled to `size` members (the cost does not depend on the data). */
function runsOf(model: NetworkModel, size: number, params: Record<string, number>): NetworkInit {
  const distinct = drawRuns(
    model,
    Array.from({ length: 8 }, (_, k) => ({ seed: k, params })),
  );
  return { rule: model.compiled, runs: Array.from({ length: size }, (_, b) => distinct[b % 8]!) };
}

function start(backend: Backend, engine: Engine, init: NetworkInit): NetworkBatch {
  const { batch, engine: ran } = startNetwork(backend, init, { fastPath: engine === "fused" });
  const expected = engine === "fused" ? "fused student-teacher kernel" : "compiled";
  if (ran !== expected) throw new Error(`bench: expected the ${expected} engine, ran ${ran}`);
  return batch;
}

/** Median steps per second of `engine` over batches of `size`, with epochs sized to take about targetSeconds. */
async function rate(
  backend: Backend,
  engine: Engine,
  model: NetworkModel,
  params: Record<string, number>,
  size: number,
) {
  const stepsPerEpoch = model.compiled.samples!.train / model.compiled.minibatch;
  const batch = start(backend, engine, runsOf(model, size, params));
  batch.advance(1); // compiles the kernels
  await batch.failures();
  let t0 = performance.now();
  batch.advance(1);
  await batch.failures();
  const perEpoch = (performance.now() - t0) / 1000;
  const epochs = Math.max(1, Math.min(200, Math.round(targetSeconds / perEpoch)));
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    t0 = performance.now();
    batch.advance(epochs);
    await batch.failures();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1e6);
  }
  const failed = (await batch.failures()).filter((f) => f >= 0).length;
  const kernels = (batch as Partial<WebGpuNetworkBatch>).kernels;
  batch.dispose();
  const seconds = median(times);
  const steps = size * epochs * stepsPerEpoch;
  const stepsPerSecond = steps / seconds;
  const cpuSecondsPerStep = median(cpuTimes) / steps;
  process.stderr.write(
    `${model.compiled.name} ${engine} batch ${size}: ${stepsPerSecond.toFixed(0)} steps/s\n`,
  );
  return { epochs, seconds, stepsPerSecond, cpuSecondsPerStep, failedMembers: failed, kernels };
}

const loadAtStart = loadavg();
const gpu = await webgpuBackend();
const cpu = cpuBackend();
const sizes = quick ? [1, 4] : [1, 4, 16];
const cpuSizes = quick ? [1] : [1, 4];

/** The compiled kernels' description: workgroup and scratch words, and traffic per step. */
const kernelReport = (k: NonNullable<WebGpuNetworkBatch["kernels"]>) => ({
  workgroupBytes: k.step.workgroupBytes,
  scratchWordsPerMember: Math.max(k.step.scratchWords, k.errors?.scratchWords ?? 0),
  trafficPerStepWords: k.step.traffic,
  trafficPerStepBytes: {
    issued: {
      device: 4 * k.step.traffic.issued.deviceWords,
      workgroup: 4 * k.step.traffic.issued.workgroupWords,
    },
    passes: {
      device: 4 * k.step.traffic.passes.deviceWords,
      workgroup: 4 * k.step.traffic.passes.workgroupWords,
    },
  },
});

// Two layers: compiled against fused, and the CPU interpreter.
const curl = compileModel(builtinNetworkRule("curl-descent"), { sizes: { S }, choices: { phi: "tanh" } });
const curlParams = { alphaH: 0.3 };
const twoLayerRows = [];
let twoLayerKernels: ReturnType<typeof kernelReport> | undefined;
for (const size of sizes) {
  const compiled = await rate(gpu, "compiled", curl, curlParams, size);
  const fused = await rate(gpu, "fused", curl, curlParams, size);
  twoLayerKernels ??= compiled.kernels ? kernelReport(compiled.kernels) : undefined;
  twoLayerRows.push({
    batch: size,
    compiledStepsPerSecond: compiled.stepsPerSecond,
    fusedStepsPerSecond: fused.stepsPerSecond,
    ratioCompiledToFused: compiled.stepsPerSecond / fused.stepsPerSecond,
    cpuSecondsPerStep: { compiled: compiled.cpuSecondsPerStep, fused: fused.cpuSecondsPerStep },
    ratioCompiledToFusedByCpuTime: fused.cpuSecondsPerStep / compiled.cpuSecondsPerStep,
    epochs: { compiled: compiled.epochs, fused: fused.epochs },
  });
}
const cpuTwoLayer = [];
for (const size of cpuSizes) {
  const r = await rate(cpu, "cpu", curl, curlParams, size);
  cpuTwoLayer.push({
    batch: size,
    stepsPerSecond: r.stepsPerSecond,
    cpuSecondsPerStep: r.cpuSecondsPerStep,
    epochs: r.epochs,
  });
}

// Which variant the fused kernel ran on this device (the same choice WebGpuStudentTeacherBatch makes).
const limits = gpu.ctx.limits;
const fit = onchipFit(
  { inputs: 110, hidden: 110, batchSize: S },
  64,
  Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX),
  limits.maxComputeWorkgroupStorageSize,
);
const shape = { inputs: 110, hidden: 110, batchSize: S };
const fusedVariant = "kernel" in fit ? "onchip" : "streaming";
const fusedDeviceWords =
  fusedVariant === "onchip"
    ? onchipDeviceWords(shape, Math.floor(4096 / 25) * 25)
    : streamingDeviceWords(shape);

// Three layers: compiled, and the CPU interpreter.
const curl3 = compileModel(builtinNetworkRule("curl-descent-3"), { sizes: { S }, choices: { phi: "tanh" } });
const curl3Params = { alpha1: 0.3 };
const threeLayerRows = [];
let threeLayerKernels: ReturnType<typeof kernelReport> | undefined;
for (const size of sizes) {
  const compiled = await rate(gpu, "compiled", curl3, curl3Params, size);
  threeLayerKernels ??= compiled.kernels ? kernelReport(compiled.kernels) : undefined;
  threeLayerRows.push({
    batch: size,
    compiledStepsPerSecond: compiled.stepsPerSecond,
    cpuSecondsPerStep: compiled.cpuSecondsPerStep,
    epochs: compiled.epochs,
  });
}
const cpuThreeLayer = [];
for (const size of cpuSizes) {
  const r = await rate(cpu, "cpu", curl3, curl3Params, size);
  cpuThreeLayer.push({
    batch: size,
    stepsPerSecond: r.stepsPerSecond,
    cpuSecondsPerStep: r.cpuSecondsPerStep,
    epochs: r.epochs,
  });
}

const best = (rows: { stepsPerSecond?: number; compiledStepsPerSecond?: number }[]) =>
  Math.max(...rows.map((r) => r.compiledStepsPerSecond ?? r.stepsPerSecond!));
const report = {
  bench: "webgpu-network",
  note: gpu.adapter.software
    ? "llvmpipe figures are NOT GPU figures: Mesa's software Vulkan driver runs the WGSL on this machine's CPU " +
      "cores (shared with other work), so these rates say how the generated kernels compare with the hand-written " +
      "one and with the CPU interpreter on the same CPU, not how fast a GPU runs them."
    : undefined,
  device: {
    ...gpu.adapter,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
  },
  host: {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cores: availableParallelism(),
    loadAverage1min: { start: loadAtStart[0], end: loadavg()[0] },
  },
  repeats,
  twoLayer: {
    rule: "rules/curl-descent.rule",
    sizes: curl.compiled.sizes,
    minibatch: S,
    activation: "tanh",
    params: curlParams,
    stepsPerEpoch: curl.compiled.samples!.train / S,
    operationsPerStep: programWork(curl.compiled.step),
    fusedKernel: {
      variant: fusedVariant,
      deviceWordsPerStep: fusedDeviceWords,
      trafficModel: "passes (src/backend/webgpu/traffic.ts)",
    },
    compiledKernels: twoLayerKernels,
    webgpu: twoLayerRows,
    cpuInterpreter: cpuTwoLayer,
    ratioBestCompiledToBestCpu: best(twoLayerRows) / best(cpuTwoLayer),
  },
  threeLayer: {
    rule: "rules/curl-descent-3.rule",
    sizes: curl3.compiled.sizes,
    minibatch: S,
    activation: "tanh",
    params: curl3Params,
    stepsPerEpoch: curl3.compiled.samples!.train / S,
    operationsPerStep: programWork(curl3.compiled.step),
    compiledKernels: threeLayerKernels,
    webgpu: threeLayerRows,
    cpuInterpreter: cpuThreeLayer,
    ratioBestCompiledToBestCpu: best(threeLayerRows) / best(cpuThreeLayer),
  },
};
gpu.destroy();
if (outFile) writeJson(outFile, report);
process.stdout.write(`${toJson(report)}\n`);
