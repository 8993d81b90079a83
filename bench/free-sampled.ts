/**
 * The general free-probability engine's limits against sampled matrices at side 2,000 (one seed
 * each): extreme eigenvalues in Tracy-Widom units of their edges, Kolmogorov-Smirnov and
 * Wasserstein-1 distances of the spectrum (src/spectra/free/sampled-comparison.ts), and the time
 * each takes. Prints one JSON object; `nice npx tsx bench/free-sampled.ts [n]` (default 2000),
 * result in bench/results/free-sampled.json (with the machine's load average: the seconds are
 * those of a shared machine).
 */
import os from "node:os";
import * as C from "../src/spectra/free/closed-form-cases.ts";
import { compareWithSamples } from "../src/spectra/free/sampled-comparison.ts";

const n = Number(process.argv[2] ?? 2000);
const cases = {
  semicircleSum: C.semicircleSum(),
  marchenkoPasturC025: C.wishart(0.25),
  marchenkoPasturC25: C.wishart(2.5),
  fussCatalan: C.wishartProduct(),
  anticommutator: C.anticommutator(),
  seed001: C.seed001Manifold(0.5, 0.3, 0.2),
};
const results: Record<string, unknown> = {};
const loadBefore = os.loadavg();
for (const [name, expr] of Object.entries(cases)) {
  // An expression on a space of relative size r has side r·n: sample it at n / r so that every
  // matrix has side n (MP at c = 2.5 and 0.25, seed 001's M = cN at c = 0.5).
  const ratio: Record<string, number> = { marchenkoPasturC25: 2.5, marchenkoPasturC025: 0.25, seed001: 0.5 };
  const size = Math.round(n / (ratio[name] ?? 1));
  const t0 = performance.now();
  const r = compareWithSamples(expr, size, 1);
  results[name] = { ...r, seconds: (performance.now() - t0) / 1000 };
  process.stderr.write(`${name} done\n`);
}
console.log(
  JSON.stringify(
    {
      benchmark: "free-sampled",
      node: process.version,
      cpu: os.cpus()[0]?.model,
      loadAverage: { before: loadBefore, after: os.loadavg() },
      n,
      results,
    },
    null,
    2,
  ),
);
