import { describe, expect, it } from "vitest";
import { seed001Manifold } from "../../../src/spectra/free/closed-form-cases.ts";
import { lowerEdgeMap } from "../../../src/spectra/free/edge-map.ts";
import { lowerEdgeSignMap } from "../../../src/spectra/free/edge-sign-map.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import { solveFixedPoint } from "../../../src/spectra/free/fixed-point.ts";
import { polynomialSpectrum } from "../../../src/spectra/free/polynomial-spectrum.ts";
import { spectralEdge } from "../../../src/spectra/free/real-branch.ts";
import { InvalidArgumentError, NumericFailureError } from "../../../src/util/errors.ts";

describe("failures are reported, never returned", () => {
  it("a damped iteration out of iterations names the point and the residual", () => {
    const s = polynomialSpectrum(seed001Manifold(0.5, 0.3, 0.2));
    const z = { re: 0.7, im: 0.01 };
    let err: unknown;
    try {
      solveFixedPoint(s.problem, z, { scale: s.scale, maxDampedIterations: 2 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericFailureError);
    const where = (err as NumericFailureError).where as { z: { re: number }; residual: number };
    expect(where.z.re).toBe(0.7);
    expect(where.residual).toBeGreaterThan(1e-12);
    expect(String(err)).toMatch(/did not converge in 2 iterations.*residual/);
  });

  it("a path out of steps and an edge search out of Newton iterations say so", () => {
    const s = polynomialSpectrum(seed001Manifold(0.5, 0.3, 0.2));
    expect(() =>
      solveFixedPoint(s.problem, { re: 0.7, im: 1e-12 }, { scale: s.scale, maxPathSteps: 2 }),
    ).toThrow(/path continuation exceeded 2 steps/);
    expect(() => spectralEdge(s.problem, "lower", { scale: s.scale, maxIterations: 5 })).toThrow(
      /more than 5 Newton iterations/,
    );
  });

  it("what the solver does not handle is refused with the reason", () => {
    const N = E.space("N");
    const U = E.haar("U", N);
    const D = E.diagonal("D", N, E.signsLaw(0.5));
    expect(() => polynomialSpectrum(E.product(U, D, E.transpose(U)))).toThrow(/Haar/);
    expect(() => polynomialSpectrum(E.diagonal("D", N, E.uniformLaw(0, 1)))).toThrow(/uniform law/);
    const X = E.gaussian("X", N, N);
    expect(() => polynomialSpectrum(X)).toThrow(InvalidArgumentError);
    expect(() => polynomialSpectrum(X)).toThrow(/self-adjoint/);
    expect(() => E.product(E.gaussian("W", N, E.space("M", 2)), E.gaussian("V", N, N))).toThrow(
      /rows M \(the columns of the product so far, N×M\), received "N×N"/,
    );
  });
});

describe("edge maps list every failed point", () => {
  it("with the point, the reason and the residual of the Newton iteration", () => {
    const family = (c: number, a: number) => seed001Manifold(c, a, 0);
    const xs = [0.5, 2];
    const ys = [0.1, 0.3];
    const map = lowerEdgeMap(family, xs, ys, { maxIterations: 5 });
    expect(map.failures.map((f) => [f.x, f.y])).toEqual([
      [0.5, 0.1],
      [2, 0.1],
      [0.5, 0.3],
      [2, 0.3],
    ]);
    for (const f of map.failures) {
      expect(f.reason).toMatch(/more than 5 Newton iterations.*residual/);
      expect(f.residual).toBeGreaterThanOrEqual(0);
    }
    expect(Array.from(map.lowerEdge).every(Number.isNaN)).toBe(true);
    const signs = lowerEdgeSignMap(family, xs, ys, { maxIterations: 5 });
    expect(Array.from(signs.positive)).toEqual([255, 255, 255, 255]);
    expect(signs.failures).toHaveLength(4);
  });
});
