import { describe, expect, it } from "vitest";
import { bialternateProduct } from "../../src/analysis/continuation/bialternate.ts";
import { bifurcationDiagram } from "../../src/analysis/continuation/diagram.ts";
import { eigenvalues } from "../../src/analysis/continuation/linear-algebra.ts";
import { twoParameterCurve } from "../../src/analysis/continuation/two-parameter.ts";
import { loadRule, parseRule } from "../../src/rules/index.ts";

const rule = (name: string) => loadRule(`rules/reference/${name}.rule`);

describe("one-parameter continuation of the normal forms", () => {
  // Each normal form has its bifurcation at (x, mu) = (0, 0) (the cusp rule's folds at
  // mu = -+2/(3 sqrt 3), x = +-1/sqrt 3 when nu = 1): located by Newton on a regular extended
  // system, so to rounding, checked here at 1e-8.
  it.each([
    ["fold", "fold"],
    ["transcritical", "transcritical"],
    ["pitchfork", "pitchfork"],
    ["hopf", "hopf"],
  ] as const)("%s: one %s point at the origin, to 1e-8", (name, kind) => {
    const d = bifurcationDiagram(rule(name), "mu", [-1, 1], { omega: 1 });
    expect(d.bifurcations.map((b) => b.kind)).toEqual([kind]);
    const b = d.bifurcations[0]!;
    expect(Math.abs(b.p)).toBeLessThan(1e-8);
    for (const v of b.x) expect(Math.abs(v)).toBeLessThan(1e-8);
    if (kind === "hopf") expect(Math.abs(b.frequency! - 1)).toBeLessThan(1e-8);
  });

  it("pitchfork: x = 0 stable below mu = 0, unstable above, and the branches x = +-sqrt(mu) stable", () => {
    const d = bifurcationDiagram(rule("pitchfork"), "mu", [-1, 1], {});
    expect(d.branches.length).toBe(2);
    for (const b of d.branches)
      for (const q of b.points) {
        expect(Math.abs(q.p * q.x[0]! - q.x[0]! ** 3)).toBeLessThan(1e-9);
        if (Math.abs(q.x[0]!) > 1e-6) {
          expect(Math.abs(Math.abs(q.x[0]!) - Math.sqrt(q.p))).toBeLessThan(1e-8);
          expect(q.stable).toBe(true);
        } else if (Math.abs(q.p) > 1e-6) expect(q.stable).toBe(q.p < 0);
      }
  });

  it("cusp rule at nu = 1: two folds at mu = -+2/(3 sqrt 3)", () => {
    const d = bifurcationDiagram(rule("cusp"), "mu", [-1, 1], { nu: 1 });
    expect(d.bifurcations.map((b) => b.kind)).toEqual(["fold", "fold"]);
    const m = 2 / (3 * Math.sqrt(3));
    expect(Math.abs(d.bifurcations[0]!.p + m)).toBeLessThan(1e-8);
    expect(Math.abs(d.bifurcations[1]!.p - m)).toBeLessThan(1e-8);
    expect(Math.abs(d.bifurcations[0]!.x[0]! - 1 / Math.sqrt(3))).toBeLessThan(1e-8);
  });

  it("the bialternate product has the pairwise sums of eigenvalues as its eigenvalues", () => {
    const A = [
      [1, 2, 0.5, -1],
      [0.3, -2, 1, 0],
      [2, 0.1, 0.7, 1.5],
      [-1, 0, 0.4, -0.6],
    ];
    const ev = eigenvalues(A);
    const sums: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) sums.push(ev[i]!.re + ev[j]!.re);
    const got = eigenvalues(bialternateProduct(A)).map((z) => z.re);
    expect(got.sort((a, b) => a - b).map((v) => v.toFixed(9))).toEqual(
      sums.sort((a, b) => a - b).map((v) => v.toFixed(9)),
    );
  });
});

describe("continuation of a map", () => {
  it("logistic map x' = r x (1 - x): transcritical at r = 1 (x = 0) and flip at r = 3 (x = 2/3), to 1e-8", () => {
    const logistic = parseRule("rule logistic\nparams r = 2\nstate x\nx' = r*x*(1 - x)\n", "logistic");
    const d = bifurcationDiagram(logistic, "r", [0.5, 3.4], {});
    expect(d.bifurcations.map((b) => b.kind)).toEqual(["transcritical", "flip"]);
    expect(Math.abs(d.bifurcations[0]!.p - 1)).toBeLessThan(1e-8);
    expect(Math.abs(d.bifurcations[0]!.x[0]!)).toBeLessThan(1e-8);
    expect(Math.abs(d.bifurcations[1]!.p - 3)).toBeLessThan(1e-8);
    expect(Math.abs(d.bifurcations[1]!.x[0]! - 2 / 3)).toBeLessThan(1e-8);
    // multipliers: the nonzero branch x = 1 - 1/r has multiplier 2 - r, stable for 1 < r < 3
    for (const b of d.branches)
      for (const q of b.points)
        if (Math.abs(q.x[0]!) > 1e-6 && Math.abs(q.p - 1) > 1e-3 && Math.abs(q.p - 3) > 1e-3)
          expect(q.stable).toBe(q.p > 1 && q.p < 3);
  });
});

describe("two-parameter continuation", () => {
  it("cusp: the fold curve is 27 mu^2 = 4 nu^3 and the cusp point (0, 0, 0) is located to 1e-8", () => {
    const c = twoParameterCurve(
      rule("cusp"),
      "fold",
      ["mu", "nu"],
      { x: [1 / Math.sqrt(3)], p: -2 / (3 * Math.sqrt(3)) },
      [-1, 2],
      { mu: 0, nu: 1 },
    );
    expect(c.points.length).toBeGreaterThan(20);
    // the extended system is solved to 1e-9 at each point (corrector), so the closed form holds
    // to that order times its O(1) derivatives
    for (const q of c.points) expect(Math.abs(27 * q.p * q.p - 4 * q.q ** 3)).toBeLessThan(1e-7);
    expect(c.codim2.map((e) => e.kind)).toEqual(["cusp"]);
    const cusp = c.codim2[0]!;
    expect(Math.abs(cusp.p)).toBeLessThan(1e-8);
    expect(Math.abs(cusp.q)).toBeLessThan(1e-8);
    expect(Math.abs(cusp.x[0]!)).toBeLessThan(1e-8);
  });

  it("Hopf normal form: the Hopf curve in (mu, omega) is mu = 0", () => {
    const h = twoParameterCurve(rule("hopf"), "hopf", ["mu", "omega"], { x: [0, 0], p: 0 }, [0.5, 2], {
      mu: 0,
      omega: 1,
    });
    expect(h.points.length).toBeGreaterThan(5);
    expect(Math.min(...h.points.map((q) => q.q))).toBe(0.5);
    expect(Math.max(...h.points.map((q) => q.q))).toBe(2);
    for (const q of h.points) expect(Math.abs(q.p) + Math.hypot(q.x[0]!, q.x[1]!)).toBeLessThan(1e-9);
  });
});
