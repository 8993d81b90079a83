/** Bad input is refused with an error naming the problem and where. */
import { describe, expect, it } from "vitest";
import { analyze, charpoly, findInvariants, fixedPoints, jacobian } from "../../src/analysis/index.ts";
import { NotPolynomialError, Poly, parsePoly, polyLimits } from "../../src/expr/index.ts";
import { parseRule } from "../../src/rules/index.ts";
import { BoundExceededError } from "../../src/util/errors.ts";

const TANH = parseRule("rule tanh-unit\nparams g = 2\nstate x\nd/dt x = tanh(g*x) - x\n");

describe("non-polynomial rules", () => {
  it("polynomial-only routines name the offending subexpression", () => {
    expect(() => jacobian(TANH)).toThrow(NotPolynomialError);
    expect(() => jacobian(TANH)).toThrow(
      /jacobian \(rule "tanh-unit"\): expression is not a polynomial: function tanh in "tanh\(g\*x\)"/,
    );
    expect(() => findInvariants(TANH)).toThrow(/findInvariants .*tanh\(g\*x\)/);
  });

  it("still get numeric fixed points: 0 and ±x* with tanh(2 x*) = x*", () => {
    const r = analyze(TANH);
    expect(r.charpoly).toBeNull();
    expect(r.jacobian).toEqual([["g*(1 - tanh(g*x)^2) - 1"]]);
    const xs = r.fixedPoints.map((f) => f.value.x!).sort((a, b) => a - b);
    expect(xs).toHaveLength(3);
    expect(Math.abs(xs[1]!)).toBeLessThan(1e-12);
    // x* = tanh(2 x*): solved independently by bisection
    let lo = 0.5;
    let hi = 1.5;
    for (let k = 0; k < 100; k++) {
      const mid = (lo + hi) / 2;
      if (Math.tanh(2 * mid) - mid > 0) lo = mid;
      else hi = mid;
    }
    expect(Math.abs(xs[2]! - lo)).toBeLessThan(1e-9); // Newton polished to ~1e-15; bisection to 1e-30
    expect(r.fixedPoints.find((f) => Math.abs(f.value.x ?? Number.NaN) < 1e-9)!.class).toBe("unstable node"); // slope 2 - 1 > 0
  });
});

describe("size bounds", () => {
  it("a blow-up past the term bound is refused naming the bound", () => {
    const saved = polyLimits.maxTerms;
    polyLimits.maxTerms = 200;
    try {
      const J = Array.from({ length: 5 }, (_, i) =>
        Array.from({ length: 5 }, (_, j) => parsePoly(`a${i}${j}*x + b${i}${j}`)),
      );
      expect(() => charpoly(J)).toThrow(BoundExceededError);
      expect(() => charpoly(J)).toThrow(/polynomial term bound of 200 exceeded/);
    } finally {
      polyLimits.maxTerms = saved;
    }
  });

  it("an invariant ansatz past its bound says which degrees to lower", () => {
    const rule = parseRule("rule big\nstate a, b, c, d\nd/dt a = b\nd/dt b = c\nd/dt c = d\nd/dt d = a\n");
    expect(() => findInvariants(rule, { degree: 8, maxMonomials: 100 })).toThrow(
      /findInvariants: argument "degree" must be an ansatz of at most 100 monomials, received "494 monomials/,
    );
  });

  it("a parameter without value is named where numbers are needed (fields with functions)", () => {
    const rule = parseRule("rule p\nparams k\nstate x\nd/dt x = k*tanh(x)\n");
    expect(() => fixedPoints(rule)).toThrow(/values for every parameter of rule "p".*none for k.*--param/);
  });

  it("Poly refuses bad variable names and exponents", () => {
    expect(() => Poly.variable("2x")).toThrow(/Poly.variable: argument "name" must be an identifier/);
    expect(() => Poly.variable("x").pow(-1)).toThrow(/non-negative integer/);
  });
});
