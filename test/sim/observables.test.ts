import { describe, expect, it } from "vitest";
import {
  logSpacedEpochs,
  OrderParameter,
  orderParameterQ,
  principalProjection,
  weightAutocorrelation,
} from "../../src/sim/observables.ts";
import { Rng } from "../../src/util/random.ts";

describe("log-spaced epochs", () => {
  it("starts at 0, ends at the last epoch, increases strictly and is roughly log-uniform", () => {
    const e = logSpacedEpochs(100_000, 30);
    expect(e[0]).toBe(0);
    expect(e.at(-1)).toBe(100_000);
    for (let k = 1; k < e.length; k++) expect(e[k]!).toBeGreaterThan(e[k - 1]!);
    expect(e.length).toBeGreaterThan(20);
    expect(() => logSpacedEpochs(-1, 10)).toThrow(/epochs/);
  });
});

describe("order parameter q (seed 001 eq. 15)", () => {
  it("is 0 at a fixed point and sigma^2 / spread for fluctuations of variance sigma^2 about spread-1 means", () => {
    const rng = new Rng(5);
    const D = 2000;
    const T = 400;
    const means = rng.normals(D);
    const fixed = Array.from({ length: 10 }, () => means);
    expect(orderParameterQ(fixed)).toBe(0);
    const sigma = 0.5;
    const snaps = Array.from({ length: T }, () => Float64Array.from(means, (m) => m + sigma * rng.normal()));
    // Expected q = sigma^2 (T-1)/T / Var(mean_w); Var(mean_w) = 1 + sigma^2/T in expectation. The
    // sample variances over D = 2000 weights carry relative standard error ~sqrt(2/D) = 3%: 10% bound.
    const expected = (sigma ** 2 * (T - 1)) / T / (1 + sigma ** 2 / T);
    expect(Math.abs(orderParameterQ(snaps) / expected - 1)).toBeLessThan(0.1);
  });

  it("gives the same value online as from stored snapshots", () => {
    const rng = new Rng(6);
    const snaps = Array.from({ length: 50 }, () => rng.normals(30));
    const q = new OrderParameter(30);
    for (const s of snaps) q.add(s);
    // Welford versus two-pass: float64 rounding of sums of 50 terms.
    expect(q.value()).toBeCloseTo(orderParameterQ(snaps), 12);
  });
});

describe("weight autocorrelation", () => {
  it("is cos(omega tau) for weights rotating with random phases", () => {
    const rng = new Rng(7);
    const D = 500;
    const T = 400;
    const omega = 0.1;
    const phase = Float64Array.from({ length: D }, () => 2 * Math.PI * rng.uniform());
    const snaps = Array.from({ length: T }, (_, t) =>
      Float64Array.from(phase, (p) => Math.cos(omega * t + p)),
    );
    const c = weightAutocorrelation(snaps, 60);
    expect(c[0]).toBeCloseTo(1, 12);
    // Finite window (T = 400 covers ~6 periods) and D = 500 random phases: the cross terms average
    // to O(1/sqrt(D)) ~ 0.045 and the end effects to O(1/(omega T)) ~ 0.025; bound 0.1.
    for (const tau of [10, 20, 31, 45, 60])
      expect(Math.abs(c[tau]! - Math.cos(omega * tau))).toBeLessThan(0.1);
  });
});

describe("principal projection", () => {
  it("recovers a circle of radius r in a random plane of a high-dimensional space", () => {
    const rng = new Rng(8);
    const D = 300;
    const u = rng.normals(D);
    const v = rng.normals(D);
    // Gram-Schmidt so that u, v are orthonormal.
    const nu = Math.hypot(...u);
    for (let i = 0; i < D; i++) u[i]! /= nu;
    const uv = u.reduce((s, x, i) => s + x * v[i]!, 0);
    for (let i = 0; i < D; i++) v[i]! -= uv * u[i]!;
    const nv = Math.hypot(...v);
    for (let i = 0; i < D; i++) v[i]! /= nv;
    const r = 3;
    const T = 64; // whole periods: the centred circle has equal variance along u and v
    const snaps = Array.from({ length: T }, (_, t) => {
      const th = (2 * Math.PI * t) / T;
      return Float64Array.from(u, (x, i) => 5 + r * Math.cos(th) * x + r * Math.sin(th) * v[i]!);
    });
    const p = principalProjection(snaps);
    // Exact up to float64 rounding of the Gram matrix and its eigen-decomposition.
    expect(p.explained[0] + p.explained[1]).toBeCloseTo(1, 10);
    for (let t = 0; t < T; t++) expect(Math.hypot(p.pc1[t]!, p.pc2[t]!)).toBeCloseTo(r, 8);
  });
});
