import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Rational } from "../../src/expr/rational.ts";

describe("Rational", () => {
  it("normalizes sign and common factors", () => {
    expect(Rational.of(6, -4).toString()).toBe("-3/2");
    expect(Rational.of(0, -7).equals(Rational.ZERO)).toBe(true);
  });

  it("parses decimal literals exactly", () => {
    expect(Rational.parse("0.1").toString()).toBe("1/10");
    expect(Rational.parse("1e-3").toString()).toBe("1/1000");
    expect(Rational.parse("-2.5E+2").toString()).toBe("-250");
    expect(Rational.parse("7/21").toString()).toBe("1/3");
    expect(() => Rational.parse("1.2.3")).toThrow(/Rational.parse: argument "text" must be a decimal/);
  });

  it("converts huge numerators and denominators to the nearest double", () => {
    // 10^400 / (3 * 10^399) = 10/3; both parts overflow float64 on their own.
    expect(Rational.of(10n ** 400n, 3n * 10n ** 399n).toNumber()).toBe(10 / 3);
    expect(Rational.of(1n, 10n ** 330n).toNumber()).toBe(0); // below the smallest subnormal
    expect(Rational.of(-(2n ** 1100n), 2n ** 1090n).toNumber()).toBe(-1024);
  });

  it("refuses a zero denominator", () => {
    expect(() => Rational.of(1, 0)).toThrow(/den/);
    expect(() => Rational.ONE.div(Rational.ZERO)).toThrow(/nonzero/);
  });

  test.prop(
    [
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: 1, max: 50 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    ],
    { seed: 11, numRuns: 200 },
  )("field laws and exact float conversion", (n, d, x) => {
    const a = Rational.of(n, d);
    expect(a.add(a.neg()).isZero()).toBe(true);
    if (!a.isZero()) expect(a.mul(a.inv()).isOne()).toBe(true);
    // every double is a dyadic rational, so fromNumber then toNumber is the identity (-0 -> 0)
    expect(Rational.fromNumber(x).toNumber() === x).toBe(true);
  });
});
