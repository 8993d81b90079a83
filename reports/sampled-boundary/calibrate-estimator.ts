/**
 * Calibrates `phase --sampled`'s estimator of c* on seed 001's matrix model, where the answer is
 * known (the rule's reduced Jacobian on the manifold is −X/2, X = ‖W2‖²D1 + W1ᵀW1; checked in
 * test/analysis/network/manifold.test.ts). Reads the samples of matrix_model_pool.py:
 *
 *   python3 reports/sampled-boundary/matrix_model_pool.py edge /tmp/edge.json
 *   python3 reports/sampled-boundary/matrix_model_pool.py window /tmp/window.json
 *   npx tsx reports/sampled-boundary/calibrate-estimator.ts /tmp/edge.json /tmp/window.json
 *
 * and writes estimator-calibration.json:
 * - edgeShape: the law's density near its lower edge at c*, C(δ) = ρ(e + δ)/√δ;
 * - edge: at the sizes nearest c* (M + N = 110 … 3520), the mean of λ_min(X) − e (e the
 *   free-probability lower edge at the realized M/N and flip fraction, with ‖W2‖² = 1, or
 *   conditioned on each sample's ‖W2‖²) in units of the Tracy-Widom scale (πCM)^(-2/3), where
 *   ρ(x) ≈ C√(x − e) near the edge (TW1: mean 1.2065, sd 1.268, the smallest eigenvalue above e);
 * - window: on each run's 8-ratio window at M + N = 220, 440, 880, the crossing from all 1,000
 *   samples a point (the finite-size c*), its extrapolations in M^(-2/3) and 1/M, and 400
 *   replicates of 6 seeds a point (the runs' design) estimated as the tool does now (local
 *   quadratic fit, M^(-2/3)) and as it did before (the line between the two grid points around
 *   the sign change of the means, the bar where mean ± standard error cross 0, 1/M): bias, spread,
 *   mean reported error and rms z-score of the extrapolated c*.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { criticalRatio } from "../../src/phase/boundary.ts";
import { curlDescentLowerEdge, curlDescentSpectrum } from "../../src/phase/curl-descent-law.ts";
import {
  EDGE_EXPONENT,
  extrapolateInverseSize,
  type SampledPoint,
  sampledCrossing,
} from "../../src/phase/sampled-boundary.ts";
import { freeSumDensity } from "../../src/spectra/free-convolution.ts";
import { writeJson } from "../../src/util/io.ts";
import { Rng } from "../../src/util/random.ts";

interface PoolPoint {
  alphaH: number;
  T: number;
  c: number;
  M: number;
  N: number;
  k: number;
  xmin: number[];
  w: number[];
}
const read = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { points: PoolPoint[] }).points;
const [edgeFile, windowFile] = process.argv.slice(2);
if (!edgeFile || !windowFile) throw new Error("usage: calibrate-estimator.ts EDGE.json WINDOW.json");

const edgeAt = (c: number, alphaH: number, w = 1) => {
  const r = curlDescentLowerEdge({ c, alphaH, alphaR: 0, w2NormSquared: w });
  if (!r.ok) throw new Error(`lower edge at c = ${c}, alphaH = ${alphaH}: ${r.reason}`);
  return r.edge;
};
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: readonly number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1));
};

// Edge: the offset of the smallest eigenvalue from the edge on the Tracy-Widom scale.
const edge = read(edgeFile).map((p) => {
  const c = p.M / p.N;
  const alpha = p.k / p.M;
  const e = edgeAt(c, alpha);
  const delta = 1e-4;
  const C =
    freeSumDensity(curlDescentSpectrum({ c, alphaH: alpha, alphaR: 0 }), e + delta, 1e-12) / Math.sqrt(delta);
  const scale = (Math.PI * C * p.M) ** (-2 / 3);
  const raw = p.xmin.map((x) => x - e);
  const conditioned = p.xmin.map((x, i) => x - edgeAt(c, alpha, p.w[i]!));
  return {
    alphaH: p.alphaH,
    T: p.T,
    M: p.M,
    N: p.N,
    samples: p.xmin.length,
    offset: mean(raw),
    offsetError: sd(raw) / Math.sqrt(raw.length),
    conditionedOffset: mean(conditioned),
    conditionedOffsetError: sd(conditioned) / Math.sqrt(conditioned.length),
    spread: sd(raw),
    conditionedSpread: sd(conditioned),
    scaledMean: mean(conditioned) / scale,
    scaledSpread: sd(conditioned) / scale,
  };
});

// The shape of the law's lower edge at c*: C(δ) = ρ(e + δ)/√δ is constant near a square-root edge
// (it would vanish or diverge at a cusp or a hard edge).
const edgeShape = [0.2, 0.5, 0.8].map((alphaH) => {
  const c = criticalRatio(alphaH, 0).value!;
  const e = edgeAt(c, alphaH);
  const sum = curlDescentSpectrum({ c, alphaH, alphaR: 0 });
  return {
    alphaH,
    cStar: c,
    edge: e,
    C: [1e-5, 1e-4, 1e-3, 1e-2].map((delta) => ({
      delta,
      C: freeSumDensity(sum, e + delta, 1e-12) / Math.sqrt(delta),
    })),
  };
});

// Window: the estimators against c*.
const toPoint = (p: PoolPoint, pick: readonly number[]): SampledPoint => {
  const lambdas = pick.map((i) => -p.xmin[i]! / 2);
  return {
    ratio: p.M / p.N,
    sizes: { M: p.M, N: p.N },
    samples: lambdas.map((lambda, s) => ({ seed: s, lambda, imaginary: 0, rank: p.M })),
    mean: mean(lambdas),
    standardError: sd(lambdas) / Math.sqrt(lambdas.length),
    stableFraction: null,
    field: "population",
  };
};
/** The former estimator: the two grid points around the sign change of the means. */
const formerCrossing = (points: readonly SampledPoint[]) => {
  const at = (f: (p: SampledPoint) => number) => {
    for (let i = 1; i < points.length; i++) {
      const a = f(points[i - 1]!);
      const b = f(points[i]!);
      if (Math.sign(a) !== Math.sign(b))
        return points[i - 1]!.ratio + ((points[i]!.ratio - points[i - 1]!.ratio) * -a) / (b - a);
    }
    return null;
  };
  const value = at((p) => p.mean!);
  const lo = at((p) => p.mean! - p.standardError!);
  const hi = at((p) => p.mean! + p.standardError!);
  return value === null || lo === null || hi === null ? null : { value, error: Math.abs(hi - lo) / 2 };
};
const summary = (values: { value: number; error: number }[], truth: number) => {
  const dev = values.map((v) => v.value - truth);
  return {
    replicates: values.length,
    bias: mean(dev),
    spread: sd(dev),
    meanError: mean(values.map((v) => v.error)),
    rmsZ: Math.sqrt(mean(values.map((v, i) => (dev[i]! / v.error) ** 2))),
    withinOneError: values.filter((v, i) => Math.abs(dev[i]!) <= v.error).length / values.length,
  };
};
const pool = read(windowFile);
const rng = new Rng(7);
const windows = [0.2, 0.5, 0.8].map((alphaH) => {
  const cStar = criticalRatio(alphaH, 0).value!;
  const Ts = [220, 440, 880];
  const at = (T: number) => pool.filter((p) => p.alphaH === alphaH && p.T === T).sort((a, b) => a.c - b.c);
  const finite = Ts.map((T) => {
    const points = at(T).map((p) =>
      toPoint(
        p,
        p.xmin.map((_, i) => i),
      ),
    );
    const c = sampledCrossing(points);
    return {
      T,
      crossing: c.value!,
      error: c.error!,
      shift: c.value! - cStar,
      M: (c.value! * T) / (1 + c.value!),
    };
  });
  const exact = (exponent: number) =>
    extrapolateInverseSize(
      finite.map((f) => ({ size: f.M, value: f.crossing, error: f.error })),
      exponent,
    );
  const now: { value: number; error: number }[] = [];
  const before: { value: number; error: number }[] = [];
  for (let r = 0; r < 400; r++) {
    const perSize = Ts.map((T) =>
      at(T).map((p) => {
        const pick: number[] = [];
        while (pick.length < 6) {
          const i = Math.floor(rng.uniform() * p.xmin.length);
          if (!pick.includes(i)) pick.push(i);
        }
        return toPoint(p, pick);
      }),
    );
    const a = perSize.map((points) => sampledCrossing(points));
    const b = perSize.map(formerCrossing);
    if (a.every((c) => c.value !== null && c.error !== null)) {
      const fit = extrapolateInverseSize(
        a.map((c, j) => ({ size: (c.value! * Ts[j]!) / (1 + c.value!), value: c.value!, error: c.error! })),
        EDGE_EXPONENT,
      );
      now.push({ value: fit.intercept, error: fit.interceptError });
    }
    if (b.every((c) => c !== null)) {
      const fit = extrapolateInverseSize(
        b.map((c, j) => ({ size: (c!.value * Ts[j]!) / (1 + c!.value), value: c!.value, error: c!.error })),
        1,
      );
      before.push({ value: fit.intercept, error: fit.interceptError });
    }
  }
  return {
    alphaH,
    cStar,
    finiteSize: finite,
    exactExtrapolation: {
      inMToMinusTwoThirds: exact(EDGE_EXPONENT).intercept - cStar,
      inInverseM: exact(1).intercept - cStar,
    },
    replicatesOf6Seeds: { now: summary(now, cStar), before: summary(before, cStar) },
  };
});

const out = join(import.meta.dirname, "estimator-calibration.json");
writeJson(out, { edgeShape, edge, windows });
for (const e of edgeShape)
  console.log(
    `edge shape α_h=${e.alphaH}: C(δ) ${e.C.map((x) => `${x.delta}: ${x.C.toFixed(4)}`).join(", ")}`,
  );
for (const e of edge)
  console.log(
    `edge α_h=${e.alphaH} M=${e.M}: offset ${e.offset.toFixed(4)}±${e.offsetError.toFixed(4)} conditioned ${e.conditionedOffset.toFixed(4)}±${e.conditionedOffsetError.toFixed(4)} spread ${e.spread.toFixed(4)}/${e.conditionedSpread.toFixed(4)}; TW units: mean ${e.scaledMean.toFixed(3)} sd ${e.scaledSpread.toFixed(3)}`,
  );
for (const w of windows) {
  console.log(
    `window α_h=${w.alphaH}: shifts ${w.finiteSize.map((f) => `${f.shift.toFixed(4)}±${f.error.toFixed(4)}`).join(", ")}; exact extrapolation bias M^(-2/3) ${w.exactExtrapolation.inMToMinusTwoThirds.toFixed(4)}, 1/M ${w.exactExtrapolation.inInverseM.toFixed(4)}`,
  );
  for (const [k, s] of Object.entries(w.replicatesOf6Seeds))
    console.log(
      `  ${k}: bias ${s.bias.toFixed(4)} spread ${s.spread.toFixed(4)} mean error ${s.meanError.toFixed(4)} rms z ${s.rmsZ.toFixed(2)} within 1 error ${s.withinOneError.toFixed(2)} (${s.replicates})`,
    );
}
console.log(`written: ${out}`);
