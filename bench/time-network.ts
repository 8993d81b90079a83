/**
 * Timing of a batch of a compiled network rule on a backend, as the benches report it: a fresh
 * batch per repeat, one warm-up epoch (and, on asynchronous backends, a wait for it), then the
 * timed epochs; wall and process CPU (user + system, all threads) milliseconds per epoch per
 * run, every repeat kept, and their medians.
 */
import type { Backend } from "../src/backend/backend.ts";
import { startNetwork } from "../src/backend/fast-path.ts";
import { drawRuns, type NetworkModel } from "../src/ir/model.ts";
import { median } from "../src/util/median.ts";

export interface NetworkTiming {
  /** Which engine ran (startNetwork): the compiled rule or the fused student-teacher kernel. */
  readonly engine: string;
  /** Median wall milliseconds per epoch per run. */
  readonly msPerEpochPerRun: number;
  /** Median process CPU milliseconds (all threads) per epoch per run. */
  readonly cpuMsPerEpochPerRun: number;
  /** Every repeat's wall ms per epoch per run. */
  readonly samples: number[];
  /** Every repeat's CPU ms per epoch per run. */
  readonly cpuSamples: number[];
}

/** Times `runs` runs (seeds 1..runs, parameters `params`) of `model` on `backend`. */
export async function timeNetwork(
  backend: Backend,
  model: NetworkModel,
  options: {
    readonly fastPath: boolean;
    readonly runs: number;
    readonly epochs: number;
    readonly repeats: number;
    readonly params: Record<string, number>;
  },
): Promise<NetworkTiming> {
  const { runs, epochs } = options;
  const init = {
    rule: model.compiled,
    runs: drawRuns(
      model,
      Array.from({ length: runs }, (_, k) => ({ seed: k + 1, params: options.params })),
    ),
  };
  const wall: number[] = [];
  const cpu: number[] = [];
  let engine = "";
  for (let r = 0; r < options.repeats; r++) {
    const started = startNetwork(backend, init, { fastPath: options.fastPath });
    engine = started.engine;
    const batch = started.batch;
    batch.advance(1);
    await batch.failures();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    batch.advance(epochs);
    await batch.failures();
    wall.push((performance.now() - t0) / epochs / runs);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / epochs / runs);
    batch.dispose();
  }
  return {
    engine,
    msPerEpochPerRun: median(wall),
    cpuMsPerEpochPerRun: median(cpu),
    samples: wall,
    cpuSamples: cpu,
  };
}
