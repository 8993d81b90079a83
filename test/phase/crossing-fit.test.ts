/**
 * The local zero fit (src/phase/crossing-fit.ts): exact on noise-free quadratics, the root nearest
 * the guess, the window and its shrinking on a coarse grid, the fallback to a line, and the delta-method error against the spread
 * of the root over replicates.
 */
import { describe, expect, it } from "vitest";
import { localZeroFit } from "../../src/phase/crossing-fit.ts";
import { Rng } from "../../src/util/random.ts";

const grid = (f: (x: number) => number, xs: number[], noise: (x: number) => number[] = () => [0, 0]) =>
  xs.map((x) => ({ x, ys: noise(x).map((e) => f(x) + e) }));

describe("localZeroFit", () => {
  it("is exact on a quadratic and takes the root nearest the guess", () => {
    // f = (x - 0.3)(x + 0.9): roots 0.3 and -0.9; the window around 0.3 holds only that one.
    const xs = Array.from({ length: 12 }, (_, k) => k * 0.1);
    const f = (x: number) => (x - 0.3) * (x + 0.9);
    const fit = localZeroFit(
      grid(f, xs, () => [-1e-3, 1e-3]),
      0.31,
    )!;
    expect(fit.value).toBeCloseTo(0.3, 12);
    expect(fit.degree).toBe(2);
    expect([fit.from, fit.to]).toEqual([0, expect.closeTo(0.7, 12)]);
    expect(fit.samples).toBe(16);
    expect(fit.error).toBeGreaterThan(0);
  });

  it("fits locally on a coarse grid over a curved mean", () => {
    // log(x / 0.7) on 0.25 … 4 (the feedback-alignment run's grid): a quadratic over the whole grid
    // misses the root 0.7 by far more than the noise (sd 0.02 a sample, 6 samples); the
    // lack-of-fit test shrinks the window around it.
    const rng = new Rng(5);
    const xs = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];
    const fit = localZeroFit(
      grid(
        (x) => Math.log(x / 0.7),
        xs,
        () => Array.from(rng.normals(6, 0, 0.02)),
      ),
      0.72,
    )!;
    expect(fit.to).toBeLessThan(4);
    expect(Math.abs(fit.value - 0.7)).toBeLessThan(4 * fit.error);
    expect(fit.error).toBeLessThan(0.02);
  });

  it("falls back to a line with two grid points and refuses too few samples", () => {
    const fit = localZeroFit(
      [
        { x: 1, ys: [-1.1, -0.9] },
        { x: 2, ys: [0.9, 1.1] },
      ],
      1.5,
    )!;
    expect(fit.degree).toBe(1);
    expect(fit.value).toBeCloseTo(1.5, 12);
    expect(
      localZeroFit(
        [
          { x: 1, ys: [-1] },
          { x: 2, ys: [1] },
        ],
        1.5,
      ),
    ).toBeNull();
    expect(() => localZeroFit([], 0, { window: 1 })).toThrow(/window/);
  });

  it("reports a standard error matching the spread of the root over replicates", () => {
    // 400 replicates of 6 samples at 8 points (sd 0.05) around a curved crossing: the mean
    // reported error must match the replicates' standard deviation. The sd of 400 draws errs by
    // 1/sqrt(800) ≈ 3.5% (one sd); the delta method's own error at this noise (root error ≈ 0.006
    // against a curvature scale of 1) is far smaller; 15% allows four of those sds.
    const rng = new Rng(11);
    const xs = Array.from({ length: 8 }, (_, k) => 0.24 + 0.02 * k);
    const f = (x: number) => 3 * (x - 0.31) + 20 * (x - 0.31) ** 2;
    const values: number[] = [];
    const errors: number[] = [];
    for (let r = 0; r < 400; r++) {
      const fit = localZeroFit(
        grid(f, xs, () => Array.from(rng.normals(6, 0, 0.05))),
        0.31,
      )!;
      values.push(fit.value);
      errors.push(fit.error);
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
    const meanError = errors.reduce((a, b) => a + b, 0) / errors.length;
    expect(Math.abs(meanError / sd - 1)).toBeLessThan(0.15);
    expect(Math.abs(mean - 0.31)).toBeLessThan(4 * (sd / Math.sqrt(values.length)) + 1e-4);
  });
});
