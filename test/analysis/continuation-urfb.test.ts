import { describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../../src/analysis/continuation/diagram.ts";
import { newtonSolve } from "../../src/analysis/continuation/newton.ts";
import { fixedPointProblem } from "../../src/analysis/continuation/problem.ts";
import { findInvariants } from "../../src/analysis/invariants.ts";
import { numericField } from "../../src/analysis/numeric-field.ts";
import { fromPoly } from "../../src/expr/index.ts";
import { DormandPrince54, integrate, PIController } from "../../src/ode/index.ts";
import { builtinRule } from "../../src/rules/index.ts";

describe("continuation of seed 003's URFB fixed point in epsilon", () => {
  // Seed 003, eq. 14 has a curve of fixed points lambda1 lambda2 = lambdaT for every epsilon; from
  // lambda(0) = 0 the invariant of eq. 17 (epsilon lambda2^2 + 2 lambdaR lambda2 - lambda1^2 = 0)
  // picks one point on it. Continuing that point in epsilon must agree with integrating eq. 14
  // from 0, and lambda1 must increase with epsilon (seed 003, proof of Theorem 1).
  const rule = builtinRule("urfb-mode");
  const invariants = findInvariants(rule).map(fromPoly);
  const values = { lambdaT: 1, lambdaR: 0.1 };
  const d = bifurcationDiagram(rule, "epsilon", [0.25, 2], values, {
    constraint: { invariants, x0: [0, 0] },
  });
  const problem = fixedPointProblem(rule, "epsilon", values, { invariants, x0: [0, 0] });
  const iL1 = rule.states.indexOf("lambda1");
  const positive = d.branches.find((b) => b.points.every((q) => q.x[iL1]! > 0))!;

  it("finds the invariant and a branch with lambda1 > 0, stable transversally, lambda1 increasing in epsilon", () => {
    expect(invariants.length).toBe(1);
    expect(positive).toBeDefined();
    const pts = [...positive.points].sort((a, b) => a.p - b.p);
    expect(pts[0]!.p).toBe(0.25);
    expect(pts[pts.length - 1]!.p).toBe(2);
    for (let k = 1; k < pts.length; k++) expect(pts[k]!.x[iL1]!).toBeGreaterThan(pts[k - 1]!.x[iL1]!);
    for (const q of pts) expect(q.stable).toBe(true);
    expect(d.bifurcations).toEqual([]);
  });

  it("agrees with integrating eq. 14 from lambda = 0 (to the integration tolerance)", () => {
    const nf = numericField(rule);
    for (const eps of [0.25, 1, 2]) {
      const p = nf.paramVector({ ...values, epsilon: eps });
      const r = integrate(
        (_t, y, dy) => dy.set(nf.f(y, p)),
        DormandPrince54,
        PIController({ rtol: 1e-10, atol: 1e-12 }),
        {
          t0: 0,
          t1: 200,
          y0: [0, 0],
          maxSteps: 1e6,
        },
      );
      // the branch point nearest eps, corrected onto eps by Newton on the same system
      const near = positive.points.reduce((best, x) =>
        Math.abs(x.p - eps) < Math.abs(best.p - eps) ? x : best,
      );
      const at = newtonSolve((x) => problem.H([...x, eps]), near.x);
      expect(at.ok).toBe(true);
      const q = { x: at.u };
      // tolerance: rtol 1e-10 per step over ~1e3 steps, and e decays exponentially (Theorem 1)
      // so the end state is within ~1e-7 of the limit
      for (const [i, v] of q.x.entries()) expect(Math.abs(v - r.y[i]!)).toBeLessThan(1e-6);
    }
  });
});
