/**
 * The two-neuron toys (seed 001, eqs. 7-9), the URFB reductions (seed 003, eqs. 14, 16, 17),
 * the depth-3 Saxe mode and the Euler map: every symbolic claim next to a numeric twin.
 */
import { describe, expect, it } from "vitest";
import { analyze, charpoly, criticalLevels, jacobian } from "../../src/analysis/index.ts";
import { evaluate, Poly, parseExpr, parsePoly } from "../../src/expr/index.ts";
import { builtinRule } from "../../src/rules/index.ts";
import { Rng } from "../../src/util/random.ts";
import { centralJacobian, eigenvalues, matchDistance, numericField, rk4 } from "./numeric-twins.ts";

const family = (r: ReturnType<typeof analyze>) => r.fixedPoints.find((f) => f.family !== undefined)!;
const origin = (r: ReturnType<typeof analyze>) =>
  r.fixedPoints.find((f) => f.point && Object.values(f.point).every((v) => v === "0"))!;

describe("curl toy (seed 001, eq. 8)", () => {
  const rule = builtinRule("curl-toy");
  const r = analyze(rule);

  it("is not a gradient, conserves w1^2 + w2^2, has the center and the manifold", () => {
    expect(r.gradient.isGradient).toBe(false);
    expect(r.invariants).toEqual(["w1^2 + w2^2"]);
    expect(origin(r).class).toBe("center");
    expect(origin(r).eigenvalues).toEqual(["-i*s", "i*s"]);
    expect(family(r).family).toBe("w1*w2 = s");
    expect(family(r).eigenvalues).toEqual(["0", "w1^2 - w2^2"]);
    expect(family(r).class).toBe("normally hyperbolic family");
    expect(family(r).stability).toBe("mixed"); // only |w2| > |w1| is stable (seed 001, after eq. 9)
    expect(r.jacobian).toEqual([
      ["-w2^2", "-2*w1*w2 + s"],
      ["2*w1*w2 - s", "w1^2"],
    ]); // seed 001, eq. 9
  });

  it("numeric twins: eigenvalues of central-difference Jacobians at the origin and on the manifold", () => {
    const rng = new Rng(7);
    for (let k = 0; k < 20; k++) {
      const s = 0.2 + 2 * rng.uniform();
      const f = numericField(rule, { s });
      const at0 = eigenvalues(centralJacobian(f, [0, 0]));
      // central differences of a cubic field: error h^2 * |f'''| ~ 1e-10 plus rounding eps/h ~ 1e-11
      const predicted0 = [
        { re: 0, im: -s },
        { re: 0, im: s },
      ]; // ±i*s
      expect(matchDistance(at0, predicted0)).toBeLessThan(1e-8);
      const w1 = (rng.uniform() - 0.5) * 4 || 1;
      const w2 = s / w1;
      const onM = eigenvalues(centralJacobian(f, [w1, w2]));
      const predicted = [0, w1 * w1 - w2 * w2].map((re) => ({ re, im: 0 }));
      // the same differencing error, scaled by the field's size (|w| up to ~10 here: 1e-6 relative)
      expect(matchDistance(onM, predicted)).toBeLessThan(1e-6 * (1 + w1 * w1 + w2 * w2) ** 2);
    }
  });

  it("numeric twin of the invariant: RK4 keeps w1^2 + w2^2 along a trajectory", () => {
    const f = numericField(rule, { s: 1 });
    const path = rk4(f, [0.3, -0.5], 0.01, 2000);
    const I = (x: number[]) => x[0]! ** 2 + x[1]! ** 2;
    // RK4 global error O(h^4) * T = 1e-8 * 20 on a bounded orbit
    for (const x of path) expect(Math.abs(I(x) - I(path[0]!))).toBeLessThan(1e-6);
  });

  it("paper slip: the separatrix is the circle w1^2 + w2^2 = 2s, not = s (seed 001, text after eq. 9)", () => {
    // Orbits lie on circles w1^2 + w2^2 = c (the invariant). A circle meets the manifold
    // w1*w2 = s only if c >= 2|w1 w2| = 2s, so circles with s < c < 2s are closed orbits around
    // the center and the boundary between the regimes is c = 2s, touching the manifold at
    // (sqrt(s), sqrt(s)), where the transverse eigenvalue w1^2 - w2^2 vanishes.
    const s = 1;
    const f = numericField(rule, { s });
    const start = [Math.sqrt(1.5 * s), 0]; // c = 1.5 s: between the paper's circle and 2s
    const path = rk4(f, start, 0.01, 3000);
    const distToManifold = (x: number[]) => Math.abs(x[0]! * x[1]! - s);
    // the orbit stays a distance >= (2s - c)/2 = 0.25 from the manifold: it never converges
    expect(Math.min(...path.map(distToManifold))).toBeGreaterThan(0.2);
    // and it comes back near its start (periodic): the angle winds around the origin
    const angles = path.map((x) => Math.atan2(x[1]!, x[0]!));
    expect(Math.max(...angles) - Math.min(...angles)).toBeGreaterThan(Math.PI);
    // the tool computes the same level: critical values of the invariant on the manifold
    const cl = criticalLevels(rule, parsePoly("w1^2 + w2^2"), parsePoly("w1*w2 - s"));
    expect(cl.complete).toBe(true);
    expect(cl.levels.map((l) => [l.point.w1, l.point.w2, l.level])).toEqual([
      ["-1", "-1", "2"],
      ["1", "1", "2"],
    ]);
    // just outside 2s the orbit converges to the manifold
    const outside = rk4(f, [Math.sqrt(2.2 * s), 0], 0.01, 5000);
    expect(distToManifold(outside[outside.length - 1]!)).toBeLessThan(1e-6);
  });
});

describe("gradient toy (seed 001, eq. 7)", () => {
  const rule = builtinRule("gradient-toy");
  const r = analyze(rule);

  it("is a gradient with potential (s - w1 w2)^2/2 up to a constant", () => {
    expect(r.gradient.isGradient).toBe(true);
    const L = parsePoly(r.gradient.potential!);
    const expected = parsePoly("(s - w1*w2)^2/2");
    expect(expected.sub(L).variables()).toEqual(["s"]); // differs by a function of s only: s^2/2
    expect(expected.sub(L).toString()).toBe("1/2*s^2");
  });

  it("conserves w1^2 - w2^2; origin a saddle (±s); manifold eigenvalues 0 and -(w1^2 + w2^2)", () => {
    expect(r.invariants).toEqual(["w1^2 - w2^2"]);
    expect(origin(r).class).toBe("saddle");
    expect(origin(r).eigenvalues).toEqual(["-s", "s"]);
    expect(family(r).family).toBe("w1*w2 = s");
    expect(family(r).eigenvalues).toEqual(["0", "-w1^2 - w2^2"]);
    expect(family(r).stability).toBe("stable");
  });

  it("numeric twin: -grad L equals the field at random points", () => {
    const L = parseExpr(r.gradient.potential!);
    const f = numericField(rule, { s: 1.3 });
    const rng = new Rng(3);
    for (let k = 0; k < 20; k++) {
      const w = [rng.normal(), rng.normal()];
      const h = 1e-5;
      const at = (a: number, b: number) => evaluate(L, { w1: a, w2: b, s: 1.3 });
      const grad = [
        (at(w[0]! + h, w[1]!) - at(w[0]! - h, w[1]!)) / (2 * h),
        (at(w[0]!, w[1]! + h) - at(w[0]!, w[1]! - h)) / (2 * h),
      ];
      const fw = f(w);
      // central difference of a quartic: h^2 |L'''| ~ 1e-9 at |w| ~ 3
      for (let i = 0; i < 2; i++)
        expect(Math.abs(-grad[i]! - fw[i]!)).toBeLessThan(1e-7 * (1 + Math.abs(fw[i]!)));
    }
  });
});

describe("URFB (seed 003)", () => {
  it("finds the invariant of eq. 17 for the mode of eq. 14", () => {
    const rule = builtinRule("urfb-mode");
    const r = analyze(rule);
    expect(r.invariants).toHaveLength(1);
    const found = parsePoly(r.invariants[0]!);
    const eq17 = parsePoly("lambdaR*lambda2 + epsilon/2*lambda2^2 - lambda1^2/2");
    // equal up to a rational factor: primitive parts (integer coefficients, sign fixed) agree
    expect(found.primitive().equals(eq17.primitive())).toBe(true);
    expect(r.gradient.isGradient).toBe(false);
  });

  it("numeric twin: RK4 from lambda(0) = 0 keeps eq. 17 at zero while e -> 0", () => {
    const rule = builtinRule("urfb-mode");
    const p = { lambdaT: 0.8, lambdaR: 0.05, epsilon: 1 };
    const f = numericField(rule, p);
    const path = rk4(f, [0, 0], 0.01, 4000);
    for (const [l1, l2] of path) {
      const I = p.lambdaR * l2! + (p.epsilon / 2) * l2! ** 2 - l1! ** 2 / 2;
      expect(Math.abs(I)).toBeLessThan(1e-8); // RK4 error O(h^4) over T = 40
    }
    const last = path[path.length - 1]!;
    expect(Math.abs(p.lambdaT - last[0]! * last[1]!)).toBeLessThan(1e-6); // e converges (Theorem 1)
  });

  it("finds both eq. 17 invariants of the depth-3 chain (eq. 16, k = 3)", () => {
    const r = analyze(builtinRule("urfb-chain3"));
    const expected = [
      parsePoly("2*lambdaR3*lambda3 + epsilon*lambda3^2 - lambda2^2"),
      parsePoly("2*lambdaR2*lambda2 + epsilon*lambda2^2 - lambda1^2"),
    ];
    const found = r.invariants.map((s) => parsePoly(s));
    for (const e of expected) expect(found.some((f) => f.equals(e) || f.equals(e.neg()))).toBe(true);
    expect(found).toHaveLength(2);
  });
});

describe("Saxe-type depth-3 mode", () => {
  it("is a gradient of (s - a1 a2 a3)^2/2 with balancedness invariants", () => {
    const r = analyze(builtinRule("saxe-depth3"));
    expect(r.gradient.isGradient).toBe(true);
    expect(parsePoly("(s - a1*a2*a3)^2/2").sub(parsePoly(r.gradient.potential!)).toString()).toBe("1/2*s^2");
    expect(r.invariants.sort()).toEqual(["a1^2 - a2^2", "a2^2 - a3^2"]);
    const m = family(r);
    expect(m.family).toBe("a1*a2*a3 = s");
    expect(m.dimension).toBe(2);
    expect(m.eigenvalues).toEqual(["-a1^2*a2^2 - a1^2*a3^2 - a2^2*a3^2", "0", "0"]);
    // the saddle lines where two weights vanish
    const lines = r.fixedPoints.filter((f) => f.dimension === 1).map((f) => f.family);
    expect(lines.sort()).toEqual(["a1 = 0, a2 = 0", "a1 = 0, a3 = 0", "a2 = 0, a3 = 0"]);
  });
});

describe("Euler map of the curl toy (a discrete-time rule)", () => {
  const rule = builtinRule("curl-toy-euler");
  const r = analyze(rule);

  it("classifies by moduli: the origin is an unstable focus |1 ± i eta s| > 1", () => {
    expect(origin(r).eigenvalues).toEqual(["1 - i*eta*s", "1 + i*eta*s"]);
    expect(origin(r).class).toBe("unstable focus");
    expect(family(r).eigenvalues).toEqual(["eta*w1^2 - eta*w2^2 + 1", "1"]);
    expect(family(r).stableWhere).toBe("|eta*w1^2 - eta*w2^2 + 1| < 1");
  });

  it("numeric twin: iterating the map near the origin grows the radius by sqrt(1 + eta^2 s^2) per step", () => {
    const f = numericField(rule, { s: 1, eta: 0.1 });
    let x = [1e-6, 0];
    const r0 = Math.hypot(x[0]!, x[1]!);
    for (let k = 0; k < 50; k++) x = f(x);
    const growth = (Math.hypot(x[0]!, x[1]!) / r0) ** (1 / 50);
    // the cubic terms are O(r^2) = 1e-12 relative at r ~ 1e-6
    expect(Math.abs(growth - Math.sqrt(1 + 0.01))).toBeLessThan(1e-9);
  });
});

describe("charpoly of the curl toy", () => {
  it("equals det(lambda I - J) at random points (numeric twin)", () => {
    const P = charpoly(jacobian(builtinRule("curl-toy")));
    const rng = new Rng(5);
    for (let k = 0; k < 10; k++) {
      const at = { w1: rng.normal(), w2: rng.normal(), s: rng.normal(), lambda: rng.normal() };
      const J = [
        [-(at.w2 ** 2), at.s - 2 * at.w1 * at.w2],
        [2 * at.w1 * at.w2 - at.s, at.w1 ** 2],
      ] as const;
      const det = (at.lambda - J[0][0]) * (at.lambda - J[1][1]) - J[0][1] * J[1][0];
      expect(Math.abs(P.evaluate(at) - det)).toBeLessThan(1e-12 * (1 + Math.abs(det)) * 100);
    }
    expect(P.degree("lambda")).toBe(2);
    expect(P.leadingCoefficient("lambda").equals(Poly.ONE)).toBe(true);
  });
});
