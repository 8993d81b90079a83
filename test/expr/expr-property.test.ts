import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { differentiate } from "../../src/expr/differentiate.ts";
import { compileExpr } from "../../src/expr/evaluate.ts";
import { formatExpr } from "../../src/expr/format.ts";
import { parseExpr } from "../../src/expr/parse.ts";
import { toPoly } from "../../src/expr/to-poly.ts";
import { arbExpr } from "./arbitraries.ts";

const V = ["x", "y"];
const point = fc.tuple(
  fc.double({ min: -1.5, max: 1.5, noNaN: true }),
  fc.double({ min: -1.5, max: 1.5, noNaN: true }),
);

describe("expression trees", () => {
  test.prop([arbExpr(V), point], { seed: 31, numRuns: 200 })(
    "print then parse keeps the value",
    (e, [x, y]) => {
      const a = compileExpr(e, V)([x, y]);
      const b = compileExpr(parseExpr(formatExpr(e)), V)([x, y]);
      // Reparsing may reassociate sums and products: equal up to float64 rounding of the terms.
      if (Number.isFinite(a)) expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a)));
    },
  );

  test.prop([arbExpr(V), point], { seed: 32, numRuns: 200 })(
    "symbolic derivative equals a central difference",
    (e, [x, y]) => {
      const f = compileExpr(e, V);
      const df = compileExpr(differentiate(e, "x"), V)([x, y]);
      const h = 1e-5;
      const fd = (f([x + h, y]) - f([x - h, y])) / (2 * h);
      const scale = 1 + Math.abs(f([x, y])) + Math.abs(df);
      // Central difference error is O(h^2 f''') + O(eps f / h) ~ 1e-10 + 1e-11 for these
      // bounded, smooth samples; 1e-5 relative leaves room for third derivatives up to ~1e5.
      if (Number.isFinite(df) && Number.isFinite(fd))
        expect(Math.abs(df - fd)).toBeLessThanOrEqual(1e-5 * scale * scale);
    },
  );

  test.prop([arbExpr(V, true), point], { seed: 33, numRuns: 200 })(
    "toPoly keeps the value of polynomial expressions",
    (e, [x, y]) => {
      const a = compileExpr(e, V)([x, y]);
      const b = toPoly(e).compile(V)([x, y]);
      // expansion reorders float64 sums of terms of size up to ~|a|-scale powers: rounding only
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a)) * 1e3);
    },
  );
});
