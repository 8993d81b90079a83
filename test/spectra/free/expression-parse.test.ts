import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../../src/expr/parse.ts";
import { seed001Manifold } from "../../../src/spectra/free/closed-form-cases.ts";
import { parseMatrixExpression } from "../../../src/spectra/free/expression-parse.ts";
import { noncommutativePolynomial, wordKey } from "../../../src/spectra/free/noncommutative-polynomial.ts";
import { polynomialCauchy, polynomialSpectrum } from "../../../src/spectra/free/polynomial-spectrum.ts";

const SEED001 = `# seed 001, appendix B.4
param c = 0.5
param alphaH = 0.3
param alphaR = 0.2
dim N = 1
dim M = c
W1 = gaussian(N, M)
D1 = diagonal(M, signs(alphaH))
D2 = diagonal(N, signs(alphaR))
D1 + W1' * D2 * W1
`;

const parseError = (text: string): ParseError => {
  try {
    parseMatrixExpression(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("text form of random-matrix expressions", () => {
  it("seed 001's model parses to the TypeScript one (same polynomial, same Cauchy transform)", () => {
    const parsed = parseMatrixExpression(SEED001, { params: { c: 0.7 } });
    expect(parsed.params).toEqual({ c: 0.7, alphaH: 0.3, alphaR: 0.2 });
    const a = noncommutativePolynomial(parsed.expression);
    const b = noncommutativePolynomial(seed001Manifold(0.7, 0.3, 0.2));
    expect(a.monomials.map((m) => [m.coefficient, wordKey(m.word)])).toEqual(
      b.monomials.map((m) => [m.coefficient, wordKey(m.word)]),
    );
    const z = { re: 0.4, im: 0.1 };
    const g1 = polynomialCauchy(polynomialSpectrum(parsed.expression), z);
    const g2 = polynomialCauchy(polynomialSpectrum(seed001Manifold(0.7, 0.3, 0.2)), z);
    expect(g1.re).toBe(g2.re);
    expect(g1.im).toBe(g2.im);
  });

  it("the example files parse", () => {
    const text = readFileSync("rules/spectra/seed001-manifold.matrix", "utf8");
    const p = noncommutativePolynomial(parseMatrixExpression(text).expression);
    expect(p.monomials.map((m) => wordKey(m.word))).toEqual(["D1", "W1' D2 W1"]);
    const anti = parseMatrixExpression(readFileSync("rules/spectra/anticommutator.matrix", "utf8"));
    expect(noncommutativePolynomial(anti.expression).monomials).toHaveLength(2);
  });

  it("numbers, scalar multiples of the identity, transposes and products expand as expected", () => {
    const { expression } = parseMatrixExpression(
      "dim N = 1\nS = wigner(N)\nX = gaussian(N, N, 2)\n2*(S + 1) - X'*X/4 + 0.5*(X + X')\n",
    );
    const p = noncommutativePolynomial(expression);
    expect(p.monomials.map((m) => `${m.coefficient}:${wordKey(m.word)}`)).toEqual([
      "2:",
      "2:S",
      "0.5:X",
      "0.5:X'",
      "-0.25:X' X",
    ]);
  });

  it("errors name line and column", () => {
    const e1 = parseError("dim N = 1\ndim M = 2\nW = gaussian(N, M)\nW * W\n");
    expect([e1.line, e1.column]).toEqual([4, 3]);
    expect(e1.message).toMatch(/rows M/);
    const e2 = parseError("dim N = 1\nS = wigner(N)\nS + T\n");
    expect([e2.line, e2.column]).toEqual([3, 5]);
    expect(e2.message).toMatch(/unknown name "T"/);
    const e3 = parseError("dim N = 1\nD = diagonal(N, signs(1.5))\nD\n");
    expect(e3.line).toBe(2);
    expect(e3.message).toMatch(/alpha/);
    const e4 = parseError("dim N = 1\nS = wigner(N)\nS\nS\n");
    expect(e4.line).toBe(4);
    expect(parseError("dim N = 1\nS = wigner(N) $\n").column).toBe(15);
    expect(() => parseMatrixExpression(SEED001, { params: { q: 1 } })).toThrow(/declares no "param q"/);
  });
});
