/**
 * Sampled stability boundaries of network rules (src/phase/sampled-boundary.ts): the crossing of
 * the mean rightmost eigenvalue, its error bar, the extrapolation in 1/size, and per-sample
 * failures. The agreement with seed 001's analytic boundary at M + N = 220, 440, 880 is in
 * reports/sampled-boundary (`learndyn phase curl-descent --sampled`); here a small size checks
 * the pipeline and that the sampled crossing lies near the analytic c* (finite-size shifts at
 * M + N = 80 are below 0.1 in c, see the report).
 */
import { describe, expect, it } from "vitest";
import { criticalRatio } from "../../src/phase/boundary.ts";
import {
  extrapolateInverseSize,
  sampledCrossing,
  sampledStabilityCurve,
} from "../../src/phase/sampled-boundary.ts";
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
  const point = (ratio: number, mean: number, standardError: number) =>
    ({
      ratio,
      mean,
      standardError,
      sizes: {},
      samples: [],
      stableFraction: null,
      field: "population",
    }) as const;

  it("interpolates the crossing and its error bar", () => {
    const c = sampledCrossing([point(1, -1, 0.5), point(2, 1, 0.5), point(3, 2, 0.5)]);
    expect(c).toEqual({ status: "crossing", value: 1.5, low: 1.25, high: 1.75 });
    expect(sampledCrossing([point(1, -1, 0.1), point(2, -2, 0.1)]).status).toBe("stable");
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
});
