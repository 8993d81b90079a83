import { describe, expect, it } from "vitest";
import { criticalAlpha, criticalRatio } from "../../src/phase/boundary.ts";
import { curlDescentLowerEdge } from "../../src/phase/curl-descent-law.ts";
import { linSpace, logSpace, STABILITY_MAP_MAX_POINTS, stabilityMap } from "../../src/phase/stability-map.ts";

describe("critical ratio c*(α_h, α_r)", () => {
  it("all inputs flipped (α_h = 1): X = −I + W1ᵀW1, so c* = 1/4 exactly", () => {
    // (1 − √c)²/c = 1 ⇔ c = 1/4; bisection to float64 resolution of the bracket.
    expect(criticalRatio(1, 0).value).toBeCloseTo(0.25, 12);
  });

  it("hidden layer: destabilizes past c ≈ 0.3, weakly dependent on α_h (seed 001, section 4.2)", () => {
    const table = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((a) => ({
      a,
      r: criticalRatio(a, 0),
    }));
    for (const { r } of table) {
      expect(r.status).toBe("crossing");
      expect(r.crossings).toHaveLength(1);
    }
    const values = table.map((t) => t.r.value!);
    // Monotone in α_h and confined to [0.25, 0.55] over α_h ∈ [0.05, 1]: "c ≈ 0.3, weakly dependent".
    for (let k = 1; k < values.length; k++) expect(values[k]!).toBeLessThan(values[k - 1]!);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.25 - 1e-12);
    expect(Math.max(...values)).toBeLessThan(0.55);
    expect(table.find((t) => t.a === 0.5)!.r.value!).toBeCloseTo(0.31, 2);
    // No flips: gradient flow, stable at every c.
    expect(criticalRatio(0, 0).status).toBe("stable");
  });

  it("readout layer: stable only below c*(α_r), and never beyond half flipped", () => {
    const below = [0.05, 0.1, 0.2, 0.3, 0.4, 0.45].map((a) => criticalRatio(0, a));
    for (const r of below) expect(r.status).toBe("crossing");
    const v = below.map((r) => r.value!);
    for (let k = 1; k < v.length; k++) expect(v[k]!).toBeLessThan(v[k - 1]!);
    for (const a of [0.5, 0.6, 0.8, 1]) expect(criticalRatio(0, a, { cMin: 1e-4 }).status).toBe("unstable");
  });

  it("both layers flipped at once are less stable than either alone", () => {
    for (const a of [0.1, 0.2, 0.3]) {
      const both = criticalRatio(a, a).value!;
      expect(both).toBeLessThan(criticalRatio(a, 0).value!);
      expect(both).toBeLessThan(criticalRatio(0, a).value!);
    }
  });

  it("α*(c) inverts c*(α): the lower edge vanishes at both", () => {
    const cStar = criticalRatio(0, 0.3).value!;
    const alphaStar = criticalAlpha(cStar, "readout");
    expect(alphaStar.status).toBe("crossing");
    // Bisection to 2^-50 in α.
    expect(alphaStar.value!).toBeCloseTo(0.3, 8);
    const e = curlDescentLowerEdge({ c: cStar, alphaH: 0, alphaR: 0.3 });
    expect(e.ok && Math.abs(e.edge)).toBeLessThan(1e-9);
    // c > 1 hidden layer: the atom at −1 appears once α_h > 1/c.
    expect(criticalAlpha(4, "hidden").value!).toBeLessThanOrEqual(0.25);
  });

  it("bad input gives clear errors", () => {
    expect(() => criticalRatio(1.2, 0)).toThrow(
      /criticalRatio: argument "alphaH" must be a number in \[0, 1\], received 1.2/,
    );
    expect(() => criticalRatio(0, -0.1)).toThrow(/argument "alphaR"/);
    expect(() => criticalAlpha(0, "hidden")).toThrow(
      /criticalAlpha: argument "c" must be a finite number > 0, received 0/,
    );
    expect(() => criticalAlpha(1, "middle" as never)).toThrow(
      /argument "layer" must be one of hidden, readout, both/,
    );
    expect(() => curlDescentLowerEdge({ c: -1, alphaH: 0, alphaR: 0 })).toThrow(/argument "c"/);
  });
});

describe("stability map", () => {
  const c = logSpace(0.01, 100, 60);
  const alpha = linSpace(0, 1, 41);

  it("agrees with the boundary curve in every row", () => {
    for (const layer of ["hidden", "readout", "both"] as const) {
      const map = stabilityMap(layer, c, alpha);
      expect(map.failures).toEqual([]);
      alpha.forEach((a, iy) => {
        const alphas = layer === "hidden" ? [a, 0] : layer === "readout" ? [0, a] : [a, a];
        const r = criticalRatio(alphas[0]!, alphas[1]!, { cMin: 0.01, cMax: 100 });
        c.forEach((cx, ix) => {
          const stable = map.stable[iy * c.length + ix];
          if (r.status === "stable") expect(stable).toBe(1);
          else if (r.status === "unstable") expect(stable).toBe(0);
          else expect(stable).toBe(cx < r.value! ? 1 : 0);
        });
      });
    }
  });

  it("warm-started map equals cold per-point solutions", () => {
    const map = stabilityMap("readout", c, alpha);
    alpha.forEach((a, iy) => {
      c.forEach((cx, ix) => {
        const cold = curlDescentLowerEdge({ c: cx, alphaH: 0, alphaR: a });
        // Same root to 1e-10 in s; the edge is stationary there: float64 rounding.
        expect(cold.ok && Math.abs(cold.edge - map.lowerEdge[iy * c.length + ix]!)).toBeLessThan(
          1e-12 * (1 + Math.abs(cold.ok ? cold.edge : 0)),
        );
      });
    });
  });

  it("reports points where the edge search does not converge, with coordinates, instead of guessing", () => {
    const map = stabilityMap("hidden", [0.5, 1], [0.3], { maxEvaluations: 2 });
    expect(map.failures).toHaveLength(2);
    expect(map.failures[0]).toMatchObject({
      c: 0.5,
      alpha: 0.3,
      reason: expect.stringMatching(/evaluation bound/),
    });
    expect(Number.isNaN(map.lowerEdge[0]!)).toBe(true);
    expect(map.stable[0]).toBe(255);
  });

  it("refuses bad grids", () => {
    expect(() => stabilityMap("hidden", [0, 1], [0.5])).toThrow(
      /stabilityMap: argument "c\[0\]" must be a number > 0/,
    );
    expect(() => stabilityMap("hidden", [1], [1.5])).toThrow(
      /argument "alpha\[0\]" must be a number in \[0, 1\]/,
    );
    expect(() => stabilityMap("sideways" as never, [1], [0.5])).toThrow(/argument "layer" must be one of/);
    const big = Math.ceil(Math.sqrt(STABILITY_MAP_MAX_POINTS)) + 1;
    expect(() => stabilityMap("hidden", logSpace(0.01, 100, big), linSpace(0, 1, big))).toThrow(
      /stabilityMap: grid points bound of 16000000 exceeded/,
    );
  });
});
