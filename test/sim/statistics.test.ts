import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  pairedComparison,
  pairedComparisonOfFinitePairs,
  signTestP,
  studentTTwoSidedP,
} from "../../src/sim/statistics.ts";

describe("paired statistics", () => {
  it("gives the closed-form t tail probabilities for df = 1 (Cauchy) and df = 2", () => {
    // Closed forms: df = 1: 1 - (2/pi) atan|t|; df = 2: 1 - |t| / sqrt(2 + t^2). The continued
    // fraction converges to 1e-15 relative; 1e-12 absolute allows the Lanczos log-gamma error.
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (t) => {
        expect(studentTTwoSidedP(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(Math.abs(t)), 12);
        expect(studentTTwoSidedP(t, 2)).toBeCloseTo(1 - Math.abs(t) / Math.sqrt(2 + t * t), 12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("matches tabulated critical values (two-sided 5% and 1%)", () => {
    // Table values are given to 3 decimals, so p is known to about 2e-4 around the critical t.
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(studentTTwoSidedP(3.25, 9)).toBeCloseTo(0.01, 3);
    expect(studentTTwoSidedP(1.96, 1e7)).toBeCloseTo(0.05, 3);
  });

  it("computes the exact sign test", () => {
    expect(signTestP(0, 10)).toBeCloseTo(2 / 1024, 15);
    expect(signTestP(1, 9)).toBeCloseTo((2 * 11) / 1024, 15);
    expect(signTestP(5, 5)).toBe(1);
  });

  it("pairs differences: a constant shift with noise gives the textbook t", () => {
    const b = [1, 2, 3, 4, 5, 6];
    const a = [1.5, 2.4, 3.7, 4.3, 5.6, 6.5];
    const r = pairedComparison(a, b);
    const d = [0.5, 0.4, 0.7, 0.3, 0.6, 0.5];
    const mean = 0.5;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / 5);
    // float64 rounding of six-term sums.
    expect(r.t).toBeCloseTo(mean / (sd / Math.sqrt(6)), 10);
    expect(r.above).toBe(6);
    expect(r.pSignTest).toBeCloseTo(2 / 64, 15);
    expect(() => pairedComparison([1], [2])).toThrow(/length >= 2/);
  });

  it("compares the finite pairs when a run failed (NaN), instead of discarding every run", () => {
    const a = [1.5, Number.NaN, 3.7, 4.3, 5.6, 6.5];
    const b = [1, 2, 3, Number.POSITIVE_INFINITY, 5, 6];
    const r = pairedComparisonOfFinitePairs(a, b);
    expect(r.dropped).toBe(2);
    expect(r).toEqual({ ...pairedComparison([1.5, 3.7, 5.6, 6.5], [1, 3, 5, 6]), dropped: 2 });
    const few = pairedComparisonOfFinitePairs([1, Number.NaN], [0, 0]);
    expect(few.n).toBe(1);
    expect(few.dropped).toBe(1);
    expect(Number.isNaN(few.pTTest)).toBe(true);
    expect(() => pairedComparisonOfFinitePairs([1, 2], [1])).toThrow(/same length/);
  });
});
