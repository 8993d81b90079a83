import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { median } from "../../src/util/median.ts";

describe("median", () => {
  it("is the middle value, or the mean of the two middle values for an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    const xs = [5, 1, 4];
    median(xs);
    expect(xs).toEqual([5, 1, 4]);
  });

  it("refuses an empty or non-finite sample, naming the argument", () => {
    expect(() => median([])).toThrow(/median: argument "xs" must be at least one number/);
    expect(() => median([1, Number.NaN])).toThrow(/"xs" must be finite numbers/);
  });

  test.prop([fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 })], {
    seed: 42,
    numRuns: 100,
  })("has at most half of the sample strictly on either side", (xs) => {
    const m = median(xs);
    expect(xs.filter((x) => x < m).length).toBeLessThanOrEqual(xs.length / 2);
    expect(xs.filter((x) => x > m).length).toBeLessThanOrEqual(xs.length / 2);
  });
});
