/**
 * Numbers beyond float64 never give a wrong classification: literals outside its range are
 * refused by the parser (test/rules/rule-bounds.test.ts); exact coefficients that grow beyond it
 * are carried exactly by the symbolic steps, and the numeric steps either handle them (roots of
 * any size by a power-of-two change of variable, square roots of integers of any size) or say
 * why they cannot, instead of losing roots or classifying from infinities.
 */
import { describe, expect, it } from "vitest";
import { analyze, classifyEigenvalues } from "../../src/analysis/index.ts";
import { Poly, polyRoots, Rational, rationalSqrt } from "../../src/expr/index.ts";
import { bigSqrt } from "../../src/expr/sqrt.ts";
import { parseRule } from "../../src/rules/index.ts";
import { NumericFailureError } from "../../src/util/errors.ts";

describe("out-of-range numbers", () => {
  it("d/dt w = 1e400*w is refused at the number, never classified (it was a 'stable node')", () => {
    expect(() => parseRule("rule t\nstate w\nd/dt w = 1e400*w")).toThrow(
      /3:10: parse error: number 1e400 is outside float64's range/,
    );
  });

  it("a coefficient built beyond float64 (1e200*w*1e200) leaves the point unclassified, with the reason", () => {
    const r = analyze(parseRule("rule t\nstate w\nd/dt w = 1e200*w*1e200"));
    expect(r.jacobian).toEqual([[`1${"0".repeat(400)}`]]);
    expect(r.charpoly).toBe(`lambda - 1${"0".repeat(400)}`);
    expect(r.fixedPoints).toEqual([]);
    expect(r.unfinished).toEqual([
      { step: "fixedPoints", reason: expect.stringMatching(/root outside float64's range/) },
    ]);
  });

  it("a 2-state rule with coefficients 1e200 (a discriminant beyond float64) is a saddle with exact eigenvalues", () => {
    const r = analyze(parseRule("rule t\nstate w, v\nd/dt w = 1e200*w + v\nd/dt v = w - 1e200*v"));
    expect(r.unfinished).toEqual([]);
    expect(r.fixedPoints).toHaveLength(1);
    expect(r.fixedPoints[0]!.class).toBe("saddle");
    expect(r.fixedPoints[0]!.eigenvalues).toEqual([
      `-sqrt(1${"0".repeat(399)}1)`,
      `sqrt(1${"0".repeat(399)}1)`,
    ]);
  });

  it("integer square roots are exact beyond float64 (the float estimate was Infinity)", () => {
    expect(bigSqrt(10n ** 400n)).toBe(10n ** 200n);
    expect(bigSqrt(10n ** 401n)).toBeUndefined();
    expect(bigSqrt((10n ** 200n + 7n) ** 2n)).toBe(10n ** 200n + 7n);
    expect(bigSqrt((10n ** 200n + 7n) ** 2n - 1n)).toBeUndefined();
    expect(rationalSqrt(Rational.of(10n ** 600n, 9n))?.toString()).toBe(`${10n ** 300n}/3`);
  });

  it("roots of polynomials with coefficients beyond float64 are all found (none lost to underflow)", () => {
    const lambda2 = Poly.variable("lambda").pow(2);
    const roots = polyRoots(lambda2.sub(Poly.constant(Rational.of(10n ** 600n))), "lambda").map(
      (r) => r.root.re,
    );
    expect(roots).toHaveLength(2);
    expect(roots[0]! / -1e300).toBeCloseTo(1, 12);
    expect(roots[1]! / 1e300).toBeCloseTo(1, 12);
    const small = polyRoots(lambda2.sub(Poly.constant(Rational.of(1n, 10n ** 600n))), "lambda").map(
      (r) => r.root.re,
    );
    expect(small[1]! / 1e-300).toBeCloseTo(1, 12);
  });

  it("roots beyond float64 are refused, not returned as infinities or dropped", () => {
    expect(() =>
      polyRoots(Poly.variable("lambda").sub(Poly.constant(Rational.of(10n ** 400n))), "lambda"),
    ).toThrow(NumericFailureError);
  });

  it("an infinite or undefined eigenvalue has no class", () => {
    expect(() => classifyEigenvalues([{ re: Number.POSITIVE_INFINITY, im: 0 }], "flow")).toThrow(
      NumericFailureError,
    );
    expect(() =>
      classifyEigenvalues(
        [
          { re: Number.NaN, im: 0 },
          { re: -1, im: 0 },
        ],
        "flow",
      ),
    ).toThrow(NumericFailureError);
  });
});
