/**
 * polyGcd on univariate polynomials of moderate degree with large integer coefficients: the
 * integer content is removed along the pseudo-remainder sequence, so the gcd comes out exactly
 * (without it the remainders' coefficients double in length per step and the call runs for minutes).
 */
import { describe, expect, it } from "vitest";
import { Poly, polyGcd, Rational } from "../../src/expr/index.ts";

describe("polyGcd on univariate polynomials with large coefficients", () => {
  it("finds a common factor of two degree-24 polynomials exactly", () => {
    const z = Poly.variable("z");
    const lin = (a: number, b: number) => z.scale(a).sub(Poly.constant(Rational.of(b)));
    let common = Poly.ONE;
    for (let k = 1; k <= 6; k++) common = common.mul(lin(7 * k + 3, 11 * k * k - 5));
    let p = common;
    let q = common;
    for (let k = 1; k <= 18; k++) {
      p = p.mul(lin(13 * k + 1, 3 * k * k + 2));
      q = q.mul(lin(17 * k + 2, 5 * k * k + 7));
    }
    expect(p.degree("z")).toBe(24);
    expect(polyGcd(p, q).equals(common.primitive())).toBe(true);
  });
});
