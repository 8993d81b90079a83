/**
 * Time to check the theorem catalog, per seed paper: median of repeated runs (wall clock, one
 * process), instances checked, and heap use. The statistical claims (seconds each) are timed
 * once, separately. Prints one JSON document.
 *
 *   npx tsx bench/theory-catalog.ts [repeats=3]
 */
import { SEED_IDS } from "../src/cli/claim-catalog.ts";
import { median } from "../src/util/median.ts";
import { claims } from "../theory/catalog.ts";
import { runClaim } from "../theory/claim.ts";

const repeats = Number(process.argv[2] ?? 3);

const perSeed = SEED_IDS.map((seed) => {
  const selected = claims.filter((c) => c.seed === seed && !c.heavy);
  const times: number[] = [];
  let instances = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    instances = selected.reduce((acc, c) => acc + runClaim(c).runs, 0);
    times.push((performance.now() - t0) / 1000);
  }
  return { seed, claims: selected.length, instances, medianSeconds: median(times), times };
});
const heavy = claims
  .filter((c) => c.heavy)
  .map((c) => {
    const t0 = performance.now();
    const r = runClaim(c);
    return { id: c.id, verdict: r.verdict, seconds: (performance.now() - t0) / 1000 };
  });
const mem = process.memoryUsage();
console.log(
  JSON.stringify(
    {
      repeats,
      perSeed,
      totalMedianSeconds: perSeed.reduce((a, s) => a + s.medianSeconds, 0),
      heavy,
      memory: { rssMB: mem.rss / 2 ** 20, heapUsedMB: mem.heapUsed / 2 ** 20 },
    },
    null,
    2,
  ),
);
