/** The claim runner and the catalog's numeric support, on cases with known answers. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Claim, runClaim } from "../../theory/claim.ts";
import { polynomialGradient, polynomialJacobian } from "../../theory/support/derivative.ts";
import { multisetDistance } from "../../theory/support/linalg.ts";
import { rk4 } from "../../theory/support/rk4.ts";

const base = {
  seed: "002" as const,
  statement: "test claim",
  citation: { file: "002_test.txt", section: "none" },
  assumptions: [],
  tolerance: "exact",
  marginUnit: "units",
  runs: 100,
  runSeed: 7,
};

describe("runClaim", () => {
  it("reports a true claim as holding with its worst margin", () => {
    const claim: Claim<number> = {
      ...base,
      id: "t.true",
      recorded: "holds",
      arbitrary: fc.integer({ min: 0, max: 10 }),
      check: (x) => ({ slack: x * x + 1 }),
    };
    const r = runClaim(claim);
    expect(r.verdict).toBe("holds");
    expect(r.margin).toBe(1); // x = 0 is always tried by fast-check's bias toward small values
    expect(r.runs).toBe(100);
  });

  it("shrinks a false claim to its smallest counterexample", () => {
    // "every integer below 1000 is below 17": the smallest counterexample is 17
    const claim: Claim<number> = {
      ...base,
      id: "t.false",
      recorded: "fails",
      arbitrary: fc.integer({ min: 0, max: 1000 }),
      check: (x) => ({ slack: 16 - x }),
    };
    const r = runClaim(claim);
    expect(r.verdict).toBe("fails");
    expect(r.counterexample).toBe(17);
    expect(r.margin).toBe(-1);
  });

  it("marks an added assumption and reports numeric failures as not checkable, with where", () => {
    const assumed: Claim<number> = {
      ...base,
      id: "t.a",
      recorded: "holds-under-assumption",
      addedAssumption: "x >= 0",
      arbitrary: fc.nat(),
      check: () => ({ slack: 0 }),
    };
    expect(runClaim(assumed)).toMatchObject({ verdict: "holds-under-assumption", assumption: "x >= 0" });
    const nan: Claim<number> = {
      ...base,
      id: "t.nan",
      recorded: "holds",
      arbitrary: fc.integer({ min: 0, max: 9 }),
      check: (x) => ({ slack: x === 3 ? Number.NaN : 1, note: "diverged" }),
    };
    const r = runClaim(nan);
    expect(r.verdict).toBe("not-checkable");
    expect(r.reason).toMatch(/diverged at instance 3/);
  });

  it("reports a claim without a check as not checkable with its reason", () => {
    const claim: Claim<number> = {
      ...base,
      id: "t.n",
      recorded: "not-checkable",
      notCheckable: "needs a GPU",
    };
    expect(runClaim(claim)).toMatchObject({ verdict: "not-checkable", reason: "needs a GPU", margin: null });
  });
});

describe("catalog support", () => {
  it("differentiates polynomials of degree <= 6 exactly (up to rounding)", () => {
    // f(x, y) = x^3 y^2 - 2 x y^3 + y^6 at (2, -1): df/dx = 3x^2 y^2 - 2y^3 = 14, df/dy = 2x^3 y - 6xy^2 + 6y^5 = -34
    const g = polynomialGradient(
      (v) => v[0]! ** 3 * v[1]! ** 2 - 2 * v[0]! * v[1]! ** 3 + v[1]! ** 6,
      [2, -1],
    );
    expect(g[0]).toBeCloseTo(14, 10); // rounding of the 1/60 stencil weights, ~1e-13
    expect(g[1]).toBeCloseTo(-34, 10);
    const j = polynomialJacobian((v) => [v[0]! * v[1]!, v[0]! ** 2], [3, 5]);
    const expected = [
      [5, 3],
      [6, 0],
    ];
    // entries are integers up to rounding of the 1/60 stencil weights (~1e-15)
    for (const [a, row] of j.entries())
      for (const [b, v] of row.entries()) expect(v).toBeCloseTo(expected[a]![b]!, 12);
  });

  it("integrates y' = -y with RK4 to its O(h^4) accuracy through src/ode", () => {
    const times: number[] = [];
    const r = rk4(
      (y) => Float64Array.from([-y[0]!]),
      [1],
      1,
      100,
      (t) => times.push(t),
    );
    // RK4 global error for y' = -y at h = 0.01 is ~ e^-1 h^4 / 120 ~ 3e-11
    expect(Math.abs(r.y[0]! - Math.exp(-1))).toBeLessThan(1e-9);
    expect(times).toHaveLength(101);
  });

  it("matches multisets of complex numbers", () => {
    expect(multisetDistance({ re: [1, 0, 0], im: [0, 2, -2] }, { re: [0, 1, 0], im: [-2, 0, 2] })).toBe(0);
    expect(multisetDistance({ re: [1], im: [0] }, { re: [1, 2], im: [0, 0] })).toBe(Number.POSITIVE_INFINITY);
  });
});
