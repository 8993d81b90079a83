/**
 * ODE solver speed: steps and field evaluations per second of DormandPrince54 + PIController and
 * of RK4 with fixed steps, against two baselines: a hand-inlined RK4 loop (the cost of the
 * generic tableau stepper) and, where python3 with SciPy is present, SciPy's RK45 (the same
 * Dormand-Prince pair) on the Arenstorf orbit. Prints JSON; medians of repeated runs.
 *
 *   npx tsx bench/ode.ts
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  ConstantStepSize,
  DormandPrince54,
  integrate,
  PIController,
  RK4,
  type VectorField,
} from "../src/ode/index.ts";
import { median } from "../src/util/median.ts";

function time(repeats: number, run: () => void): number {
  run(); // warm-up (JIT)
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    ts.push((performance.now() - start) / 1000);
  }
  return median(ts);
}

const MU = 0.012277471;
const MUP = 1 - MU;
const arenstorf: VectorField = (_t, y, dy) => {
  let r1 = (y[0]! + MU) ** 2 + y[1]! ** 2;
  r1 *= Math.sqrt(r1);
  let r2 = (y[0]! - MUP) ** 2 + y[1]! ** 2;
  r2 *= Math.sqrt(r2);
  dy[0] = y[2]!;
  dy[1] = y[3]!;
  dy[2] = y[0]! + 2 * y[3]! - (MUP * (y[0]! + MU)) / r1 - (MU * (y[0]! - MUP)) / r2;
  dy[3] = y[1]! - 2 * y[2]! - (MUP * y[1]!) / r1 - (MU * y[1]!) / r2;
};
// Hairer's values (-2.00158510637908252240537862224, 17.0652165601579625588917206249) as float64.
const Y0 = [0.994, 0, 0, -2.0015851063790824];
const T = 17.065216560157964;

// 1. DormandPrince54 + PI on Arenstorf (n = 4), tol 1e-10.
const tol = 1e-10;
let stats = { accepted: 0, rejected: 0, evaluations: 0 };
let returnError = 0;
const dpSeconds = time(9, () => {
  const r = integrate(arenstorf, DormandPrince54, PIController({ rtol: tol, atol: tol }), {
    t0: 0,
    t1: T,
    y0: Y0,
    maxSteps: 1_000_000,
  });
  stats = r.stats;
  returnError = Math.max(...r.y.map((v, i) => Math.abs(v - Y0[i]!)));
});

// 2. RK4 fixed step on a decoupled linear system of dimension n (memory-bound inner loops).
function linearDecay(n: number): VectorField {
  return (_t, y, dy) => {
    for (let i = 0; i < n; i++) dy[i] = -(1 + i / n) * y[i]!;
  };
}
const sizes = [4, 100, 10_000];
const rk4 = sizes.map((n) => {
  const steps = Math.max(100, Math.round(2_000_000 / n));
  const field = linearDecay(n);
  const y0 = new Float64Array(n).fill(1);
  const seconds = time(5, () => {
    integrate(field, RK4, ConstantStepSize(1 / steps), { t0: 0, t1: 1, y0, maxSteps: steps });
  });
  // Baseline: the same RK4 written out by hand for this field, no solver abstraction.
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const y = new Float64Array(n);
  const h = 1 / steps;
  const inlineSeconds = time(5, () => {
    y.fill(1);
    for (let s = 0; s < steps; s++) {
      field(0, y, k1);
      for (let i = 0; i < n; i++) tmp[i] = y[i]! + 0.5 * h * k1[i]!;
      field(0, tmp, k2);
      for (let i = 0; i < n; i++) tmp[i] = y[i]! + 0.5 * h * k2[i]!;
      field(0, tmp, k3);
      for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * k3[i]!;
      field(0, tmp, k4);
      for (let i = 0; i < n; i++) y[i] = y[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    }
  });
  return {
    n,
    steps,
    seconds,
    stepsPerSecond: steps / seconds,
    inlineSeconds,
    ratioToInline: seconds / inlineSeconds,
  };
});

// 3. SciPy baseline, if available.
let scipy: Record<string, number> | { unavailable: string };
const script = fileURLToPath(new URL("./ode_scipy.py", import.meta.url));
const py = spawnSync("python3", [script, String(tol), "5"], { encoding: "utf8" });
if (py.status === 0) scipy = JSON.parse(py.stdout.trim());
else scipy = { unavailable: (py.error?.message ?? py.stderr).trim().split("\n").slice(-1)[0] ?? "unknown" };

const memory = process.memoryUsage();
console.log(
  JSON.stringify(
    {
      dormandPrince54Arenstorf: {
        tol,
        seconds: dpSeconds,
        ...stats,
        stepsPerSecond: (stats.accepted + stats.rejected) / dpSeconds,
        evaluationsPerSecond: stats.evaluations / dpSeconds,
        returnError,
        scipyRK45: scipy,
        speedupOverScipy: "seconds" in scipy ? (scipy.seconds as number) / dpSeconds : null,
      },
      rk4FixedStep: rk4,
      memory: { rssMB: memory.rss / 2 ** 20, heapUsedMB: memory.heapUsed / 2 ** 20 },
    },
    null,
    2,
  ),
);
