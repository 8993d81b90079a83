import { describe, expect, it } from "vitest";
import { symbolicBranches } from "../../src/analysis/continuation/symbolic-branches.ts";
import { numericField } from "../../src/analysis/numeric-field.ts";
import { compileExpr, formatExpr } from "../../src/expr/index.ts";
import { loadRule } from "../../src/rules/index.ts";
import { Rng } from "../../src/util/random.ts";

describe("closed-form branches of fixed points", () => {
  it("pitchfork: x = 0 and x = +-sqrt(mu) where mu >= 0; fold: x = +-sqrt(mu); transcritical: x = 0, x = mu", () => {
    const text = (name: string) =>
      symbolicBranches(loadRule(`rules/reference/${name}.rule`)).branches.map(
        (b) =>
          `${Object.values(b.values).map(formatExpr).join(", ")}${b.condition ? ` | ${formatExpr(b.condition)}` : ""}`,
      );
    expect(text("pitchfork")).toEqual(["0", "sqrt(mu) | mu", "-sqrt(mu) | mu"]);
    expect(text("fold")).toEqual(["sqrt(mu) | mu", "-sqrt(mu) | mu"]);
    expect(text("transcritical")).toEqual(["0", "mu"]);
  });

  it("numeric twin: every branch is a zero of the field at random parameters where it is real", () => {
    const rng = new Rng(11);
    for (const name of ["pitchfork", "fold", "transcritical", "hopf"]) {
      const rule = loadRule(`rules/reference/${name}.rule`);
      const nf = numericField(rule);
      const vars = rule.params.map((p) => p.name);
      for (const b of symbolicBranches(rule).branches) {
        for (let k = 0; k < 20; k++) {
          const p = Float64Array.from(vars, () => 2 * rng.normals(1)[0]!);
          if (b.condition && compileExpr(b.condition, vars)(p) < 0) continue;
          const x = rule.states.map((s) => compileExpr(b.values[s]!, vars)(p));
          for (const v of nf.f(x, p))
            expect(Math.abs(v)).toBeLessThan(1e-12 * (1 + Math.max(...x.map(Math.abs))) ** 3);
        }
      }
    }
  });

  it("cusp: the cubic is reported as not solved in closed form", () => {
    const r = symbolicBranches(loadRule("rules/reference/cusp.rule"));
    expect(r.branches).toEqual([]);
    expect(r.notSolved).toEqual([["x^3 - nu*x - mu = 0"]]);
  });
});
