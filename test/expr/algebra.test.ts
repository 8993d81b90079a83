import { fc, test } from "@fast-check/vitest";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { charpolyCoefficients, determinant } from "../../src/expr/berkowitz.ts";
import { polyGcd, pseudoRemainder } from "../../src/expr/gcd.ts";
import { Poly } from "../../src/expr/poly.ts";
import { Rational } from "../../src/expr/rational.ts";
import { discriminant, resultant, sylvesterMatrix } from "../../src/expr/resultant.ts";
import { numericRoots, polyRoots, squareFreeDecomposition } from "../../src/expr/roots.ts";
import { parsePoly } from "../../src/expr/to-poly.ts";
import { arbPoly } from "./arbitraries.ts";

const P = (s: string) => parsePoly(s);

describe("polyGcd", () => {
  it("finds the common factor of the curl-toy field (the solution manifold)", () => {
    expect(polyGcd(P("w2*(s - w1*w2)"), P("-w1*(s - w1*w2)")).toString()).toBe("w1*w2 - s");
    expect(polyGcd(P("(x+y)^2*(x-1)"), P("(x+y)*(x+1)*(y-2)")).toString()).toBe("x + y");
    expect(polyGcd(P("x^2 + 1"), P("x + 1")).toString()).toBe("1");
    expect(polyGcd(Poly.ZERO, P("2*x + 4")).toString()).toBe("x + 2");
  });

  it("a variable of one operand only: the gcd is taken with that operand's content in it", () => {
    // met in the exact decomposition of a 3-state system: a bivariate quartic against a
    // univariate octic with 8-digit coefficients, whose remainder sequence in x1 over Q[x2]
    // ran for minutes; with the content in x2 it is a univariate gcd
    const quartic = P(
      "8*x1^4 - 40*x1^2*x2^2 + 50*x2^4 + 40*x1^3 + 10*x1^2*x2 - 100*x1*x2^2 - 25*x2^3 + 43*x1^2 + 23*x1*x2 + 5*x2^2 - 12*x1 - 4*x2 + 5",
    );
    const octic = P(
      "526968*x1^8 + 5583924*x1^7 + 8761478*x1^6 - 38916577*x1^5 - 31975307*x1^4 + 35549519*x1^3 + 31631533*x1^2 + 1344095*x1 + 78487",
    );
    expect(polyGcd(quartic, octic).toString()).toBe("1");
    // a common factor in the shared variable is kept: (x - 1) divides every coefficient in y
    expect(polyGcd(P("(x - 1)*(x*y^2 + y + x)"), P("(x - 1)*(x + 2)")).toString()).toBe("x - 1");
    expect(polyGcd(P("(x + 2)*(x - 1)"), P("(x - 1)*(x^2*y + 3*y - x)")).toString()).toBe("x - 1");
  });

  test.prop([arbPoly(["x", "y"], 3), arbPoly(["x", "y"], 3), arbPoly(["x", "y"], 3)], {
    seed: 41,
    numRuns: 80,
  })("a common factor divides the gcd, and the gcd divides both", (a, b, g) => {
    fc.pre(!g.isZero() && !a.isZero() && !b.isZero());
    const p = a.mul(g);
    const q = b.mul(g);
    const d = polyGcd(p, q);
    expect(d.exactQuotient(g.primitive())).toBeDefined();
    expect(p.exactQuotient(d)).toBeDefined();
    expect(q.exactQuotient(d)).toBeDefined();
  });

  it("pseudo-remainder has lower degree", () => {
    const r = pseudoRemainder(P("x^3 + y*x + 1"), P("y*x^2 - 1"), "x");
    expect(r.degree("x")).toBeLessThan(2);
    // by hand: y*a - x*b = y*x^3 + y^2*x + y - (y*x^3 - x) (one step, lc(b)^1)
    expect(r.toString()).toBe("x*y^2 + x + y");
  });
});

describe("resultant and discriminant", () => {
  it("discriminants of the quadratic and the depressed cubic", () => {
    expect(discriminant(P("a*x^2 + b*x + c"), "x").toString()).toBe("-4*a*c + b^2");
    expect(discriminant(P("x^3 + p*x + q"), "x").toString()).toBe("-4*p^3 - 27*q^2");
  });

  it("eliminates a variable from a system", () => {
    // x^2 + y^2 = 1 and x = y meet where 2 y^2 = 1
    expect(resultant(P("x^2 + y^2 - 1"), P("x - y"), "x").toString()).toBe("2*y^2 - 1");
    expect(resultant(P("3"), P("x^2 + 1"), "x").toString()).toBe("9");
    expect(sylvesterMatrix(P("x^2 + 2*x + 3"), P("5*x + 7"), "x").map((r) => r.map(String))).toEqual([
      ["1", "2", "3"],
      ["5", "7", "0"],
      ["0", "5", "7"],
    ]);
  });

  test.prop([arbPoly(["x"], 4, 3), arbPoly(["x"], 4, 3)], { seed: 42, numRuns: 100 })(
    "res(p, q) = lc(p)^deg q * prod q(roots of p), checked with numeric roots",
    (p, q) => {
      fc.pre(p.degree("x") >= 1 && q.degree("x") >= 1);
      const res = resultant(p, q, "x").constantValue()!.toNumber();
      const roots = numericRoots(p.coefficients("x").map((c) => c.constantValue()!.toNumber()));
      const qc = q.coefficients("x").map((c) => c.constantValue()!.toNumber());
      let re = p.leadingCoefficient("x").constantValue()!.toNumber() ** q.degree("x");
      let im = 0;
      for (const z of roots) {
        let vr = 0;
        let vi = 0;
        for (let k = qc.length - 1; k >= 0; k--)
          [vr, vi] = [vr * z.re - vi * z.im + qc[k]!, vr * z.im + vi * z.re];
        [re, im] = [re * vr - im * vi, re * vi + im * vr];
      }
      // roots of degree <= 3 integer polynomials carry ~1e-8 error at worst (double roots give
      // sqrt(eps)); the product then has relative error ~1e-6 of the largest partial product.
      const scale = 1 + Math.abs(res) + Math.abs(re);
      expect(Math.abs(re - res)).toBeLessThanOrEqual(1e-5 * scale);
      expect(Math.abs(im)).toBeLessThanOrEqual(1e-5 * scale);
    },
  );
});

describe("Berkowitz charpoly and determinant", () => {
  it("symbolic 2x2 and 3x3", () => {
    const m = [
      [P("a"), P("b")],
      [P("c"), P("d")],
    ];
    expect(charpolyCoefficients(m).map(String)).toEqual(["1", "-a - d", "a*d - b*c"]);
    const m3 = ["a b c", "d e f", "g h i"].map((r) => r.split(" ").map(P));
    expect(determinant(m3).toString()).toBe("a*e*i - a*f*h - b*d*i + b*f*g + c*d*h - c*e*g");
    expect(() => charpolyCoefficients([[P("1"), P("2")], [P("3")]])).toThrow(/row 1.*length 2/);
  });

  test.prop(
    [
      fc
        .integer({ min: 1, max: 6 })
        .chain((n) => fc.array(fc.integer({ min: -4, max: 4 }), { minLength: n * n, maxLength: n * n })),
    ],
    { seed: 43, numRuns: 100 },
  )("roots of the exact charpoly equal ml-matrix eigenvalues", (flat) => {
    const n = Math.round(Math.sqrt(flat.length));
    const rows = Array.from({ length: n }, (_, i) => flat.slice(i * n, i * n + n));
    const c = charpolyCoefficients(rows.map((r) => r.map((x) => Poly.constant(x))));
    const lambda = Poly.fromCoefficients("lambda", [...c].reverse());
    const exact = polyRoots(lambda, "lambda").flatMap((r) => Array(r.multiplicity).fill(r.root));
    const evd = new EigenvalueDecomposition(new Matrix(rows));
    const numeric = evd.realEigenvalues.map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i]! }));
    // match each exact root to its nearest unused numeric eigenvalue; a defective eigenvalue of
    // multiplicity m is perturbed by ~eps^(1/m) * ||A|| in the QR iteration: 1e-4 covers m <= 3 at ||A|| <= 24
    const used = new Set<number>();
    for (const z of exact) {
      let best = -1;
      let dist = Number.POSITIVE_INFINITY;
      numeric.forEach((w, i) => {
        const d = Math.hypot(w.re - z.re, w.im - z.im);
        if (!used.has(i) && d < dist) [best, dist] = [i, d];
      });
      used.add(best);
      expect(dist).toBeLessThanOrEqual(n >= 4 ? 2e-3 : 1e-4);
    }
    expect(exact.length).toBe(n);
  });
});

describe("roots", () => {
  it("l^2 + 4 has roots ±2i (not ±i/2)", () => {
    const r = polyRoots(P("l^2 + 4"), "l").map((x) => x.root);
    expect(r).toEqual([
      { re: 0, im: -2 },
      { re: 0, im: 2 },
    ]);
  });

  it("splits repeated roots exactly", () => {
    const f = squareFreeDecomposition(P("x^3*(x - 1)^2*(x^2 + 1)"), "x").map(([p, k]) => [p.toString(), k]);
    expect(f).toEqual([
      ["x^2 + 1", 1],
      ["x - 1", 2],
      ["x", 3],
    ]);
    const r = polyRoots(P("x^3*(x - 1)^2"), "x");
    expect(r).toEqual([
      { root: { re: 0, im: 0 }, multiplicity: 3 },
      { root: { re: 1, im: 0 }, multiplicity: 2 },
    ]);
    expect(() => polyRoots(P("x^2 - y"), "x")).toThrow(/also has y/);
  });

  it("numericRoots handles zero roots and leading zeros", () => {
    expect(numericRoots([0, 0, -2, 1, 0])).toEqual([
      { re: 0, im: 0 },
      { re: 0, im: 0 },
      { re: 2, im: 0 },
    ]);
    expect(() => numericRoots([0, 0])).toThrow(/nonzero polynomial/);
    expect(numericRoots([Rational.of(1, 3).toNumber(), 1])[0]!.re).toBeCloseTo(-1 / 3, 15);
  });
});
