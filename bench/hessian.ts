/**
 * Time of one exact Hessian-vector product (forward-over-reverse BPTT) and of the leading
 * eigenvalue of the recurrent-weight Hessian (power iteration, tolerance 1e-6) against the
 * number of units N and of time steps T, on the pattern-generation network (one input, one
 * output, loss at every step, one trial). Prints JSON: medians over repeats, the ratio of an HVP
 * to a gradient (theory: a small constant, about 2 to 4), the growth exponents in N and T
 * (theory: N² per step, so slope 2 in N and 1 in T), and memory.
 *
 * Run: npx tsx bench/hessian.ts [--quick]
 */
import { powerIteration } from "../src/hessian/power-iteration.ts";
import { rnnHessianOperator } from "../src/hessian/rnn-hessian.ts";
import { bpttGradient, hessianVectorProduct } from "../src/sim/rnn/bptt.ts";
import { initRnnParams } from "../src/sim/rnn/network.ts";
import { flattenParams } from "../src/sim/rnn/params.ts";
import { makeTask } from "../src/sim/rnn/tasks/task.ts";
import { toJson } from "../src/util/io.ts";
import { median } from "../src/util/median.ts";
import { Rng } from "../src/util/random.ts";

const quick = process.argv.includes("--quick");
const repeats = quick ? 3 : 7;

/** Median over `reps` samples of the time per call; each sample repeats fn for >= 20 ms. */
function time(fn: () => void, reps: number): number {
  // Warm-up until the JIT has settled (>= 50 ms of calls).
  let calls = 0;
  const w0 = performance.now();
  while (performance.now() - w0 < 50 || calls < 3) {
    fn();
    calls++;
  }
  const perSample = Math.max(1, Math.ceil((20 * calls) / (performance.now() - w0)));
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let c = 0; c < perSample; c++) fn();
    ts.push((performance.now() - t0) / perSample);
  }
  return median(ts);
}

function slope(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

function measure(n: number, T: number) {
  const task = makeTask("pattern", { n, steps: T, seed: 0 });
  const theta = flattenParams(initRnnParams(task.config, 0, 1.0));
  const v = new Rng(1).normals(theta.length);
  const grad = time(() => bpttGradient(task.config, theta, task.evalBatch), repeats);
  const hvp = time(() => hessianVectorProduct(task.config, theta, task.evalBatch, v), repeats);
  const op = rnnHessianOperator(task.config, theta, task.evalBatch, "recurrent");
  let info = { iterations: 0, converged: false, eigenvalue: 0 };
  const lambda = time(
    () => {
      const r = powerIteration(op, { seed: 2, maxIterations: 1000 });
      info = { iterations: r.iterations, converged: r.converged, eigenvalue: r.eigenvalue };
    },
    quick ? 1 : 3,
  );
  return { n, T, gradientMs: grad, hvpMs: hvp, hvpOverGradient: hvp / grad, lambda1Ms: lambda, ...info };
}

const Ns = quick ? [16, 32, 64] : [16, 32, 64, 128, 256];
const Ts = quick ? [25, 50, 100] : [25, 50, 100, 200, 400];
// One discarded pass over the smallest and largest size first, so that the JIT has seen every
// shape before anything is recorded (otherwise the first sizes measured pay for deoptimisations).
measure(Ns[0]!, Ts[0]!);
measure(Ns[Ns.length - 1]!, 50);
const byN = Ns.map((n) => measure(n, 50));
const byT = Ts.map((T) => measure(64, T));
const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
const rssMiB = process.memoryUsage().rss / 2 ** 20;
console.log(
  toJson({
    benchmark: "hessian",
    repeats,
    byN,
    byT,
    hvpExponentInN: slope(
      Ns.slice(-3),
      byN.slice(-3).map((r) => r.hvpMs),
    ),
    hvpExponentInT: slope(
      Ts.slice(-3),
      byT.slice(-3).map((r) => r.hvpMs),
    ),
    memory: { heapUsedMiB: heapMiB, rssMiB },
    node: process.version,
  }),
);
