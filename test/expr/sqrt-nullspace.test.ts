import { describe, expect, it } from "vitest";
import { nullspace, parsePoly, polySqrt, Rational, rationalSqrt } from "../../src/expr/index.ts";

describe("polySqrt", () => {
  it("returns the root of perfect squares and undefined otherwise", () => {
    expect(polySqrt(parsePoly("4*s^2"))!.toString()).toBe("2*s");
    expect(polySqrt(parsePoly("(x - 2*y + 1/3)^2"))!.toString()).toBe("x - 2*y + 1/3");
    expect(polySqrt(parsePoly("-4*s^2"))).toBeUndefined();
    expect(polySqrt(parsePoly("x^2 + 1"))).toBeUndefined();
    expect(rationalSqrt(Rational.of(49, 4))!.toString()).toBe("7/2");
    expect(rationalSqrt(Rational.of(10n ** 40n + 1n))).toBeUndefined();
  });
});

describe("nullspace", () => {
  it("gives the standard basis of the solution space", () => {
    const q = (rows: number[][]) => rows.map((r) => r.map((x) => Rational.of(x)));
    const basis = nullspace(
      q([
        [1, 2, 3],
        [2, 4, 6],
      ]),
      3,
    ).map((v) => v.map(String));
    expect(basis).toEqual([
      ["-2", "1", "0"],
      ["-3", "0", "1"],
    ]);
    expect(
      nullspace(
        q([
          [1, 0],
          [0, 1],
        ]),
        2,
      ),
    ).toEqual([]);
  });
});
