import { describe, expect, it } from "vitest";
import { phasePortrait } from "../../src/phase/phase-portrait.ts";
import { zeroContour } from "../../src/report/contour.ts";
import { builtinRule, loadRule } from "../../src/rules/index.ts";

const contour = (f: (x: number, y: number) => number, xr: [number, number], yr: [number, number]) =>
  zeroContour(f, xr, yr, 80, 80);

describe("phase portraits", () => {
  it.each([
    1, 2,
  ])("curl toy at s = %d: the separatrix w1^2 + w2^2 = 2s, the curve w1 w2 = s, a center at 0", (s) => {
    const p = phasePortrait(
      builtinRule("curl-toy"),
      { params: { s }, xRange: [-3, 3], yRange: [-3, 3], starts: 2 },
      contour,
    );
    expect(p.separatrices.map((q) => q.invariant)).toEqual(["w1^2 + w2^2"]);
    expect(Math.abs(p.separatrices[0]!.level - 2 * s)).toBeLessThan(1e-9);
    // the drawn separatrix lies on the circle to the grid's resolution (chord error of a circle
    // of radius sqrt(2s) on cells of 6/80: below 0.01 in w1^2 + w2^2)
    for (const [x1, y1] of p.separatrices[0]!.segments)
      expect(Math.abs(x1 * x1 + y1 * y1 - 2 * s)).toBeLessThan(0.02);
    expect(p.families.map((f) => f.equation)).toEqual([`w1*w2 - ${s} = 0`]);
    expect(p.fixedPoints.map((f) => [f.at, f.class])).toEqual([[[0, 0], "center"]]);
  });

  it("Oja's rule: unit eigenvectors of C, the leading one stable, the other saddles with manifolds", () => {
    const p = phasePortrait(
      loadRule("rules/reference/oja.rule"),
      { params: { c11: 2, c12: 0.5, c22: 1 }, xRange: [-1.6, 1.6], yRange: [-1.6, 1.6], starts: 2 },
      contour,
    );
    // C = [[2, 0.5], [0.5, 1]]: eigenvalues 1.5 +- sqrt(0.5), leading eigenvector at angle
    // atan2(0.5, 2 - (1.5 - sqrt 0.5)) ... = pi/8 (tan 2 theta = 2 c12 / (c11 - c22) = 1)
    const th = Math.PI / 8;
    const byClass = (c: string) => p.fixedPoints.filter((f) => f.class === c).map((f) => f.at);
    for (const [x, y] of byClass("stable node"))
      expect(Math.abs(Math.abs(x * Math.sin(th) - y * Math.cos(th)))).toBeLessThan(1e-9);
    for (const [x, y] of byClass("saddle"))
      expect(Math.abs(x * Math.cos(th) + y * Math.sin(th))).toBeLessThan(1e-9);
    expect(byClass("stable node").length).toBe(2);
    expect(byClass("saddle").length).toBe(2);
    expect(byClass("unstable node")).toEqual([[0, 0]]);
    // the unstable manifolds of the saddles run along the unit circle (|w| = 1 is invariant)
    for (const m of p.manifolds.filter((q) => q.kind === "unstable"))
      for (const [x, y] of m.points) expect(Math.abs(Math.hypot(x, y) - 1)).toBeLessThan(1e-3);
    expect(p.manifolds.filter((q) => q.kind === "stable").length).toBe(4);
  });
});
