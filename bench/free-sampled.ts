/**
 * The general free-probability engine's limits against sampled matrices at side 2,000 (one seed
 * each): extreme eigenvalues in Tracy-Widom units of their edges, Kolmogorov-Smirnov and
 * Wasserstein-1 distances of the spectrum (src/spectra/free/sampled-comparison.ts), and the time
 * each takes. Prints one JSON object; `npx tsx bench/free-sampled.ts [n]` (default 2000), result
 * in bench/results/free-sampled.json.
 */
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
for (const [name, expr] of Object.entries(cases)) {
  // MP at c = 2.5 has side 2.5 n: sample it at n / 2.5 so that every matrix has side 2,000.
  const size =
    name === "marchenkoPasturC25"
      ? Math.round(n / 2.5)
      : name === "marchenkoPasturC025"
        ? Math.round(n / 0.25)
        : n;
  const t0 = performance.now();
  const r = compareWithSamples(expr, size, 1);
  results[name] = { ...r, seconds: (performance.now() - t0) / 1000 };
  process.stderr.write(`${name} done\n`);
}
console.log(JSON.stringify({ benchmark: "free-sampled", node: process.version, n, results }, null, 2));
