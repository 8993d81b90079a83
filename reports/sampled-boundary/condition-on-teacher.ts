/**
 * A sharper cross-check of curl descent's sampled c*, conditioned on each sample's teacher:
 * `npx tsx reports/sampled-boundary/condition-on-teacher.ts` (seconds; writes
 * sampled-curl-descent-conditioned.json).
 *
 * Each recorded sample is the rightmost eigenvalue λ = −x_min/2 of the rule's reduced Jacobian,
 * x_min the smallest eigenvalue of X = ‖W2‖²D1 + W1ᵀW1 at the teacher (checked in
 * test/analysis/network/manifold.test.ts). Its run is drawn again (the same seed and sizes give
 * the same teacher), and λ is moved by half the change of the free-probability lower edge from the
 * sample's own ‖W2‖² and flip fraction round(α_h M)/M to ‖W2‖² = 1 and α_h, the values seed
 * 001's law takes in the limit (‖W2‖² ≈ 1 by the law of large numbers, after its eq. 102). The
 * mean is unchanged to O(1/N) (E‖W2‖² = 1 exactly); the spread over seeds drops, most of it being
 * ‖W2‖²'s √(2/N). The crossings and their extrapolation in M^(-2/3) then follow as in
 * `phase --sampled`. This uses seed 001's law, so it is a check of the analytic c*, not a
 * method for rules without one.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { curlDescentLowerEdge } from "../../src/phase/curl-descent-law.ts";
import {
  EDGE_EXPONENT,
  extrapolateInverseSize,
  type SampledPoint,
  sampledCrossing,
} from "../../src/phase/sampled-boundary.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { writeJson } from "../../src/util/io.ts";

const dir = import.meta.dirname;
const spec = builtinNetworkRule("curl-descent");
const index = (name: string) => spec.fixed.findIndex((d) => d.name === name);
const edge = (c: number, alphaH: number, w: number) => {
  const r = curlDescentLowerEdge({ c, alphaH, alphaR: 0, w2NormSquared: w });
  if (!r.ok) throw new Error(`lower edge at c = ${c}, alphaH = ${alphaH}, |W2|^2 = ${w}: ${r.reason}`);
  return r.edge;
};

const rows = ["0.2", "0.5", "0.8"].map((a) => {
  const run = JSON.parse(readFileSync(join(dir, `sampled-curl-descent-alphaH-${a}.json`), "utf8")) as {
    rows: { alphaH: number; analytic: number; sizes: { T: number; points: SampledPoint[] }[] }[];
  };
  const row = run.rows[0]!;
  const sizes = row.sizes.map(({ T, points }) => {
    const conditioned = points.map((p): SampledPoint => {
      const { M, N } = p.sizes as { M: number; N: number };
      const model = compileModel(spec, { sizes: p.sizes });
      const samples = p.samples.map((s) => {
        const [draw] = drawRuns(model, [{ seed: s.seed, params: { alphaH: row.alphaH } }]);
        const w = draw!.fixed[index("W2t")]!.reduce((t, v) => t + v * v, 0);
        const flipped = draw!.fixed[index("s1")]!.filter((v) => v < 0).length;
        const shift = edge(M / N, flipped / M, w) - edge(M / N, row.alphaH, 1);
        return { ...s, lambda: s.lambda === null ? null : s.lambda + shift / 2 };
      });
      const values = samples.map((s) => s.lambda).filter((v): v is number => v !== null);
      const mean = values.reduce((x, y) => x + y, 0) / values.length;
      const sd = Math.sqrt(values.reduce((x, v) => x + (v - mean) ** 2, 0) / (values.length - 1));
      return { ...p, samples, mean, standardError: sd / Math.sqrt(values.length) };
    });
    const crossing = sampledCrossing(conditioned);
    return { T, crossing, M: crossing.value === null ? null : (crossing.value * T) / (1 + crossing.value) };
  });
  const fit = extrapolateInverseSize(
    sizes.map((s) => ({ size: s.M!, value: s.crossing.value!, error: s.crossing.error! })),
    EDGE_EXPONENT,
  );
  return {
    alphaH: row.alphaH,
    analytic: row.analytic,
    crossings: sizes.map((s) => ({ T: s.T, value: s.crossing.value, error: s.crossing.error })),
    extrapolated: { value: fit.intercept, error: fit.interceptError },
    deviationInErrors: (fit.intercept - row.analytic) / fit.interceptError,
  };
});
writeJson(join(dir, "sampled-curl-descent-conditioned.json"), {
  rule: "curl-descent",
  conditionedOn: "each sample's |W2|^2 and flip fraction, through seed 001's lower edge",
  extrapolatedIn: "M^(-2/3) at the crossing",
  rows,
});
for (const r of rows)
  console.log(
    `alphaH = ${r.alphaH}: ${r.crossings.map((c) => `T = ${c.T}: ${c.value?.toFixed(4)} ± ${c.error?.toFixed(4)}`).join("; ")}; extrapolated ${r.extrapolated.value.toFixed(4)} ± ${r.extrapolated.error.toFixed(4)}; analytic ${r.analytic.toFixed(4)} (${r.deviationInErrors.toFixed(1)} errors)`,
  );
