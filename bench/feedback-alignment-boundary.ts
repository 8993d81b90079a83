/**
 * Feedback alignment's teacher-point boundary: the annealed deterministic equivalent c*(α_h) at
 * the sizes of the committed sampled runs (reports/sampled-boundary/sampled-feedback-alignment.json,
 * `learndyn phase feedback-alignment --sampled`, T = M + N = 110 and 220, 6 seeds, α_r = 0),
 * and the large-network limit (c* → 1 as N grows, α_h dropping out). Prints one JSON object
 * (kept in bench/results/feedback-alignment-boundary.json): `npx tsx bench/feedback-alignment-boundary.ts`.
 */
import { readFileSync } from "node:fs";
import { feedbackAlignmentCriticalRatio } from "../src/spectra/free/feedback-alignment.ts";

const report = JSON.parse(
  readFileSync(
    new URL("../reports/sampled-boundary/sampled-feedback-alignment.json", import.meta.url),
    "utf8",
  ),
) as {
  rows: {
    alphaH: number;
    sizes: {
      T: number;
      crossing: { status: string; value: number | null; low: number | null; high: number | null };
    }[];
  }[];
};
const rows: unknown[] = [];
for (const alphaH of [0.25, 0.5]) {
  for (const T of [110, 220]) {
    const t0 = performance.now();
    const cStar = feedbackAlignmentCriticalRatio(alphaH, 0, (c) => T - Math.round((c * T) / (1 + c)));
    const sampled = report.rows.find((r) => r.alphaH === alphaH)!.sizes.find((s) => s.T === T)!.crossing;
    rows.push({
      alphaH,
      T,
      annealedCStar: cStar,
      sampled,
      insideSampledBracket:
        cStar !== null && sampled.low !== null && cStar >= sampled.low && cStar <= sampled.high!,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  for (const N of [1e3, 1e4, 1e6])
    rows.push({ alphaH, N, annealedCStar: feedbackAlignmentCriticalRatio(alphaH, 0, () => N, 0.2, 0.99999) });
}
console.log(
  JSON.stringify({ benchmark: "feedback-alignment-boundary", node: process.version, rows }, null, 2),
);
