/**
 * Speed of seed 001's protocol (section 5: rules/curl-descent.rule at M = N = 110, P = 250,
 * Q = 100, minibatch S = 10, so 25 steps per epoch, alphaH = 0.3, linear, float64, no Lyapunov
 * twin) per epoch of one run on one core, against the baselines measured in the same run:
 *
 * - learndyn: `cpu-native` compiled (C generated from the rule's IR, compiled for this CPU's full
 *   vector width) in float64 and float32, where a C compiler is (reported absent otherwise);
 *   `cpu-wasm` compiled (WebAssembly SIMD generated from the same kernels), the same in
 *   float32 (`--dtype float32`: f32x4 over float32 memory), `cpu-wasm` fused (the hand-written
 *   student-teacher kernel), `cpu` compiled (the IR interpreter) and `cpu` fused (the TypeScript
 *   student-teacher kernel);
 * - a tight NumPy loop (bench/student_teacher_numpy.py: one vectorized step per minibatch,
 *   OpenBLAS on one thread) with OPENBLAS_CORETYPE unset, so that OpenBLAS picks its best kernel
 *   for this CPU (the kernel that ran is recorded), and, when the environment sets
 *   OPENBLAS_CORETYPE, once more with it as set;
 * - JAX (bench/student_teacher_jax.py: jit, lax.scan over minibatches and epochs, float64, one
 *   XLA thread), where it is importable (`python3 -m venv bench/.venv && bench/.venv/bin/pip
 *   install jax threadpoolctl`; bench/.venv/bin/python is used when it exists, else python3);
 *   reported absent otherwise.
 *
 * Every one of these runs in its own process pinned with taskset to the same core (`--core`,
 * default 1), in rounds that alternate between them, so that load from other work on the machine
 * falls on all of them alike; every time is the median over all repeats of all rounds. Wall and
 * process CPU time (user + system) are both reported; on a shared machine the CPU time is the
 * fairer measure of one core's work, and the load average is recorded before and after every
 * measurement. Ratios are baseline time / learndyn time (> 1: learndyn faster).
 *
 * The roofline of WebAssembly (bench/simd-peak.ts): the multiply-add rate of f64x2 and f32x4
 * arithmetic measured in the same pinned process, and the least time per epoch the two matrix
 * products of the protocol (2 N M S multiply-add pairs per step, each product rounded and then
 * added, as the IR defines them) take at that rate, whatever the WebAssembly kernels do (the
 * native engines use wider vectors and are not bound by it).
 *
 * Batches on all cores: a batch of 4 runs on `cpu-threads` (its default kernel in every worker:
 * native where a C compiler is, else generated WebAssembly) with 1 worker pinned to one core,
 * and with 2 workers on two cores; the scaling is the wall time per run-epoch on one core over
 * that on two. Each repeat times 500 epochs (0.7 s of one core with the native kernel): a batch
 * is stepped by one call per advance, whose fixed cost (messages to the workers, waiting for the
 * last) is a few percent of a 100-epoch interval with that kernel (1.78-1.91x measured there
 * against 1.89x at 500), and nothing of a sweep's runs of 10^5 epochs.
 *
 * Writes bench/results/simulate.json (or --out FILE) and prints it.
 *
 *   npx tsx bench/simulate.ts [--quick] [--out FILE] [--core K]
 */
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { Backend } from "../src/backend/backend.ts";
import { cpuBackend } from "../src/backend/cpu.ts";
import { cpuNativeBackend } from "../src/backend/cpu-native.ts";
import { cpuThreadsBackend } from "../src/backend/cpu-threads.ts";
import { cpuWasmBackend } from "../src/backend/cpu-wasm.ts";
import { NativeUnavailableError } from "../src/backend/native/native-compiler.ts";
import { compileModel } from "../src/ir/model.ts";
import { builtinNetworkRule } from "../src/rules/network/builtin-network-rules.ts";
import { toJson, writeJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";
import { simdPeak } from "./simd-peak.ts";
import { type NetworkTiming, timeNetwork } from "./time-network.ts";

const argv = process.argv;
const quick = argv.includes("--quick");
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const outFile = option("--out") ?? "bench/results/simulate.json";
const core = Number(option("--core") ?? 1);
const rounds = quick ? 1 : 3;
const repeats = quick ? 2 : 5;
const M = 110;
const N = 110;
const S = 10;
const params = { alphaH: 0.3 };
const batchRuns = 4;
const STEPS_PER_EPOCH = 250 / S;
const MATMUL_FLOPS = STEPS_PER_EPOCH * 2 * (2 * N * M * S);
/** Multiply-add pairs of the two matrix products per epoch. */
const MATMUL_PAIRS = MATMUL_FLOPS / 2;

const protocol = () => compileModel(builtinNetworkRule("curl-descent"), { sizes: { M, N, S } });

/** The learndyn engines timed on one core: backend, its dtype, fused kernel or not, epochs per repeat. */
const ENGINES = {
  "cpu-native (compiled)": {
    backend: () => cpuNativeBackend(),
    dtype: "float64",
    fastPath: false,
    epochs: 500,
  },
  "cpu-native float32 (compiled)": {
    backend: () => cpuNativeBackend({ dtype: "float32" }),
    dtype: "float32",
    fastPath: false,
    epochs: 500,
  },
  "cpu-wasm (compiled)": { backend: () => cpuWasmBackend(), dtype: "float64", fastPath: false, epochs: 200 },
  "cpu-wasm float32 (compiled)": {
    backend: () => cpuWasmBackend({ dtype: "float32" }),
    dtype: "float32",
    fastPath: false,
    epochs: 200,
  },
  "cpu-wasm (fused)": { backend: () => cpuWasmBackend(), dtype: "float64", fastPath: true, epochs: 200 },
  "cpu (compiled)": { backend: cpuBackend, dtype: "float64", fastPath: false, epochs: 10 },
  "cpu (fused)": { backend: cpuBackend, dtype: "float64", fastPath: true, epochs: 30 },
} as const;
type EngineName = keyof typeof ENGINES;

/** Per engine its timing, or why it could not run here (the native engines without a C compiler). */
type LearndynChild = Partial<Record<EngineName, NetworkTiming | { absent: string }>> & {
  peak: { f64x2: number; f32x4: number };
};

/** Child: every learndyn engine, one run each, and the SIMD peak, in this (pinned) process. */
async function learndynChild(): Promise<LearndynChild> {
  const model = protocol();
  const out: LearndynChild = { peak: simdPeak(quick ? 3 : 5) };
  for (const [name, e] of Object.entries(ENGINES) as [EngineName, (typeof ENGINES)[EngineName]][]) {
    let backend: Backend;
    try {
      backend = e.backend();
    } catch (error) {
      if (!(error instanceof NativeUnavailableError)) throw error;
      out[name] = { absent: error.message };
      continue;
    }
    out[name] = await timeNetwork(backend, model, {
      fastPath: e.fastPath,
      runs: 1,
      epochs: quick ? Math.ceil(e.epochs / 4) : e.epochs,
      repeats,
      params,
    });
  }
  return out;
}

/** Child: a batch of `batchRuns` runs on cpu-threads with `workers` workers. */
async function batchChild(workers: number): Promise<NetworkTiming> {
  return timeNetwork(cpuThreadsBackend(workers), protocol(), {
    fastPath: false,
    runs: batchRuns,
    epochs: quick ? 20 : 500,
    repeats,
    params,
  });
}

if (argv.includes("--learndyn")) {
  process.stdout.write(`${JSON.stringify(await learndynChild())}\n`);
} else if (option("--batch") !== undefined) {
  process.stdout.write(`${JSON.stringify(await batchChild(Number(option("--batch"))))}\n`);
} else {
  await orchestrate();
}

interface Measured {
  /** Median wall milliseconds per epoch (per run for a batch). */
  readonly wallMs: number;
  /** Median process CPU milliseconds per epoch (per run for a batch). */
  readonly cpuMs: number;
  readonly samples: { readonly wallMs: number[]; readonly cpuMs: number[] };
}

function measured(wall: number[], cpu: number[]): Measured {
  return { wallMs: median(wall), cpuMs: median(cpu), samples: { wallMs: wall, cpuMs: cpu } };
}

async function orchestrate(): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  const pinnable = spawnSync("taskset", ["-c", String(core), "true"]).status === 0;
  const pinned = (cores: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
    pinnable
      ? spawnSync("taskset", ["-c", cores, cmd, ...args], { env, encoding: "utf8", maxBuffer: 1 << 26 })
      : spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 1 << 26 });
  const node = (cores: string, args: string[]) =>
    pinned(cores, process.execPath, [...process.execArgv, script, ...args, ...(quick ? ["--quick"] : [])]);
  // The comparison's virtual environment beside this script, wherever the bench is started from.
  const venv = fileURLToPath(new URL(".venv/bin/python", import.meta.url));
  const python = existsSync(venv) ? venv : "python3";
  const oneThread = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const { OPENBLAS_CORETYPE: coretype, ...unsetCoretype } = process.env;
  const epochsPython = quick ? 30 : 100;
  const pythonArgs = (file: string, epochs: number) => [
    file,
    String(M),
    String(N),
    String(S),
    String(epochs),
    String(repeats),
  ];
  const loads: { what: string; before: number[]; after: number[] }[] = [];
  const step = <T>(what: string, f: () => T): T => {
    const before = loadavg();
    const r = f();
    loads.push({ what, before, after: loadavg() });
    return r;
  };
  const parse = (what: string, r: ReturnType<typeof spawnSync>) => {
    if (r.error || r.status !== 0)
      throw new Error(`${what} failed: ${r.error?.message ?? String(r.stderr).trim().slice(-2000)}`);
    return JSON.parse(String(r.stdout));
  };

  type PythonResult = {
    available?: boolean;
    note?: string;
    samplesSecondsPerEpoch: number[];
    cpuSamplesSecondsPerEpoch: number[];
  } & Record<string, unknown>;
  const learndyn = new Map<EngineName, { wall: number[]; cpu: number[] }>();
  const peaks: { f64x2: number[]; f32x4: number[] } = { f64x2: [], f32x4: [] };
  const baselines = new Map<string, { wall: number[]; cpu: number[]; info: Record<string, unknown> }>();
  const notes: Record<string, string> = {};
  const addBaseline = (name: string, r: PythonResult) => {
    const { samplesSecondsPerEpoch: wall, cpuSamplesSecondsPerEpoch: cpu, ...info } = r;
    const b = baselines.get(name) ?? { wall: [], cpu: [], info };
    b.wall.push(...wall.map((s) => s * 1000));
    b.cpu.push(...cpu.map((s) => s * 1000));
    baselines.set(name, b);
  };
  const python3 = (what: string, file: string, env: NodeJS.ProcessEnv): PythonResult | null => {
    const r = step(what, () => pinned(String(core), python, pythonArgs(file, epochsPython), env));
    if (r.error || r.status !== 0) {
      notes[what] = `not usable here: ${r.error?.message ?? String(r.stderr).trim().slice(-500)}`;
      return null;
    }
    return JSON.parse(r.stdout) as PythonResult;
  };

  for (let round = 0; round < rounds; round++) {
    const { peak, ...l } = parse(
      "learndyn",
      step("learndyn", () => node(String(core), ["--learndyn"])),
    ) as LearndynChild;
    peaks.f64x2.push(peak.f64x2);
    peaks.f32x4.push(peak.f32x4);
    for (const [name, t] of Object.entries(l) as [EngineName, NetworkTiming | { absent: string }][]) {
      if ("absent" in t) {
        notes[name] = t.absent;
        continue;
      }
      const s = learndyn.get(name) ?? { wall: [], cpu: [] };
      s.wall.push(...t.samples);
      s.cpu.push(...t.cpuSamples);
      learndyn.set(name, s);
    }
    const np = python3("numpy", "bench/student_teacher_numpy.py", { ...unsetCoretype, ...oneThread });
    if (np) addBaseline("numpy", np);
    if (coretype !== undefined) {
      const npSet = python3(
        `numpy (OPENBLAS_CORETYPE=${coretype} as set)`,
        "bench/student_teacher_numpy.py",
        {
          ...process.env,
          ...oneThread,
        },
      );
      if (npSet) addBaseline(`numpy (OPENBLAS_CORETYPE=${coretype} as set)`, npSet);
    }
    const jax = python3("jax", "bench/student_teacher_jax.py", { ...unsetCoretype, ...oneThread });
    if (jax?.available === false) notes.jax = String(jax.note);
    else if (jax) addBaseline("jax", jax);
  }

  // Batches: 1 worker on one core, 2 workers on two.
  const twoCores = availableParallelism() >= 2 ? `${core === 0 ? 1 : 0},${core}` : null;
  const batch = new Map<number, { wall: number[]; cpu: number[] }>();
  for (let round = 0; round < rounds; round++) {
    for (const workers of twoCores ? [1, 2] : [1]) {
      const cores = workers === 1 ? String(core) : twoCores!;
      const t = parse(
        `batch ${workers}`,
        step(`cpu-threads, ${workers} worker(s)`, () => node(cores, ["--batch", String(workers)])),
      ) as NetworkTiming;
      const s = batch.get(workers) ?? { wall: [], cpu: [] };
      s.wall.push(...t.samples);
      s.cpu.push(...t.cpuSamples);
      batch.set(workers, s);
    }
  }

  const single = Object.fromEntries(
    [...learndyn].map(([name, s]) => [name, measured(s.wall, s.cpu)]),
  ) as Partial<Record<EngineName, Measured>>;
  const timed = (Object.keys(single) as EngineName[]).map((name) => [name, single[name]!] as const);
  const base = Object.fromEntries(
    [...baselines].map(([name, b]) => [name, { ...measured(b.wall, b.cpu), ...b.info }]),
  ) as Record<string, Measured & Record<string, unknown>>;
  const ratios = (baseline: Measured | undefined) =>
    baseline === undefined
      ? null
      : Object.fromEntries(
          timed.map(([name, t]) => [
            name,
            { cpuTime: baseline.cpuMs / t.cpuMs, wallTime: baseline.wallMs / t.wallMs },
          ]),
        );
  const dtypes = Object.fromEntries(timed.map(([name]) => [name, ENGINES[name].dtype])) as Record<
    EngineName,
    "float64" | "float32"
  >;
  const fastestOf = (dtype: "float64" | "float32") =>
    timed.filter(([name]) => dtypes[name] === dtype).reduce((a, b) => (a[1].cpuMs <= b[1].cpuMs ? a : b))[0];
  const fastest = fastestOf("float64");
  const fastest32 = fastestOf("float32");
  const oneCore = batch.get(1)!;
  const two = batch.get(2);
  const batches = {
    runs: batchRuns,
    kernel: `cpu-threads, ${cpuThreadsBackend(1).kernel === "native" ? "generated native code" : "generated WebAssembly"} in every worker (compiled rule)`,
    "1 worker, 1 core": measured(oneCore.wall, oneCore.cpu),
    ...(two ? { "2 workers, 2 cores": measured(two.wall, two.cpu) } : {}),
    /** Measured: wall time per run-epoch on one core over that on two. */
    scaling1to2Cores: two ? median(oneCore.wall) / median(two.wall) : null,
    /**
     * What two free cores would give: with both workers busy throughout, the wall time on two
     * cores is half the CPU time per run-epoch, so the scaling is 2 x CPU(1 core) / CPU(2 cores);
     * this keeps the cost of running in parallel (memory, caches, threads) and drops the other
     * work on a shared machine.
     */
    scaling1to2CoresFromCpuTime: two ? (2 * median(oneCore.cpu)) / median(two.cpu) : null,
    /**
     * Cores the process had while it ran: its CPU time over wall time (medians). With 2 workers
     * it is at most 2; below that, other work on the machine took the rest, and the wall-clock
     * scaling measures the machine's load, not the code.
     */
    coresObtained: {
      "1 worker": median(oneCore.cpu) / median(oneCore.wall),
      ...(two ? { "2 workers": median(two.cpu) / median(two.wall) } : {}),
    },
  };
  const jaxMs = base.jax;
  const peak = { f64x2: median(peaks.f64x2), f32x4: median(peaks.f32x4) };
  const bound = { float64: (MATMUL_PAIRS / peak.f64x2) * 1000, float32: (MATMUL_PAIRS / peak.f32x4) * 1000 };
  const roofline = {
    /** Multiply-add pairs per second of CPU time (bench/simd-peak.ts), median over the rounds. */
    mulAddPairsPerSecond: peak,
    samples: peaks,
    /** The two matrix products of an epoch at that rate: no kernel of this form can be faster. */
    matmulBoundMsPerEpoch: bound,
    /** The best ratio over JAX float64 that bound allows (JAX's CPU ms over the bound). */
    bestPossibleOverJax: jaxMs
      ? { float64: jaxMs.cpuMs / bound.float64, float32: jaxMs.cpuMs / bound.float32 }
      : null,
    /** Each WebAssembly or TypeScript engine's share of the bound: bound / its CPU ms per epoch. */
    fractionOfBound: Object.fromEntries(
      timed
        .filter(([name]) => !name.startsWith("cpu-native"))
        .map(([name, t]) => [name, bound[dtypes[name]] / t.cpuMs]),
    ),
    note: "the bound of WebAssembly SIMD, not of the native engines (cpu-native: this CPU's full vector width, multiplies and adds apart as the IR defines them, no fused multiply-add); WebAssembly has 128-bit SIMD only (two float64 or four float32 lanes) and, in Node 20, no fused multiply-add without flags (relaxed SIMD, whose fusing is not deterministic across machines, so it could not keep the interpreter's bits); XLA's CPU backend uses this CPU's 256- and 512-bit FMA instructions",
  };
  const report = {
    bench: "simulate",
    description: `ms per epoch of one run of seed 001's protocol: rules/curl-descent.rule at M = ${M}, N = ${N}, P = 250, Q = 100, S = ${S} (25 steps per epoch), alphaH = 0.3, linear, float64 (float32 where dtypes says so), no Lyapunov twin; each engine in its own process pinned to core ${core}, in ${rounds} alternating rounds of ${repeats} repeats; medians over all repeats; ratios = baseline / learndyn (> 1: learndyn faster)`,
    note: "measured on a machine shared with other work: see loadAverage (before and after each measurement); CPU time is the fairer measure of one core there, wall time of two cores is hit hardest by the load",
    machine: {
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      node: process.version,
      pinnedToCore: pinnable ? core : null,
      loadAverage: { start: loads[0]?.before, end: loadavg(), steps: loads },
    },
    /** Floating-point operations of the two matrix products per step (a = W1 x, and the W1 update), per epoch. */
    matmulFlopsPerEpoch: MATMUL_FLOPS,
    gflopsPerSecondOnCpuTime: Object.fromEntries([
      ...timed.map(([name, t]) => [name, MATMUL_FLOPS / t.cpuMs / 1e6]),
      ...Object.entries(base).map(([name, t]) => [name, MATMUL_FLOPS / t.cpuMs / 1e6]),
    ]),
    roofline,
    learndyn: single,
    /** The element type each learndyn engine computes in (the baselines: float64). */
    dtypes,
    baselines: base,
    absent: notes,
    ratios: {
      overJax: ratios(jaxMs),
      overNumpy: ratios(base.numpy),
    },
    targets: {
      "float64 >= 1.0x JAX (cpu time)": {
        engine: fastest,
        measured: jaxMs ? jaxMs.cpuMs / single[fastest]!.cpuMs : null,
        met: jaxMs ? jaxMs.cpuMs / single[fastest]!.cpuMs >= 1 : null,
      },
      "float32 >= 2.0x JAX float64 (cpu time)": {
        engine: fastest32,
        measured: jaxMs ? jaxMs.cpuMs / single[fastest32]!.cpuMs : null,
        met: jaxMs ? jaxMs.cpuMs / single[fastest32]!.cpuMs >= 2 : null,
      },
      "batch scaling 1 -> 2 cores >= 1.8x (wall)": {
        measured: batches.scaling1to2Cores,
        met: batches.scaling1to2Cores === null ? null : batches.scaling1to2Cores >= 1.8,
        fromCpuTime: batches.scaling1to2CoresFromCpuTime,
      },
    },
    batches,
    command: `npx tsx bench/simulate.ts${quick ? " --quick" : ""}`,
  };
  // Paths the Python side reports (its interpreter, the BLAS library) are written relative to the
  // checkout, so the committed result names no folder of the machine it ran on.
  const roots = [...new Set([process.cwd(), realpathSync(process.cwd())])].map((r) => `${r}/`);
  const local = JSON.parse(JSON.stringify(report), (_k, v) =>
    typeof v === "string" ? roots.reduce((t, r) => t.split(r).join(""), v) : v,
  );
  writeJson(outFile, local);
  process.stdout.write(`${toJson(local)}\n`);
}
