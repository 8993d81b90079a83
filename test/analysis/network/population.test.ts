/**
 * The population field in closed form (src/ir/expectation.ts, via populationOperator) against the
 * same field on a moment-matched design (populationRun: inputs with exactly the population's first
 * and second moments, where an average of a polynomial of degree <= 2 equals the expectation):
 * field values and J·v at random points, for every linear rule file with Gaussian data.
 */
import { describe, expect, it } from "vitest";
import { fieldOperator } from "../../../src/analysis/network/field-operator.ts";
import {
  populationOperator,
  populationRefusal,
  populationRun,
} from "../../../src/analysis/network/population.ts";
import { resolveParams } from "../../../src/ir/bind.ts";
import { compileModel, drawRuns } from "../../../src/ir/model.ts";
import { builtinNetworkRule } from "../../../src/rules/network/builtin-network-rules.ts";
import { Rng } from "../../../src/util/random.ts";

const cases: [string, Record<string, number>, Record<string, number>][] = [
  ["gradient-descent", { M: 4, N: 3, P: 9, Q: 2, S: 9 }, {}],
  ["curl-descent", { M: 5, N: 7, P: 12, Q: 2, S: 12 }, { alphaH: 0.4, alphaR: 0.3 }],
  ["feedback-alignment", { M: 3, N: 5, P: 8, Q: 2, S: 8 }, { alphaH: 0.34 }],
  ["urfb", { M: 4, N: 4, P: 9, Q: 2, S: 9 }, { epsilon: 0.5 }],
  ["curl-descent-3", { M: 4, N1: 3, N2: 5, P: 9, Q: 2, S: 9 }, { alpha1: 0.25, alpha2: 0.34, alpha3: 0.2 }],
];

describe("closed-form population field", () => {
  it.each(cases)("%s: equals the field on a moment-matched design, with J·v", (name, sizes, params) => {
    const model = compileModel(builtinNetworkRule(name), { sizes });
    expect(populationRefusal(model)).toBeNull();
    const [run] = drawRuns(model, [{ seed: 3, params }]);
    const values = resolveParams(model.spec, model.compiled.sizes, params);
    const closed = populationOperator(model, run!, values);
    const design = fieldOperator(model, populationRun(model, run!, values));
    const rng = new Rng(17);
    for (let trial = 0; trial < 3; trial++) {
      const x = rng.normals(closed.dimension, 0, 0.5);
      const v = rng.normals(closed.dimension);
      for (const [a, b] of [
        [closed.field(x), design.field(x)],
        [closed.apply(x, v), design.apply(x, v)],
      ] as const) {
        let scale = 1;
        let worst = 0;
        for (let q = 0; q < a.length; q++) {
          scale = Math.max(scale, Math.abs(b[q]!));
          worst = Math.max(worst, Math.abs(a[q]! - b[q]!));
        }
        // Both are float64 sums of O(P) or O(M) products of O(1) terms (the design's entries are
        // O(sqrt P) with cancelling signs): rounding ~ P^2 1e-16 relative to the field's scale.
        expect(worst).toBeLessThan(1e-11 * scale);
      }
    }
  });
});
