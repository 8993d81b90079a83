/**
 * Seed 001's analytic stability map through the general free-probability engine: the sign of
 * the lower edge of X = D1 + W1ᵀ D2 W1 (appendix B.4) from its linearization and operator-valued
 * fixed point on a 200 × 200 grid (c log-spaced on [0.01, 100], α on [0, 1]) for each layer,
 *   - as a sign map (src/spectra/free/edge-sign-map.ts: edges at every eighth cell of a row and
 *     at every cell around sign changes, failures and possible double crossings), and
 *   - as a full edge map (src/spectra/free/edge-map.ts: the edge at every cell),
 * beside the specialized scalar path (src/phase/stability-map.ts) in the same run: seconds
 * (median over REPEATS), the cells whose classification differs from the specialized one (listed),
 * the largest edge difference (square-root and divergent edges apart), failures with their point
 * and residual, and the machine's load average before and after. Prints one JSON object;
 * `nice taskset -c 0 npx tsx bench/free-phase-map.ts` (one core), result in
 * bench/results/free-phase-map.json.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import type { Layer } from "../src/phase/layer.ts";
import { layerAlphas } from "../src/phase/layer.ts";
import { linSpace, logSpace, stabilityMap } from "../src/phase/stability-map.ts";
import { seed001Manifold } from "../src/spectra/free/closed-form-cases.ts";
import { lowerEdgeMap } from "../src/spectra/free/edge-map.ts";
import { lowerEdgeSignMap } from "../src/spectra/free/edge-sign-map.ts";
import { median } from "../src/util/median.ts";

const REPEATS = Number(process.env.REPEATS ?? 3);
const FULL_REPEATS = Number(process.env.FULL_REPEATS ?? 1);
const SIZE = Number(process.env.SIZE ?? 200);
const STRIDE = Number(process.env.STRIDE ?? 8);
const LISTED = 20;
const c = logSpace(0.01, 100, SIZE);
const alpha = linSpace(0, 1, SIZE);
const loadBefore = os.loadavg();
/** The CPUs this process may run on (Linux), to record `taskset -c 0`. */
function cpusAllowed(): string | null {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? null;
  } catch {
    return null;
  }
}

function timed<T>(repeats: number, run: () => T): { value: T; runs: number[] } {
  let value = run(); // warm-up (JIT)
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = run();
    runs.push((performance.now() - t0) / 1000);
  }
  return { value, runs };
}

const cell = (k: number) => ({ c: c[k % SIZE]!, alpha: alpha[Math.floor(k / SIZE)]! });
const results: Record<string, unknown> = {};
for (const layer of (process.env.LAYERS ?? "hidden,readout,both").split(",") as Layer[]) {
  const family = (cc: number, a: number) => {
    const { alphaH, alphaR } = layerAlphas(layer, a);
    return seed001Manifold(cc, alphaH, alphaR);
  };
  const special = timed(REPEATS, () => stabilityMap(layer, c, alpha));
  const signs = timed(REPEATS, () => lowerEdgeSignMap(family, c, alpha, { stride: STRIDE }));
  const full = timed(FULL_REPEATS, () => lowerEdgeMap(family, c, alpha));
  const s = special.value;
  // Classification of every cell against the specialized path's.
  const mismatches: unknown[] = [];
  let mismatchCount = 0;
  for (let k = 0; k < s.stable.length; k++) {
    if (signs.value.positive[k] === s.stable[k]) continue;
    mismatchCount++;
    if (mismatches.length < LISTED)
      mismatches.push({
        ...cell(k),
        general: signs.value.positive[k],
        specialized: s.stable[k],
        specializedEdge: s.lowerEdge[k],
      });
  }
  // Edges of the full map against the specialized ones.
  const worst = { "square-root": { d: 0, at: null as unknown }, divergent: { d: 0, at: null as unknown } };
  let verdictsDiffer = 0;
  let divergent = 0;
  for (let k = 0; k < s.lowerEdge.length; k++) {
    const g = full.value.lowerEdge[k]!;
    const sp = s.lowerEdge[k]!;
    if (full.value.kind[k] === 2) divergent++;
    if (!(Number.isFinite(g) && Number.isFinite(sp))) continue;
    const w = worst[full.value.kind[k] === 1 ? "square-root" : "divergent"];
    const d = Math.abs(g - sp) / (1 + Math.abs(sp));
    if (d > w.d) {
      w.d = d;
      w.at = { ...cell(k), general: g, specialized: sp };
    }
    if (g > 0 !== sp > 0) verdictsDiffer++;
  }
  const gm = median(signs.runs);
  const sm = median(special.runs);
  const fm = median(full.runs);
  results[layer] = {
    signMap: {
      medianSeconds: gm,
      runs: signs.runs,
      under5s: gm < 5,
      cellsComputed: signs.value.computed,
      newtonIterationsPerComputedCell: signs.value.iterations / signs.value.computed,
      failedCells: signs.value.failures.length,
      failures: signs.value.failures.slice(0, LISTED),
      classificationMismatches: mismatchCount,
      mismatchedCells: mismatches,
    },
    fullEdgeMap: {
      medianSeconds: fm,
      runs: full.runs,
      newtonIterationsPerCell: full.value.iterations / (SIZE * SIZE),
      failedCells: full.value.failures.length,
      failures: full.value.failures.slice(0, LISTED),
      divergentEdgeCells: divergent,
      maxRelativeEdgeDifference: { squareRoot: worst["square-root"].d, divergent: worst.divergent.d },
      worstCell: { squareRoot: worst["square-root"].at, divergent: worst.divergent.at },
      stabilityVerdictsDiffer: verdictsDiffer,
    },
    specialized: { medianSeconds: sm, runs: special.runs, failedCells: s.failures.length },
    ratioSignMapToSpecialized: gm / sm,
    ratioFullEdgeMapToSpecialized: fm / sm,
  };
  process.stderr.write(`${layer} done\n`);
}
console.log(
  JSON.stringify(
    {
      benchmark: "free-phase-map",
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      cpusAllowed: cpusAllowed(),
      loadAverage: { before: loadBefore, after: os.loadavg() },
      repeats: REPEATS,
      fullRepeats: FULL_REPEATS,
      grid: { c: [0.01, 100, SIZE, "log"], alpha: [0, 1, SIZE] },
      stride: STRIDE,
      results,
    },
    null,
    2,
  ),
);
