import { describe, expect, it } from "vitest";
import {
  classifyEigenvalues,
  closedFormEigenvalues,
  findInvariants,
  fixedPoints,
  gradientTest,
  isInvariant,
  lieDerivative,
  newtonWithDeflation,
  solvePolynomialSystem,
} from "../../src/analysis/index.ts";
import { Poly, parsePoly } from "../../src/expr/index.ts";
import { parseRule } from "../../src/rules/index.ts";

const P = (s: string) => parsePoly(s);
const z = (re: number, im = 0) => ({ re, im });

describe("classifyEigenvalues", () => {
  it("flows by real parts", () => {
    expect(classifyEigenvalues([z(-1), z(-2)], "flow")).toBe("stable node");
    expect(classifyEigenvalues([z(-1, 1), z(-1, -1)], "flow")).toBe("stable focus");
    expect(classifyEigenvalues([z(1), z(2)], "flow")).toBe("unstable node");
    expect(classifyEigenvalues([z(1, 2), z(1, -2)], "flow")).toBe("unstable focus");
    expect(classifyEigenvalues([z(-1), z(2)], "flow")).toBe("saddle");
    expect(classifyEigenvalues([z(0, 1), z(0, -1)], "flow")).toBe("center");
    expect(classifyEigenvalues([z(0), z(-1)], "flow")).toBe("non-hyperbolic");
  });

  it("maps by moduli", () => {
    expect(classifyEigenvalues([z(0.5), z(-0.9)], "map")).toBe("stable node");
    expect(classifyEigenvalues([z(0.5, 0.5), z(0.5, -0.5)], "map")).toBe("stable focus");
    expect(classifyEigenvalues([z(1.5), z(0.5)], "map")).toBe("saddle");
    expect(classifyEigenvalues([z(1, 0.1), z(1, -0.1)], "map")).toBe("unstable focus");
    expect(classifyEigenvalues([z(0.6, 0.8), z(0.6, -0.8)], "map")).toBe("center");
    expect(classifyEigenvalues([z(1), z(0.5)], "map")).toBe("non-hyperbolic");
  });
});

describe("closedFormEigenvalues", () => {
  it("splits lambda powers and repeated factors, and uses sqrt when needed", () => {
    expect(closedFormEigenvalues(P("lambda^3*(lambda - a)^2"))!.map((e) => [e.text, e.multiplicity])).toEqual(
      [
        ["a", 2],
        ["0", 3],
      ],
    );
    expect(closedFormEigenvalues(P("lambda^2 - 2"))!.map((e) => e.text)).toEqual(["-sqrt(2)", "sqrt(2)"]);
    expect(closedFormEigenvalues(P("lambda^2 + 2*lambda + 5"))!.map((e) => e.text)).toEqual([
      "-1 - i*2",
      "-1 + i*2",
    ]);
    expect(closedFormEigenvalues(P("lambda^3 - lambda - 1"))).toBeUndefined(); // irreducible cubic
  });
});

describe("solvePolynomialSystem", () => {
  it("eliminates by resultants and splits rational roots: x^2 + y^2 = 5, x y = 2", () => {
    const r = solvePolynomialSystem([P("x^2 + y^2 - 5"), P("x*y - 2")], ["x", "y"], { defaults: {} });
    expect(r.unsolved).toEqual([]);
    const pts = r.components.map((c) => `${c.assignments.x},${c.assignments.y}`).sort();
    expect(pts).toEqual(["-1,-2", "-2,-1", "1,2", "2,1"]);
  });

  it("keeps a square root symbolic: x^2 = 2, y = x gives y = ±sqrt(2) with x assigned y", () => {
    const r = solvePolynomialSystem([P("x^2 - 2"), P("y - x")], ["x", "y"], { defaults: {} });
    expect(r.unsolved).toEqual([]);
    expect(
      r.components.map((c) => [
        c.radical?.unknown,
        String(c.radical?.square),
        c.radical?.sign,
        String(c.assignments.x),
      ]),
    ).toEqual([
      ["y", "2", 1, "y"],
      ["y", "2", -1, "y"],
    ]);
  });

  it("reports what it cannot solve exactly", () => {
    const r = solvePolynomialSystem([P("x^3 - 2"), P("y^3 - x - y")], ["x", "y"], { defaults: {} });
    expect(r.components).toEqual([]);
    expect(r.unsolved.length).toBe(1);
  });

  it("keeps parameters symbolic while coefficients are constants", () => {
    const r = solvePolynomialSystem([P("x - a*y"), P("y - b")], ["x", "y"], {
      defaults: { a: Poly.ONE, b: Poly.ONE },
    });
    expect(r.components).toHaveLength(1);
    expect((r.components[0]?.assignments.x as Poly).toString()).toBe("a*b");
    expect(r.components[0]!.atDefaults).toBe(false);
  });
});

describe("newtonWithDeflation", () => {
  it("finds the three roots of x^3 - x from seeded starts, each once", () => {
    const { roots } = newtonWithDeflation(
      { n: 1, F: (x) => [x[0]! ** 3 - x[0]!], J: (x) => [[3 * x[0]! ** 2 - 1]] },
      { seed: 3, starts: 20 },
    );
    const xs = roots.map((r) => r.point[0]!).sort((a, b) => a - b);
    expect(xs).toHaveLength(3);
    [-1, 0, 1].forEach((v, i) => {
      expect(Math.abs(xs[i]! - v)).toBeLessThan(1e-12); // Newton converges quadratically to simple roots
    });
    for (const r of roots) expect(r.residual).toBeLessThanOrEqual(r.tolerance);
  });

  it("reports failures with where they stopped", () => {
    const { roots, failures } = newtonWithDeflation(
      { n: 1, F: (x) => [x[0]! ** 2 + 1], J: (x) => [[2 * x[0]!]] },
      { seed: 1, starts: 3, maxIterations: 20 },
    );
    expect(roots).toEqual([]);
    expect(failures).toHaveLength(3);
    for (const f of failures) expect(f.reason).toMatch(/no convergence|stagnation|singular/);
  });
});

describe("fixed points with a square root", () => {
  it("x' = x^2 - 2 (flow): the points ±sqrt(2) exactly, classified", () => {
    const rule = parseRule("rule sq\nstate x, y\nd/dt x = x^2 - 2\nd/dt y = x - y\n");
    const r = fixedPoints(rule);
    expect(r.complete).toBe(true);
    expect(r.fixedPoints.map((f) => [f.point!.x, f.point!.y])).toEqual([
      ["sqrt(2)", "sqrt(2)"],
      ["-sqrt(2)", "-sqrt(2)"],
    ]);
    const xs = r.fixedPoints.map((f) => f.value.x!).sort((a, b) => a - b);
    expect(xs.map((v) => Math.abs(Math.abs(v) - Math.SQRT2) < 1e-15)).toEqual([true, true]);
    const classes = r.fixedPoints.map((f) => [Math.sign(f.value.x!), f.class]).sort();
    // J = [[2x, 0], [1, -1]]: x = -sqrt 2 both negative (stable node), x = +sqrt 2 a saddle
    expect(classes).toEqual([
      [-1, "stable node"],
      [1, "saddle"],
    ]);
  });

  it("x' = x^3 - 2 (no square root): the real root by homotopy, certified", () => {
    const rule = parseRule("rule cube\nstate x, y\nd/dt x = x^3 - 2\nd/dt y = x - y\n");
    const r = fixedPoints(rule);
    expect(r.complete).toBe(true);
    expect(r.fixedPoints).toHaveLength(1);
    const [p] = r.fixedPoints;
    expect(p!.method).toBe("homotopy");
    expect(Math.abs(p!.value.x! - Math.cbrt(2))).toBeLessThanOrEqual(p!.certified!.radius);
  });
});

describe("gradientTest", () => {
  it("witness point covers every state", () => {
    const rule = parseRule("rule w\nstate x, y, z\nd/dt x = y\nd/dt y = 0\nd/dt z = 0\n");
    const g = gradientTest(rule);
    expect(g.isGradient).toBe(false);
    expect(g.witness).toEqual({ point: { x: "0", y: "0", z: "0" }, row: 0, column: 1, value: "1/2" });
  });
});

describe("invariants of maps", () => {
  it("the quarter-turn map x' = y, y' = -x conserves x^2 + y^2 (I(f(x)) = I(x))", () => {
    const rule = parseRule("rule turn\nstate x, y\nx' = y\ny' = -x\n");
    expect(findInvariants(rule).map(String)).toEqual(["x^2 + y^2"]);
    expect(isInvariant(parsePoly("x*y"), rule)).toBe(false); // x*y -> -x*y
    expect(lieDerivative(parsePoly("x*y"), rule).toString()).toBe("-2*x*y");
  });
});

describe("families from a common factor", () => {
  it("splits a reducible common factor into separate families", () => {
    const rule = parseRule("rule two\nstate x, y\nd/dt x = (x - 1)*(y - 1)*y\nd/dt y = -(x - 1)*(y - 1)*x\n");
    const fams = fixedPoints(rule).fixedPoints.filter((f) => f.family);
    expect(fams.map((f) => f.family).sort()).toEqual(["x = 1", "y = 1"]);
    // on y = 1: J = [[0, x - 1], [0, -(x - 1) x]], triangular: eigenvalues 0 and x - x^2
    expect(fams.find((f) => f.family === "y = 1")!.eigenvalues).toEqual(["0", "-x^2 + x"]);
  });
});

describe("large systems go to the numeric fallback instead of long eliminations", () => {
  it("a 4-dimensional map of degree 7 (once a hang in elimination) is analysed with checked residuals", () => {
    const rule = parseRule(
      [
        "rule big-map",
        "state x1, x2, x3, x4",
        "x1' = x2^2*x4 + 3*x2*x3^2",
        "x2' = 2*x1^2*x3^2*x4^2 - 5*x1*x2^2*x4^2",
        "x3' = x1^2*x2^2*x4",
        "x4' = 2*x1*x2*x3*x4 + 3*x1*x3",
      ].join("\n"),
    );
    // a small homotopy step bound: what it finds is checked all the same
    const r = fixedPoints(rule, { maxTotalSteps: 3000 });
    expect(r.fixedPoints.some((f) => f.point?.x1 === "0")).toBe(true); // the origin, exactly
    for (const f of r.fixedPoints) expect(f.residual).toBeLessThanOrEqual(f.tolerance);
  });
});
