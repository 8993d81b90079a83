/**
 * Parameters (symbolic, fractions, --param), rational fields, complete fixed points (families
 * of any dimension, square roots, certified homotopy roots) and honest classification text:
 * each case here was answered wrongly before (a refusal, a family as sampled points, a missed
 * point, an unsatisfiable condition printed, a conservative family called unstable, a
 * redundant invariant list).
 */
import { describe, expect, it } from "vitest";
import { analyze, findInvariants, fixedPoints } from "../../src/analysis/index.ts";
import { main } from "../../src/cli/main.ts";
import { compileExpr, parseExpr } from "../../src/expr/index.ts";
import { parseRule } from "../../src/rules/index.ts";

const rule = (lines: string[]) => parseRule(`${lines.join("\n")}\n`);

describe("parameters", () => {
  it("a parameter without value stays symbolic: the pitchfork's branches ±sqrt(mu) and where each is stable", () => {
    const r = fixedPoints(rule(["rule pitch", "params mu", "state x", "d/dt x = mu*x - x^3"]));
    expect(r.symbolicParams).toEqual(["mu"]);
    expect(r.complete).toBe(true);
    expect(r.fixedPoints.map((f) => [f.point!.x, f.eigenvalues.join(", "), f.class, f.stableWhere])).toEqual([
      ["0", "mu", "unclassified", "mu < 0"],
      ["sqrt(mu)", "-2*mu", "unclassified", "mu > 0"],
      ["-sqrt(mu)", "-2*mu", "unclassified", "mu > 0"],
    ]);
  });

  it("fraction values: params mu = 1/4 gives the branches ±1/2 exactly and classifies them", () => {
    const r = fixedPoints(rule(["rule pitch", "params mu = 1/4", "state x", "d/dt x = mu*x - x^3"]));
    expect(r.params).toEqual({ mu: 0.25 });
    expect(r.fixedPoints.map((f) => [f.value.x, f.class])).toEqual([
      [0, "unstable node"],
      [0.5, "stable node"],
      [-0.5, "stable node"],
    ]);
  });

  it("--param sets values, a fraction included, and refuses unknown names", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    expect(await main(["analyze", "curl-toy", "--param", "s=1/3", "--json"], io)).toBe(0);
    const r = JSON.parse(out.join(""));
    expect(r.params).toEqual({ s: 1 / 3 });
    expect(r.fixedPoints.find((f: { family?: string }) => f.family).family).toBe("w1*w2 = s");
    expect(await main(["analyze", "curl-toy", "--param", "q=1"], io)).not.toBe(0);
    expect(err.join("\n")).toMatch(/--param.*a parameter of rule "curl-toy" \(s\).*"q"/);
  });
});

describe("rational fields keep the symbolic analysis", () => {
  const tauRule = rule([
    "rule tau3",
    "params s = 1, tau = 2",
    "state a1, a2, a3",
    "d/dt a1 = (s - a1*a2*a3)*a2*a3/tau",
    "d/dt a2 = (s - a1*a2*a3)*a1*a3/tau - a2/tau",
    "d/dt a3 = -a3/tau + a1",
  ]);

  it("dividing by a parameter: the origin exactly, with eigenvalues 0, -1/tau, -1/tau", () => {
    const r = analyze(tauRule);
    expect(r.charpoly).not.toBeNull();
    expect(r.denominator).toBe("tau");
    expect(r.fixedPointsComplete).toBe(true);
    expect(r.fixedPoints).toHaveLength(1);
    expect(r.fixedPoints[0]).toMatchObject({
      point: { a1: "0", a2: "0", a3: "0" },
      eigenvalues: ["0", "-1/tau", "-1/tau"],
      class: "non-hyperbolic",
      method: "exact",
    });
  });

  it("its Jacobian text equals central differences of the field at random points (numeric twin)", () => {
    const r = analyze(tauRule);
    const vars = ["a1", "a2", "a3", "s", "tau"];
    const f = tauRule.field.map((e) => compileExpr(e, vars));
    const J = r.jacobian.map((row) => row.map((t) => compileExpr(parseExpr(t), vars)));
    for (const x of [
      [0.3, -1.2, 0.7, 1, 2],
      [1.1, 0.4, -0.9, 0.5, 3],
    ]) {
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const h = 1e-5;
          const xp = [...x];
          const xm = [...x];
          xp[j]! += h;
          xm[j]! -= h;
          // central differences: error h^2 |f'''| ~ 1e-10, rounding eps |f| / h ~ 1e-11
          expect(Math.abs(J[i]![j]!(x) - (f[i]!(xp) - f[i]!(xm)) / (2 * h))).toBeLessThan(1e-8);
        }
    }
  });

  it("a denominator in the states: the fixed point (1, 0) with f's eigenvalues -1 and -1/2", () => {
    const r = fixedPoints(
      rule(["rule den", "state x, y", "d/dt x = (1 - x)/(1 + y^2)", "d/dt y = -y/(1 + x^2)"]),
    );
    expect(r.denominator).toBe("x^2*y^2 + x^2 + y^2 + 1");
    expect(r.fixedPoints.map((f) => [f.point, f.eigenvalues, f.class])).toEqual([
      [{ x: "1", y: "0" }, ["-1", "-1/2"], "stable node"],
    ]);
  });
});

describe("complete fixed points", () => {
  it("a curve of fixed points that is no common factor is one family of dimension 1, not sampled points", () => {
    const r = fixedPoints(
      rule([
        "rule line",
        "state x, y, z",
        "d/dt x = x*(z - 1) + y*(x + 2)",
        "d/dt y = x*(y + z) - y*(z - 3)",
        "d/dt z = x*(2*x - 1) + y*(x + y + z)",
      ]),
    );
    const families = r.fixedPoints.filter((f) => f.dimension > 0);
    expect(families.map((f) => f.dimension)).toEqual([1]);
    // its sample point is on the line x = y = 0, and no point on the line is listed apart
    expect(Math.abs(families[0]!.value.x!) + Math.abs(families[0]!.value.y!)).toBeLessThan(1e-9);
    for (const p of r.fixedPoints.filter((f) => f.dimension === 0))
      expect(Math.abs(p.value.x!) + Math.abs(p.value.y!)).toBeGreaterThan(1e-6);
  });

  it("a 6-state rule (W2 W1 = t, W1 2x2, W2 1x2): the 4-dimensional manifold and the 2-dimensional family W2 = 0, no stray points", () => {
    const r = fixedPoints(
      rule([
        "rule six",
        "params t1 = 1, t2 = 2",
        "state a11, a12, a21, a22, b1, b2",
        "d/dt a11 = b1*(t1 - b1*a11 - b2*a21)",
        "d/dt a12 = b1*(t2 - b1*a12 - b2*a22)",
        "d/dt a21 = b2*(t1 - b1*a11 - b2*a21)",
        "d/dt a22 = b2*(t2 - b1*a12 - b2*a22)",
        "d/dt b1 = (t1 - b1*a11 - b2*a21)*a11 + (t2 - b1*a12 - b2*a22)*a12",
        "d/dt b2 = (t1 - b1*a11 - b2*a21)*a21 + (t2 - b1*a12 - b2*a22)*a22",
      ]),
    );
    expect(r.fixedPoints.map((f) => f.dimension).sort()).toEqual([2, 4]);
    const manifold = r.fixedPoints.find((f) => f.dimension === 4)!;
    expect(manifold.family).toBe("a11*b1 + a21*b2 - 1 = 0, a12*b1 + a22*b2 - 2 = 0");
    for (const f of r.fixedPoints) expect(f.residual).toBeLessThanOrEqual(f.tolerance);
    expect(r.complete).toBe(false);
    expect(r.completeness).toMatch(/dimension 4/);
  });

  it("a 2-state rule's isolated real point far from the origin (-19.77, 17.19), once missed, is found and certified", () => {
    const r = fixedPoints(
      rule([
        "rule far",
        "state x1, x2",
        "d/dt x1 = -x1^2 + 3*x1*x2 - x1 + 5*x2^2 - 5*x2 - 1",
        "d/dt x2 = 2*x1^3 - 3*x1^2*x2 + 2*x1^2 - 3*x1*x2^2 - 5*x1*x2 - 5*x1 + 3*x2^3 + x2^2 - 2*x2 + 3",
      ]),
    );
    expect(r.complete).toBe(true);
    // SymPy (fixtures/fixed-points/random-systems.json, dense-16): (-19.7738048143291..., 17.1940350492195...)
    const far = r.fixedPoints.find((f) => f.value.x1! < -19);
    expect(far?.certified).toBeDefined();
    expect(Math.abs(far!.value.x1! + 19.77380481432911)).toBeLessThanOrEqual(far!.certified!.radius + 1e-14);
    expect(Math.abs(far!.value.x2! - 17.194035049219597)).toBeLessThanOrEqual(far!.certified!.radius + 1e-14);
  });
});

describe("honest classification text", () => {
  it("conditions that cannot hold are not printed: eigenvalues a3*s and -a3*s, or 0, are stable nowhere", () => {
    const r = fixedPoints(
      rule([
        "rule never",
        "params s = 1",
        "state a1, a2, a3",
        "d/dt a1 = s*a3*a1",
        "d/dt a2 = -s*a3*a2",
        "d/dt a3 = a1*a2",
      ]),
    );
    for (const f of r.fixedPoints) {
      expect(f.stableWhere).toBe("never");
      expect(f.neverStableBecause).toBeDefined();
    }
    const line = r.fixedPoints.find((f) => f.family === "a1 = 0, a2 = 0")!;
    expect(line.neverStableBecause).toBe("a3*s would have to be both < 0 and > 0");
    const text = JSON.stringify(r.fixedPoints);
    expect(text).not.toMatch(/a3\*s < 0 and -a3\*s < 0|0 < 0/);
  });

  it("a conservative family with eigenvalues ±i*a3*s is a family of linear centers, neutral, not unstable", () => {
    const r = fixedPoints(
      rule([
        "rule cons",
        "params s = 1",
        "state a1, a2, a3",
        "d/dt a1 = s*a3*a2",
        "d/dt a2 = -s*a3*a1",
        "d/dt a3 = 0",
      ]),
    );
    const fam = r.fixedPoints.find((f) => f.family === "a1 = 0, a2 = 0")!;
    expect(fam.eigenvalues).toEqual(["0", "-i*a3*s", "i*a3*s"]);
    expect(fam.class).toBe("family of linear centers");
    expect(fam.stability).toBe("neutral");
    expect(fam.stableWhere).toBeUndefined();
  });

  it("the invariant list is a minimal generating set: 3 where products and parameter multiples were listed too", () => {
    const inv = findInvariants(
      rule([
        "rule inv",
        "params s = 1",
        "state x1, x2, x3, x4",
        "d/dt x1 = s*x4",
        "d/dt x2 = s*x4",
        "d/dt x3 = s*x4",
        "d/dt x4 = -x4",
      ]),
    ).map(String);
    expect(inv).toEqual(["x2 - x3", "x1 - x2", "s*x4 + x1"]);
  });
});
