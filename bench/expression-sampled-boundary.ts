/**
 * Stability boundaries no paper gives, analytic against sampled matrices: three-layer curl
 * descent's X₃ = D1 + W1'D2W1 + W1'W2'D3W2W1 (rules/spectra/curl-descent-3-manifold.matrix) at
 * α1 = 0.25, 0.5, 0.75 (α2 = α3 = 0, r = 1), and feedback alignment's X_FA = W1'D2W1 at overlap 0
 * (rules/spectra/feedback-alignment-manifold.matrix) at α_r = 0.1, 0.25 (at α_r = 0.5 the law is
 * symmetric about 0 and no c is stable: checked by sampling too). For each: the analytic c* of the
 * general engine; λ_min of samples over a grid of c around it at three sizes (the path of
 * `learndyn phase FILE.matrix --sampled`); each size's crossing, their extrapolation in side^(−2/3)
 * and the deviation in standard errors; and the finite-size gap λ_min − edge at c* over four sizes
 * with its fitted exponent (Tracy-Widom: 2/3).
 *
 * `nice npx tsx bench/expression-sampled-boundary.ts > bench/results/expression-sampled-boundary.json`
 * (progress on stderr; 11 minutes on a shared 2-core machine under a load of 5).
 */
import { readFileSync } from "node:fs";
import { edgeGapScaling, expressionSampledBoundary } from "../src/phase/expression-sampled-boundary.ts";
import { extrapolateCrossings } from "../src/phase/sampled-boundary.ts";

interface Case {
  readonly file: string;
  readonly curve: string;
  readonly value: number;
  readonly params: Record<string, number>;
  /** Grid of c: from, step, count. */
  readonly grid: readonly [number, number, number];
  readonly size: string;
  readonly sizes: readonly number[];
  readonly gapSizes: readonly number[];
}

const X3 = "rules/spectra/curl-descent-3-manifold.matrix";
const FA = "rules/spectra/feedback-alignment-manifold.matrix";
const SEEDS = Array.from({ length: 6 }, (_, k) => 1 + k);
const GAP_SEEDS = Array.from({ length: 12 }, (_, k) => 1001 + k);
// Sides at c*: X₃ M = c N1 ≈ 90-490; X_FA M = c N ≈ 67-400. The grids reach from a little below
// c* to above the finite-size crossings, which sit above c* by the Tracy-Widom shift.
const cases: Case[] = [
  ...[0.25, 0.5, 0.75].map((a) => ({
    file: X3,
    curve: "alpha1",
    value: a,
    params: { alpha1: a },
    grid: [{ 0.25: 0.46, 0.5: 0.375, 0.75: 0.325 }[a]!, 0.01, 9] as const,
    size: "N1",
    sizes: [250, 500, 1000],
    gapSizes: [125, 250, 500, 1000],
  })),
  // N from N0 to 4 N0 with N0 = 500 at α_r = 0.1 and 1000 at 0.25 (c* three times smaller).
  ...(
    [
      [0.1, 0.18, 0.006, 500],
      [0.25, 0.06, 0.002, 1000],
    ] as const
  ).map(([a, from, step, n0]) => ({
    file: FA,
    curve: "alphaR",
    value: a,
    params: { alphaR: a },
    grid: [from, step, 9] as const,
    size: "N",
    sizes: [n0, 2 * n0, 4 * n0],
    gapSizes: [n0 / 2, n0, 2 * n0, 4 * n0],
  })),
];

const progress = (label: string) => {
  let k = 0;
  return () => {
    k++;
    if (k % 20 === 0) process.stderr.write(`\r${label}: ${k} samples`);
  };
};
const started = performance.now();
const rows = cases.map((c) => {
  const t0 = performance.now();
  const text = readFileSync(c.file, "utf8");
  const [from, step, count] = c.grid;
  const label = `${c.file} ${c.curve} = ${c.value}`;
  const b = expressionSampledBoundary(text, c.file, {
    x: { name: "c", values: Array.from({ length: count }, (_, k) => +(from + step * k).toFixed(6)) },
    params: c.params,
    size: { name: c.size, values: c.sizes },
    seeds: SEEDS,
    onSample: progress(label),
  });
  const boundarySeconds = (performance.now() - t0) / 1000;
  const gap =
    b.analytic.value === null
      ? null
      : edgeGapScaling(text, c.file, {
          x: { name: "c", value: b.analytic.value },
          params: c.params,
          size: { name: c.size, values: c.gapSizes },
          seeds: GAP_SEEDS,
          onSample: progress(`${label} gap`),
        });
  process.stderr.write("\n");
  return {
    file: c.file,
    [c.curve]: c.value,
    analytic: b.analytic,
    extrapolated: b.extrapolated,
    deviationSigma: b.deviationSigma,
    // The same crossings extrapolated in 1/side instead (the leading correction assumed analytic).
    extrapolatedInverseSide: extrapolateCrossings(
      b.sizes.map((s) => ({ crossing: s.crossing, sizeAtCrossing: s.sideAtCrossing ?? Number.NaN })),
      1,
    ),
    crossings: b.sizes.map((s) => ({
      [c.size]: s.size,
      sideAtCrossing: s.sideAtCrossing,
      ...s.crossing,
    })),
    edgeGap: gap,
    failures: b.failures,
    seconds: { boundary: boundarySeconds, gap: (performance.now() - t0) / 1000 - boundarySeconds },
    points: b.sizes.map((s) => ({
      [c.size]: s.size,
      points: s.points.map((p) => ({
        c: p.x,
        side: p.side,
        mean: p.mean,
        standardError: p.standardError,
        edge: p.edge,
      })),
    })),
  };
});
// At α_r = 0.5 the law of W1'D2W1 is symmetric about 0: unstable at every c.
const t0 = performance.now();
const symmetric = expressionSampledBoundary(readFileSync(FA, "utf8"), FA, {
  x: { name: "c", values: [0.02, 0.05, 0.1, 0.2, 0.4] },
  params: { alphaR: 0.5 },
  size: { name: "N", values: [1000] },
  seeds: SEEDS.slice(0, 3),
});
const unstable = {
  file: FA,
  alphaR: 0.5,
  analytic: symmetric.analytic,
  status: symmetric.sizes[0]!.crossing.status,
  means: symmetric.sizes[0]!.points.map((p) => ({ c: p.x, mean: p.mean, edge: p.edge })),
  seconds: (performance.now() - t0) / 1000,
};
// One exponent for all cases: the weighted mean of the fitted ones (weights 1/error²).
const fitted = rows.flatMap((r) =>
  r.edgeGap?.exponent != null && r.edgeGap.exponentError
    ? [[r.edgeGap.exponent, r.edgeGap.exponentError]]
    : [],
);
const weight = fitted.reduce((a, [, e]) => a + 1 / e! ** 2, 0);
const edgeGapExponent = {
  value: fitted.reduce((a, [p, e]) => a + p! / e! ** 2, 0) / weight,
  error: 1 / Math.sqrt(weight),
  predicted: 2 / 3,
};
console.log(
  JSON.stringify(
    {
      benchmark: "expression-sampled-boundary",
      edgeGapExponent,
      node: process.version,
      seedsPerPoint: SEEDS.length,
      gapSeeds: GAP_SEEDS.length,
      extrapolatedIn: "side^(-2/3) at the crossing",
      seconds: (performance.now() - started) / 1000,
      rows,
      unstable,
    },
    null,
    2,
  ),
);
