/**
 * Sampled stability boundaries of network rules (src/phase/sampled-boundary.ts): the crossing of
 * the mean rightmost eigenvalue, its error bar, the extrapolation in a power of 1/size, the
 * estimator on seed 001's matrix model against the analytic c*, and per-sample failures. The agreement with seed 001's analytic boundary at M + N = 220, 440, 880 is in
 * reports/sampled-boundary (`learndyn phase curl-descent --sampled`); here a small size checks
 * the pipeline and that the sampled crossing lies near the analytic c* (finite-size shifts at
 * M + N = 80 are below 0.1 in c, see the report).
 */
import { describe, expect, it } from "vitest";
import { criticalRatio } from "../../src/phase/boundary.ts";
import {
  EDGE_EXPONENT,
  extrapolateInverseSize,
  sampledCrossing,
  sampledStabilityCurve,
} from "../../src/phase/sampled-boundary.ts";
import { sampleManifoldSpectrum } from "../../src/phase/sampled-spectrum.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";

const split = (T: number) => (c: number) => {
  const M = Math.round((c * T) / (1 + c));
  return { M, N: T - M, P: M + 1, Q: 2, S: M + 1 };
};

describe("sampledStabilityCurve", () => {
  it("finds curl descent's hidden-layer boundary near the analytic c* at M + N = 80", () => {
    const analytic = criticalRatio(0.5, 0).value!;
    const points = sampledStabilityCurve(builtinNetworkRule("curl-descent"), {
      ratios: [0.5, 0.75, 1, 1.5, 2].map((f) => f * analytic),
      sizesAt: split(80),
      params: { alphaH: 0.5 },
      seeds: [1, 2, 3, 4],
    });
    expect(points.every((p) => p.field === "population")).toBe(true);
    expect(points[0]!.mean!).toBeLessThan(0);
    expect(points.at(-1)!.mean!).toBeGreaterThan(0);
    const crossing = sampledCrossing(points);
    expect(crossing.status).toBe("crossing");
    expect(Math.abs(crossing.value! - analytic)).toBeLessThan(0.1);
  });

  it("records a failure per sample when the rule has no teacher point", () => {
    const spec = parseNetworkRule(
      `rule no-teacher
sizes N = 3, P = 4, Q = 2
input x[N] ~ normal(sd = 1)
samples train P, test Q
state W[N,N] ~ normal(sd = 1)
d/dt W = mean(x x') - W
learning-rate 0.1
`,
      "test",
    );
    const [point] = sampledStabilityCurve(spec, { ratios: [1], sizesAt: () => ({}), seeds: [1, 2] });
    expect(point!.mean).toBeNull();
    expect(point!.samples.every((s) => /no teacher point/.test(s.failure ?? ""))).toBe(true);
  });
});

describe("sampledCrossing and extrapolateInverseSize", () => {
  /** A grid point whose samples are mean ± spread (two samples). */
  const point = (ratio: number, mean: number, spread: number) => ({
    ratio,
    mean,
    standardError: spread / Math.SQRT2,
    sizes: {},
    samples: [
      { seed: 1, lambda: mean - spread, imaginary: 0, rank: 1 },
      { seed: 2, lambda: mean + spread, imaginary: 0, rank: 1 },
    ],
    stableFraction: null,
    field: "population" as const,
  });

  it("takes the root of the local fit with its standard error as the error bar", () => {
    // Means on the line 2(r - 1.5): the fit recovers the root exactly, the bar is value ∓ error.
    const c = sampledCrossing([point(1, -1, 0.5), point(2, 1, 0.5), point(3, 3, 0.5)]);
    expect(c.status).toBe("crossing");
    expect(c.value).toBeCloseTo(1.5, 12);
    expect(c.error).toBeGreaterThan(0);
    expect(c.low).toBeCloseTo(c.value! - c.error!, 12);
    expect(c.high).toBeCloseTo(c.value! + c.error!, 12);
    expect(c.fit).toEqual({ degree: 2, from: 1, to: 3 });
    expect(sampledCrossing([point(1, -1, 0.1), point(2, -2, 0.1)]).status).toBe("stable");
    expect(sampledCrossing([point(1, 1, 0.1), point(2, -2, 0.1)]).status).toBe("reverse-crossing");
  });

  it("fits value = a + b/size with the intercept's standard error", () => {
    // Exact line 0.3 + 2/size: the intercept is recovered; with errors 0.01 at each of two
    // points, var(intercept) = 1/W + xm^2/sxx in closed form.
    const fit = extrapolateInverseSize([
      { size: 10, value: 0.5, error: 0.01 },
      { size: 20, value: 0.4, error: 0.01 },
    ]);
    expect(fit.intercept).toBeCloseTo(0.3, 12);
    expect(fit.slope).toBeCloseTo(2, 12);
    const W = 2 / 1e-4;
    const xm = 0.075;
    const sxx = 1e4 * ((0.1 - xm) ** 2 + (0.05 - xm) ** 2);
    expect(fit.interceptError).toBeCloseTo(Math.sqrt(1 / W + (xm * xm) / sxx), 12);
  });

  it("extrapolates in size^(-2/3), the edge eigenvalue's scale", () => {
    const at = (M: number) => ({ size: M, value: 0.31 + 0.25 * M ** (-2 / 3), error: 0.003 });
    const fit = extrapolateInverseSize([at(50), at(100), at(200)], EDGE_EXPONENT);
    expect(fit.exponent).toBe(2 / 3);
    expect(fit.intercept).toBeCloseTo(0.31, 12);
    expect(fit.slope).toBeCloseTo(0.25, 12);
    expect(() => extrapolateInverseSize([at(50), at(100)], 0)).toThrow(/exponent/);
  });
});

/**
 * The estimator on seed 001's matrix model, whose answer is known: the rule's reduced Jacobian
 * on the manifold is −σ²X (X = ‖W2‖²D1 + W1ᵀW1, σ² the input variance; checked in
 * test/analysis/network/manifold.test.ts), so the crossing of the mean of −λ_min(X) is the rule's.
 * At α_h = 0.5, sizes M + N = 110, 220, 440, 12 seeds on 8 ratios 0.02 apart around c*:
 * the crossings lie above c* by the Tracy-Widom shift (about 0.026, 0.014, 0.009: the mean
 * offset of λ_min at c* over the edge's slope in c, reports/sampled-boundary/
 * estimator-calibration.json), and their extrapolation in M^(-2/3) must agree with the analytic
 * c* within 3 standard errors plus 0.004: extrapolating those mean shifts themselves misses by
 * about −0.003 at these sizes (the M^(-1) correction the fit in M^(-2/3) leaves).
 */
describe("the crossing estimator on the matrix model", () => {
  it("recovers seed 001's c* at α_h = 0.5 from M + N = 110, 220, 440", () => {
    const alphaH = 0.5;
    const analytic = criticalRatio(alphaH, 0).value!;
    const ratios = Array.from({ length: 8 }, (_, j) => 0.24 + 0.02 * j);
    const seeds = Array.from({ length: 12 }, (_, s) => s);
    const crossings = [110, 220, 440].map((T) => {
      const points = ratios.map((c, j) => {
        const M = Math.round((c * T) / (1 + c));
        const N = T - M;
        const samples = seeds.map((s) => ({
          seed: s,
          lambda: -sampleManifoldSpectrum({ c: M / N, alphaH, alphaR: 0 }, M, 1e6 * T + 1e3 * j + s)
            .eigenvalues[0]!,
          imaginary: 0,
          rank: M,
        }));
        const values = samples.map((x) => x.lambda);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        return {
          ratio: M / N,
          sizes: { M, N },
          samples,
          mean,
          standardError: 0,
          stableFraction: null,
          field: "population" as const,
        };
      });
      const crossing = sampledCrossing(points);
      expect(crossing.status).toBe("crossing");
      const c = crossing.value!;
      return { size: (c * T) / (1 + c), value: c, error: crossing.error! };
    });
    // Finite size moves the crossing up (the smallest eigenvalue sits above the edge).
    expect(crossings[0]!.value).toBeGreaterThan(analytic);
    const fit = extrapolateInverseSize(crossings, EDGE_EXPONENT);
    expect(Math.abs(fit.intercept - analytic)).toBeLessThan(3 * fit.interceptError + 0.004);
    expect(fit.interceptError).toBeLessThan(0.01);
  });
});
