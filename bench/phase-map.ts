/**
 * Speed of the analytic stability boundary of curl descent (seed 001, Fig. 2): a boundary curve
 * c*(α) at 200 α values, and a 500 × 500 stability map per layer (c log-spaced on [0.01, 100],
 * α on [0, 1]). Prints one JSON object: medians over repeated runs, per-point cost, the ratio to
 * the paper's reference implementation (about 0.12 s per (c, α) point for the hidden layer), and
 * memory. Run with `npx tsx bench/phase-map.ts`.
 */
import { boundaryCurve } from "../src/phase/boundary.ts";
import type { Layer } from "../src/phase/layer.ts";
import { linSpace, logSpace, stabilityMap } from "../src/phase/stability-map.ts";
import { median } from "../src/util/median.ts";

const REPEATS = Number(process.env.REPEATS ?? 5);
const REFERENCE_SECONDS_PER_POINT = 0.12;

function time(fn: () => unknown): number[] {
  fn(); // warm-up (JIT)
  const out: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

const c = logSpace(0.01, 100, 500);
const alpha = linSpace(0, 1, 500);
const alphas200 = linSpace(0, 1, 200);
const results: Record<string, unknown> = {};
for (const layer of ["hidden", "readout", "both"] as Layer[]) {
  let failures = 0;
  const mapTimes = time(() => {
    failures = stabilityMap(layer, c, alpha).failures.length;
  });
  const curveTimes = time(() => boundaryCurve(layer, alphas200, 0.01, 100));
  const mapMedian = median(mapTimes);
  results[layer] = {
    map500x500: {
      medianSeconds: mapMedian,
      runs: mapTimes,
      secondsPerPoint: mapMedian / (c.length * alpha.length),
      failedPoints: failures,
      speedupOverReference: (REFERENCE_SECONDS_PER_POINT * c.length * alpha.length) / mapMedian,
      under1s: mapMedian < 1,
    },
    boundaryCurve200: { medianSeconds: median(curveTimes), runs: curveTimes },
  };
}
const mem = process.memoryUsage();
console.log(
  JSON.stringify(
    {
      benchmark: "phase-map",
      node: process.version,
      repeats: REPEATS,
      grid: { c: [0.01, 100, 500, "log"], alpha: [0, 1, 500] },
      referenceSecondsPerPoint: REFERENCE_SECONDS_PER_POINT,
      results,
      memory: { rssMB: mem.rss / 2 ** 20, heapUsedMB: mem.heapUsed / 2 ** 20 },
    },
    null,
    2,
  ),
);
