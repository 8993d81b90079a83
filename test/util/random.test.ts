import { describe, expect, it } from "vitest";
import { Rng } from "../../src/util/random.ts";

describe("Rng", () => {
  it("is reproducible: equal seeds give equal streams, different seeds differ", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 10 }, () => a.uniform());
    expect(Array.from({ length: 10 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.uniform())).not.toEqual(xs);
  });

  it("draws uniforms in [0,1) and normals with mean 0 and variance 1", () => {
    const rng = new Rng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    // Standard errors: mean 1/sqrt(n) ~ 0.0022, variance sqrt(2/n) ~ 0.0032; allow 5 sigma.
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it("permutation is a bijection", () => {
    const p = Array.from(new Rng(3).permutation(50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
