/**
 * Brown measures, outliers and three-layer curl descent's teacher point against sampled matrices
 * of side 2,000. The non-self-adjoint samples come from bench/brown_sampled_numpy.py (NumPy's
 * sampler and LAPACK's geev; ml-matrix takes about 45 s at side 800 and would take ~10 min at
 * 2,000), read from bench/results/brown-sampled-eigenvalues.json; X₃ is sampled here
 * (compareWithSamples, symmetric). For each case: the prediction, the sampled value, and the
 * finite-size bound it is judged by (see test/spectra/free/brown-sampled.test.ts for the
 * arguments): radial KS < 2 N^{-1/2} per support edge, outliers within 4 √(2/N), the rightmost
 * eigenvalue within the edge layer 3 √(log N / N) of the spectral abscissa, the lower edge of X₃ in
 * Tracy-Widom units |TW| < 6.
 * `python3 bench/brown_sampled_numpy.py 2000 1 && npx tsx bench/brown-sampled.ts` prints one JSON
 * object (kept in bench/results/brown-sampled.json).
 */
import { readFileSync } from "node:fs";
import { brownMeasure, rightmostSupportPoint } from "../src/spectra/free/brown-measure.ts";
import { lowerEdgeZeroCrossing } from "../src/spectra/free/critical-parameter.ts";
import * as E from "../src/spectra/free/expression.ts";
import * as C from "../src/spectra/free/non-hermitian-cases.ts";
import { brownOutliers } from "../src/spectra/free/outliers.ts";
import { rDiagonalBrownMeasure } from "../src/spectra/free/r-diagonal.ts";
import { compareWithSamples } from "../src/spectra/free/sampled-comparison.ts";

interface SampledCase {
  radius: number[];
  rightmost: [number, number];
  outlier?: [number, number];
}
const sampled = JSON.parse(
  readFileSync(new URL("./results/brown-sampled-eigenvalues.json", import.meta.url), "utf8"),
) as { N: number; seed: number; cases: Record<string, SampledCase> };
const N = sampled.N;

/** KS of sorted radii against a radial quantile function on a grid of 400 masses. */
function ks(radii: number[], quantile: (F: number) => number): number {
  let d = 0;
  let k = 0;
  for (let g = 1; g < 400; g++) {
    const F = g / 400;
    const q = quantile(F);
    while (k < radii.length && radii[k]! <= q) k++;
    d = Math.max(d, Math.abs(k / radii.length - F));
  }
  return d;
}

const edgeLayer = 3 * Math.sqrt(Math.log(N) / N);
const results: Record<string, unknown> = {};
const timed = <T>(name: string, f: () => T) => {
  const t0 = performance.now();
  const r = f();
  results[name] = { ...r, seconds: (performance.now() - t0) / 1000 };
  process.stderr.write(`${name} done\n`);
};

const disk = (name: string, expr: E.MatrixExpr, radiusBound: number) =>
  timed(name, () => {
    const s = sampled.cases[name]!;
    const abscissa = rightmostSupportPoint(brownMeasure(expr), 0)!;
    return {
      abscissa,
      sampledRightmost: s.rightmost[0],
      rightmostBound: edgeLayer * radiusBound,
      radialKS: ks(s.radius, Math.sqrt),
      radialKSBound: 2 / Math.sqrt(N),
    };
  });
disk("ginibre", C.ginibre(), 1);
disk("elliptic(0.5)", C.elliptic(0.5), 1.5);
disk("elliptic(-0.4)", C.elliptic(-0.4), 0.6);

timed("haarTimesDiagonal", () => {
  const N1 = E.space("N");
  const T = E.diagonal("T", N1, E.atomsLaw([1, 2], [0.5, 0.5]));
  const hl = rDiagonalBrownMeasure(E.product(T, T));
  const s = sampled.cases.haarTimesDiagonal!;
  return {
    innerRadius: hl.innerRadius,
    innerClosedForm: 1 / Math.sqrt(0.625),
    outerRadius: hl.outerRadius,
    outerClosedForm: Math.sqrt(2.5),
    sampledInner: s.radius[0],
    sampledOuter: s.radius[s.radius.length - 1],
    radiusBound: edgeLayer * Math.sqrt(2.5),
    radialKS: ks(s.radius, hl.radiusAt),
    radialKSBound: 4 / Math.sqrt(N),
  };
});

const outlier = (name: string, expr: E.MatrixExpr, theta: number) =>
  timed(name, () => {
    const [o] = brownOutliers(brownMeasure(expr), [{ re: theta, im: 0 }]);
    const s = sampled.cases[name]!.outlier!;
    return {
      theta,
      predicted: o!.location,
      sampled: s,
      distance: Math.hypot(s[0] - o!.location!.re, s[1] - o!.location!.im),
      bound: 4 * Math.sqrt(2 / N),
    };
  });
outlier("ginibre + (-1.6) u u'", C.ginibre(), -1.6);
outlier("elliptic(0.5) + 2 u u'", C.elliptic(0.5), 2);

// Three-layer curl descent: analytic c*(α1) (α2 = α3 = 0, N2 = N1), X₃ sampled at c* with N1 = N,
// and the rule's sampled crossings (learndyn phase --sampled, T = 110 and 220, 6 seeds).
const report = JSON.parse(
  readFileSync(new URL("../reports/sampled-boundary/sampled-curl-descent-3.json", import.meta.url), "utf8"),
) as { rows: { alpha1: number; extrapolated: { value: number; error: number } | null }[] };
for (const alpha1 of [0.25, 0.5, 0.75])
  timed(`curlDescent3(alpha1=${alpha1})`, () => {
    const cStar = lowerEdgeZeroCrossing((c) => C.curlDescent3Manifold(c, alpha1), 0.1, 2, 16).value!;
    const r = compareWithSamples(C.curlDescent3Manifold(cStar, alpha1), N, 1);
    const row = report.rows.find((x) => x.alpha1 === alpha1)!;
    return {
      cStar,
      sampledLowerEdgeAtCStar: r.minEigenvalue,
      lowerTracyWidom: r.lowerTracyWidom,
      side: r.side,
      ruleSampledCrossing: row.extrapolated,
      sigmas: row.extrapolated ? (row.extrapolated.value - cStar) / row.extrapolated.error : null,
    };
  });

console.log(
  JSON.stringify(
    { benchmark: "brown-sampled", node: process.version, N, seed: sampled.seed, results },
    null,
    2,
  ),
);
