/**
 * Reference test: characteristic polynomials of fixed matrices against SymPy
 * (fixtures/charpoly/make_charpoly.py, an independent system), exact comparison.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { charpoly, LAMBDA } from "../../src/analysis/index.ts";
import { parsePoly } from "../../src/expr/index.ts";

interface Fixture {
  sympy: string;
  matrices: Record<string, { matrix: string[][]; coefficients: string[] }>;
}

const fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/charpoly/charpolys.json", import.meta.url), "utf8"),
) as Fixture;

describe("charpoly versus SymPy", () => {
  it("covers integer, rational and symbolic matrices of sizes 2 to 6", () => {
    const sizes = Object.values(fixture.matrices).map((m) => m.matrix.length);
    expect(Math.min(...sizes)).toBe(2);
    expect(Math.max(...sizes)).toBe(6);
    expect(Object.keys(fixture.matrices)).toEqual(
      expect.arrayContaining(["rat3", "rat6", "sym3_a", "sym4_a"]),
    );
  });

  for (const [name, { matrix, coefficients }] of Object.entries(fixture.matrices)) {
    it(`${name}: Berkowitz equals SymPy exactly`, () => {
      const P = charpoly(matrix.map((row) => row.map((e) => parsePoly(e))));
      const ours = P.coefficients(LAMBDA).reverse();
      expect(ours.length).toBe(coefficients.length);
      ours.forEach((c, k) => {
        expect(c.equals(parsePoly(coefficients[k]!))).toBe(true);
      });
    });
  }
});
