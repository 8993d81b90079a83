/**
 * Seed 001's analytic stability map through the general free-probability engine: the lower edge
 * of X = D1 + W1ᵀ D2 W1 (appendix B.4) from its linearization and operator-valued fixed point
 * (src/spectra/free/edge-map.ts) on a 200 × 200 grid (c log-spaced on [0.01, 100], α on [0, 1])
 * for each layer, beside the specialized scalar path (src/phase/stability-map.ts) on the same grid
 * in the same run: seconds (median over REPEATS), the largest edge difference, and the points
 * whose stability verdicts differ. Prints one JSON object; `npx tsx bench/free-phase-map.ts`.
 * Single-threaded (one core).
 */
import os from "node:os";
import type { Layer } from "../src/phase/layer.ts";
import { layerAlphas } from "../src/phase/layer.ts";
import { linSpace, logSpace, stabilityMap } from "../src/phase/stability-map.ts";
import { seed001Manifold } from "../src/spectra/free/closed-form-cases.ts";
import { lowerEdgeMap } from "../src/spectra/free/edge-map.ts";
import { median } from "../src/util/median.ts";

const REPEATS = Number(process.env.REPEATS ?? 3);
const SIZE = Number(process.env.SIZE ?? 200);
const c = logSpace(0.01, 100, SIZE);
const alpha = linSpace(0, 1, SIZE);
const results: Record<string, unknown> = {};
for (const layer of (process.env.LAYERS ?? "hidden,readout,both").split(",") as Layer[]) {
  const family = (cc: number, a: number) => {
    const { alphaH, alphaR } = layerAlphas(layer, a);
    return seed001Manifold(cc, alphaH, alphaR);
  };
  const generalRuns: number[] = [];
  let general = lowerEdgeMap(family, c.slice(0, 20), alpha.slice(0, 20)); // warm-up (JIT)
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    general = lowerEdgeMap(family, c, alpha);
    generalRuns.push((performance.now() - t0) / 1000);
  }
  const specialRuns: number[] = [];
  let special = stabilityMap(layer, c, alpha);
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    special = stabilityMap(layer, c, alpha);
    specialRuns.push((performance.now() - t0) / 1000);
  }
  let maxDiff = 0;
  let worst: unknown = null;
  let verdictsDiffer = 0;
  let divergent = 0;
  for (let k = 0; k < general.lowerEdge.length; k++) {
    const g = general.lowerEdge[k]!;
    const s = special.lowerEdge[k]!;
    if (general.kind[k] === 2) divergent++;
    if (!(Number.isFinite(g) && Number.isFinite(s))) continue;
    const d = Math.abs(g - s) / (1 + Math.abs(s));
    if (d > maxDiff) {
      maxDiff = d;
      worst = { c: c[k % SIZE], alpha: alpha[Math.floor(k / SIZE)], general: g, specialized: s };
    }
    if (g > 0 !== s > 0) verdictsDiffer++;
  }
  const gm = median(generalRuns);
  const sm = median(specialRuns);
  results[layer] = {
    general: {
      medianSeconds: gm,
      runs: generalRuns,
      failedPoints: general.failures.length,
      newtonIterationsPerPoint: general.iterations / (SIZE * SIZE),
      divergentEdgePoints: divergent,
      under5s: gm < 5,
    },
    specialized: { medianSeconds: sm, runs: specialRuns, failedPoints: special.failures.length },
    ratioGeneralToSpecialized: gm / sm,
    maxRelativeEdgeDifference: maxDiff,
    worstPoint: worst,
    stabilityVerdictsDiffer: verdictsDiffer,
  };
}
console.log(
  JSON.stringify(
    {
      benchmark: "free-phase-map",
      node: process.version,
      cpu: os.cpus()[0]?.model,
      loadAverage: os.loadavg(),
      repeats: REPEATS,
      grid: { c: [0.01, 100, SIZE, "log"], alpha: [0, 1, SIZE] },
      results,
    },
    null,
    2,
  ),
);
