import { describe, expect, it } from "vitest";
import { counterPermutation, counterU32, deriveKey, pcgHash } from "../../src/util/counter-rng.ts";

describe("counter-based RNG", () => {
  it("matches the PCG hash reference values (computed with 32-bit unsigned C arithmetic)", () => {
    // Reference: uint32_t s = x*747796405u + 2891336453u; uint32_t w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u; (w >> 22u) ^ w
    expect(pcgHash(0)).toBe(129708002);
    expect(pcgHash(1)).toBe(2831084092);
    expect(pcgHash(0xffffffff)).toBe(pcgHash(-1));
  });

  it("is a pure function of (key, counter) with roughly uniform output", () => {
    expect(counterU32(5, 9)).toBe(counterU32(5, 9));
    const n = 100_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += counterU32(deriveKey(1, 2), i) / 2 ** 32;
    // Mean of n uniforms has standard deviation sqrt(1/12n) ~ 0.0009; allow 5 sigma.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / (12 * n)));
  });

  it("draws permutations", () => {
    const p = Array.from(counterPermutation(deriveKey(3, 0), 250));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(Array.from(counterPermutation(deriveKey(3, 1), 250))).not.toEqual(p);
  });
});
