import { describe, expect, it } from "vitest";
import { pairedPermutationTest } from "../../src/sim/paired-permutation-test.ts";

describe("pairedPermutationTest", () => {
  it("gives the exact p-value 2/2^n when every difference has the same sign", () => {
    const r = pairedPermutationTest([2, 3, 4, 5, 6], [1, 1, 1, 1, 1]);
    // Only the observed pattern and its mirror are as extreme: 2/32.
    expect(r.pValue).toBe(2 / 32);
    expect(r.positive).toBe(5);
    expect(r.meanDifference).toBe(3);
  });

  it("gives p = 1 for symmetric differences", () => {
    expect(pairedPermutationTest([1, -1, 2, -2], [0, 0, 0, 0]).pValue).toBe(1);
  });

  it("refuses mismatched lengths", () => {
    expect(() => pairedPermutationTest([1, 2], [1])).toThrow(/pairedPermutationTest: argument "b"/);
  });
});
