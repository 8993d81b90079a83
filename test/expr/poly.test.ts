import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Poly, polyLimits } from "../../src/expr/poly.ts";
import { Rational } from "../../src/expr/rational.ts";
import { parsePoly } from "../../src/expr/to-poly.ts";
import { BoundExceededError } from "../../src/util/errors.ts";
import { arbPoly, arbRationalPoint } from "./arbitraries.ts";

const V = ["x", "y", "z"] as const;

describe("Poly", () => {
  it("expands and prints in the rule-language syntax", () => {
    expect(parsePoly("(s - w1*w2)^2/2").toString()).toBe("1/2*w1^2*w2^2 - s*w1*w2 + 1/2*s^2");
    expect(parsePoly("w2*(s - w1*w2) - w2*s").toString()).toBe("-w1*w2^2");
    expect(parsePoly("x - x").toString()).toBe("0");
  });

  it("gives degrees and coefficients in a chosen variable", () => {
    const p = parsePoly("a*x^2 + b*x + c + x^2");
    expect(p.degree("x")).toBe(2);
    expect(p.degree("q")).toBe(0);
    expect(Poly.ZERO.degree("x")).toBe(Number.NEGATIVE_INFINITY);
    expect(p.coefficients("x").map(String)).toEqual(["c", "b", "a + 1"]);
    expect(Poly.fromCoefficients("x", p.coefficients("x")).equals(p)).toBe(true);
    expect(p.totalDegree()).toBe(3);
    expect(p.variables()).toEqual(["a", "b", "c", "x"]);
  });

  it("substitutes, differentiates and divides exactly", () => {
    const p = parsePoly("w1^2 - w2^2");
    expect(p.substitute("w1", parsePoly("s/w2 * 0 + w2 + 1")).toString()).toBe("2*w2 + 1");
    expect(parsePoly("x^3*y + 2*x").derivative("x").toString()).toBe("3*x^2*y + 2");
    expect(parsePoly("x^2 - y^2").exactQuotient(parsePoly("x + y"))!.toString()).toBe("x - y");
    expect(parsePoly("x^2 + y^2").exactQuotient(parsePoly("x + y"))).toBeUndefined();
    // simultaneous substitution: x -> y and y -> x swap
    expect(
      parsePoly("x - 2*y")
        .substituteAll({ x: parsePoly("y"), y: parsePoly("x") })
        .toString(),
    ).toBe("-2*x + y");
  });

  it("substitutes numbers exactly", () => {
    const p = parsePoly("c*G^2 + alpha*G - z");
    expect(p.substituteValues({ c: 0.5, alpha: Rational.parse("0.1") }).toString()).toBe(
      "1/2*G^2 + 1/10*G - z",
    );
  });

  it("evaluates in float64 and compiles to a closure", () => {
    const p = parsePoly("x^2*y - 1/4");
    expect(p.evaluate({ x: 3, y: 2 })).toBe(17.75);
    expect(p.compile(["y", "x"])([2, 3])).toBe(17.75);
    expect(() => p.evaluate({ x: 1 })).toThrow(/missing "y"/);
    expect(() => p.compile(["x"])).toThrow(/Poly.compile.*missing "y"/);
  });

  it("stops at the term bound with BoundExceededError naming it", () => {
    const saved = polyLimits.maxTerms;
    polyLimits.maxTerms = 1000;
    try {
      // (x + y + z + w + 1)^10 has C(14, 4) = 1001 terms: one more than the bound
      const p = parsePoly("x + y + z + w + 1");
      expect(() => p.pow(10)).toThrow(BoundExceededError);
      expect(() => p.pow(10)).toThrow(/polynomial term bound of 1000 exceeded/);
      expect(p.pow(9).size).toBe(715); // C(13, 4), within the bound
    } finally {
      polyLimits.maxTerms = saved;
    }
  });

  test.prop([arbPoly(V), arbPoly(V), arbPoly(V), arbRationalPoint(V)], { seed: 21, numRuns: 150 })(
    "ring laws hold exactly and evaluation is a homomorphism",
    (p, q, r, pt) => {
      expect(
        p
          .add(q)
          .mul(r)
          .equals(p.mul(r).add(q.mul(r))),
      ).toBe(true);
      expect(p.mul(q).equals(q.mul(p))).toBe(true);
      expect(p.sub(p).isZero()).toBe(true);
      expect(
        p
          .mul(q)
          .evaluateExact(pt)
          .equals(p.evaluateExact(pt).mul(q.evaluateExact(pt))),
      ).toBe(true);
      expect(p.pow(2).equals(p.mul(p))).toBe(true);
    },
  );

  test.prop([arbPoly(V), arbPoly(V), arbRationalPoint(V)], { seed: 22, numRuns: 150 })(
    "product rule, substitution, exact quotient and printing round trip",
    (p, q, pt) => {
      expect(
        p
          .mul(q)
          .derivative("x")
          .equals(
            p
              .derivative("x")
              .mul(q)
              .add(p.mul(q.derivative("x"))),
          ),
      ).toBe(true);
      // substituting x := q then evaluating equals evaluating p at x = q(pt)
      const sub = p.substitute("x", q).evaluateExact(pt);
      expect(sub.equals(p.evaluateExact({ ...pt, x: q.evaluateExact(pt) }))).toBe(true);
      if (!q.isZero()) expect(p.mul(q).exactQuotient(q)!.equals(p)).toBe(true);
      expect(parsePoly(p.toString()).equals(p)).toBe(true);
      // float64 evaluation of small integer data is exact up to rounding: |error| <= 1e-9 * scale
      const f = { x: pt.x!.toNumber(), y: pt.y!.toNumber(), z: pt.z!.toNumber() };
      const exact = p.evaluateExact(pt).toNumber();
      expect(Math.abs(p.evaluate(f) - exact)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(exact)) * 100);
      expect(Poly.fromCoefficients("y", p.coefficients("y")).equals(p)).toBe(true);
    },
  );

  it("content and primitive part", () => {
    const p = parsePoly("-4/3*x + 2/9*y");
    expect(p.content().toString()).toBe("-2/9");
    expect(p.primitive().toString()).toBe("6*x - y");
    expect(Poly.constant(Rational.of(3, 2)).primitive().toString()).toBe("1");
  });
});
