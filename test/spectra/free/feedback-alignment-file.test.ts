import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lowerEdgeOf, lowerEdgeZeroCrossing } from "../../../src/spectra/free/critical-parameter.ts";
import { parseMatrixExpression } from "../../../src/spectra/free/expression-parse.ts";
import * as C from "../../../src/spectra/free/non-hermitian-cases.ts";

const text = readFileSync("rules/spectra/feedback-alignment-manifold.matrix", "utf8");
const family = (params: Record<string, number>) => (c: number) =>
  parseMatrixExpression(text, { params: { ...params, c } }).expression;

describe("feedback-alignment-manifold.matrix", () => {
  it("is feedbackAlignmentManifold: equal lower edges at random points, c* = 0.066987 at α_r = 0.25", () => {
    // The same expression through the same engine: equal to rounding.
    for (const [c, alphaH, alphaR, overlap] of [
      [0.06, 0.3, 0.25, 0],
      [0.15, 0.2, 0.1, 0.05],
      [0.3, 0.7, 0.05, -0.1],
    ] as const)
      expect(lowerEdgeOf(family({ alphaH, alphaR, overlap }), c)).toBeCloseTo(
        lowerEdgeOf((v) => C.feedbackAlignmentManifold(v, alphaH, alphaR, overlap), c),
        12,
      );
    expect(lowerEdgeZeroCrossing(family({}), 0.01, 1, 24).value).toBeCloseTo(0.066987, 6);
  });
});
