import { describe, expect, it } from "vitest";
import { discriminant, parsePoly } from "../../src/expr/index.ts";
import { curlDescentSpectrum } from "../../src/phase/curl-descent-law.ts";
import {
  compareHiddenQuartic,
  derivedHiddenQuartic,
  hiddenEdgeCandidates,
  hiddenEdgePolynomial,
} from "../../src/phase/paper-quartic.ts";
import { spectralSupport } from "../../src/spectra/support.ts";

describe("seed 001's hidden-layer quartic (eqs. 115-125)", () => {
  it("the quartic derived from the Blue-transform equation equals the printed coefficients (times c²)", () => {
    const rows = compareHiddenQuartic();
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r.difference).toBe("0");
  });

  it("eliminating ω gives a quartic in x once the spurious double root ω = 0 is divided out", () => {
    const P = derivedHiddenQuartic();
    const Q = P.exactQuotient(parsePoly("w"))!;
    const a1 = P.coefficients("w")[1]!;
    expect(Q.coefficients("w")[0]!.sub(a1).isZero()).toBe(true);
    // disc(ωQ) = disc(Q)·Q(0)² exactly; the extra factor a1² vanishes at x = 1/c − Δ.
    expect(discriminant(P, "w").sub(hiddenEdgePolynomial().mul(a1).mul(a1)).isZero()).toBe(true);
    expect(hiddenEdgePolynomial().degree("x")).toBe(4);
  });

  it("its real roots are exactly the density-validated edges", () => {
    for (const [c, alphaH] of [
      [0.5, 0.3],
      [2, 0.3],
      [0.2, 0.7],
      [1.3, 0.05],
    ] as const) {
      const edges = spectralSupport(curlDescentSpectrum({ c, alphaH, alphaR: 0 })).edges.map((e) => e.x);
      const roots = hiddenEdgeCandidates(c, alphaH);
      // Both are float64 roots of polynomials with simple roots: agreement to ~1e-12 relative;
      // 1e-9 leaves room for nearly touching intervals (double-root conditioning).
      for (const e of edges)
        expect(Math.min(...roots.map((r) => Math.abs(r - e)))).toBeLessThan(1e-9 * (1 + Math.abs(e)));
    }
  });
});
