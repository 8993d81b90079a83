/**
 * Property tests on random polynomial fields (dimension 1-4, small integer coefficients): the
 * symbolic results against numeric twins computed independently.
 */
import { fc, test } from "@fast-check/vitest";
import { determinant, Matrix } from "ml-matrix";
import { describe, expect } from "vitest";
import {
  charpoly,
  closedFormEigenvalues,
  findInvariants,
  fixedPoints,
  jacobian,
  LAMBDA,
} from "../../src/analysis/index.ts";
import { evaluate, fromPoly, Poly, parseExpr, polyRoots } from "../../src/expr/index.ts";
import type { RuleSpec } from "../../src/rules/index.ts";
import { arbPoly } from "../expr/arbitraries.ts";
import { centralJacobian, eigenvalues, matchDistance, numericField } from "./numeric-twins.ts";

const NAMES = ["x1", "x2", "x3", "x4"];

function ruleOf(field: Poly[], kind: "flow" | "map" = "flow"): RuleSpec {
  const states = NAMES.slice(0, field.length);
  return { name: "random", kind, states, params: [], field: field.map(fromPoly) };
}

/** A random polynomial field of dimension 1-4 with up to 3 terms per component. */
const arbField = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.array(arbPoly(NAMES.slice(0, n), 3, 2), { minLength: n, maxLength: n }));

/** A point with coordinates in [-1.5, 1.5] on a grid of 1/1000. */
const arbPoint = fc.array(
  fc.integer({ min: -1500, max: 1500 }).map((k) => k / 1000),
  { minLength: 4, maxLength: 4 },
);

describe("analysis of random polynomial fields", () => {
  test.prop([arbField, arbPoint], { seed: 101, numRuns: 100 })(
    "symbolic Jacobian equals central differences",
    (field, pt) => {
      const rule = ruleOf(field);
      const x = pt.slice(0, field.length);
      const J = jacobian(rule).map((row) => row.map((p) => p.compile(rule.states)(x)));
      const Jfd = centralJacobian(numericField(rule, {}), x);
      for (const [i, row] of J.entries()) {
        const fdRow = Jfd[i] as number[];
        for (const [j, v] of row.entries()) {
          // h = 1e-5: truncation h^2 |f'''| / 6 <= 1e-10/6 * (3 terms * 5 * 336 * 1.5^5) ~ 7e-7 and
          // rounding eps |f| / h ~ 1e-8 for degree <= 8, coefficients <= 5, |x| <= 1.5
          expect(Math.abs(v - fdRow[j]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v)));
        }
      }
    },
  );

  test.prop([arbField, arbPoint], { seed: 102, numRuns: 100 })(
    "charpoly coefficients are -trace and (-1)^n det of the numeric Jacobian; its roots are the eigenvalues",
    (field, pt) => {
      const rule = ruleOf(field);
      const n = field.length;
      const x = pt.slice(0, n);
      const Jsym = jacobian(rule);
      const Jx = Jsym.map((row) => row.map((p) => p.compile(rule.states)(x)));
      const at = Object.fromEntries(rule.states.map((s, i) => [s, x[i]!]));
      const c = charpoly(Jsym)
        .coefficients(LAMBDA)
        .map((p) => p.evaluate(at));
      const trace = Jx.reduce((s, row, i) => s + row[i]!, 0);
      const det = determinant(new Matrix(Jx));
      const scale = 1 + Math.max(...Jx.flat().map(Math.abs)) ** n;
      // float64 evaluation of degree-n minors: relative rounding ~ n! eps, far below 1e-9
      expect(Math.abs(c[n - 1]! + trace)).toBeLessThanOrEqual(1e-9 * scale);
      expect(Math.abs(c[0]! - (n % 2 === 0 ? det : -det))).toBeLessThanOrEqual(1e-9 * scale);
      // roots of the exact charpoly at a rational point versus ml-matrix eigenvalues
      const exactAt = charpoly(Jsym.map((row) => row.map((p) => Poly.constant(p.compile(rule.states)(x)))));
      const roots = polyRoots(exactAt, LAMBDA).flatMap((r) => Array(r.multiplicity).fill(r.root));
      // eigenvalues of a matrix with a defective eigenvalue of multiplicity m move by
      // eps^(1/m) ||J||: with m <= 4 and ||J|| <= ~1e3 that is below 1e-1 * ... so use 1e-3
      // relative for simple spectra and accept the defective case through the looser bound
      expect(matchDistance(roots, eigenvalues(Jx))).toBeLessThanOrEqual(1e-3 * (1 + Math.sqrt(scale)));
    },
  );

  test.prop([arbField], { seed: 103, numRuns: 40 })(
    "every returned fixed point has a residual below its stated tolerance (recomputed here)",
    (field) => {
      const rule = ruleOf(field);
      const f = numericField(rule, {});
      // a small homotopy step bound: every point returned is checked all the same
      const { fixedPoints: fps } = fixedPoints(rule, { starts: 12, samples: 6, maxTotalSteps: 3000 });
      for (const fp of fps) {
        expect(fp.residual).toBeLessThanOrEqual(fp.tolerance);
        const x = rule.states.map((s) => fp.value[s]!);
        if (x.some((v) => !Number.isFinite(v))) continue; // a family without real sample points
        const r = Math.max(...f(x).map(Math.abs));
        expect(r).toBeLessThanOrEqual(fp.tolerance);
      }
    },
  );

  /** Hamiltonian fields (dx/dt = dH/dy, dy/dt = -dH/dx per pair) conserve H. */
  const arbHamiltonian = fc
    .constantFrom(2, 4)
    .chain((n) => arbPoly(NAMES.slice(0, n), 4, 2).map((H) => ({ n, H })))
    .map(({ n, H }) => {
      const field: Poly[] = [];
      for (let k = 0; k < n; k += 2) {
        field.push(H.derivative(NAMES[k + 1]!), H.derivative(NAMES[k]!).neg());
      }
      return { H, field };
    });

  test.prop(
    [
      fc.oneof(
        arbHamiltonian,
        arbField.map((field) => ({ H: undefined, field })),
      ),
    ],
    { seed: 104, numRuns: 60 },
  )("every returned invariant has identically zero Lie derivative (checked numerically)", ({ H, field }) => {
    const rule = ruleOf(field);
    const invs = findInvariants(rule, { degree: 3, paramDegree: 0 });
    const f = numericField(rule, {});
    const pts = [
      [0.3, -0.7, 1.1, 0.2],
      [-1.2, 0.4, -0.5, 0.9],
      [0.8, 1.3, 0.1, -1.4],
    ];
    for (const I of invs) {
      const grad = rule.states.map((s) => I.derivative(s).compile(rule.states));
      for (const p of pts) {
        const x = p.slice(0, field.length);
        const fx = f(x);
        const lie = grad.reduce((acc, g, i) => acc + g(x) * fx[i]!, 0);
        const scale = 1 + grad.reduce((acc, g, i) => acc + Math.abs(g(x) * fx[i]!), 0);
        expect(Math.abs(lie)).toBeLessThanOrEqual(1e-12 * scale); // float64 cancellation of exact zero
      }
    }
    if (H && !H.isConstant() && H.totalDegree() <= 3 && field.some((p) => !p.isZero())) {
      expect(invs.length).toBeGreaterThan(0); // H itself lies in the ansatz
    }
  });
});

describe("closed-form eigenvalues", () => {
  const arbMatrix2 = fc.array(arbPoly(["a", "b"], 2, 2), { minLength: 4, maxLength: 4 });
  const arbAB = fc
    .tuple(fc.integer({ min: -15, max: 15 }), fc.integer({ min: -15, max: 15 }))
    .map(([a, b]) => ({
      a: a / 10,
      b: b / 10,
    }));

  test.prop([arbMatrix2, arbAB], { seed: 105, numRuns: 100 })(
    "evaluated at a point, they equal the numeric eigenvalues of the matrix there",
    (entries, at) => {
      const M = [
        [entries[0]!, entries[1]!],
        [entries[2]!, entries[3]!],
      ];
      const closed = closedFormEigenvalues(charpoly(M));
      expect(closed).toBeDefined(); // degree 2 always has a closed form
      const values = closed!.flatMap((e) => {
        const v = e.re
          ? { re: e.re.evaluate(at), im: e.im!.evaluate(at) }
          : { re: evaluate(parseExpr(e.text), at), im: Number.NaN };
        return Array.from({ length: e.multiplicity }, () => v);
      });
      // a sqrt form is real-valued only where its radicand is >= 0: compare there
      if (values.some((v) => Number.isNaN(v.re) || Number.isNaN(v.im))) {
        if (values.some((v) => Number.isNaN(v.re))) return;
        for (const v of values) if (Number.isNaN(v.im)) v.im = 0;
      }
      const numeric = eigenvalues(M.map((row) => row.map((p) => p.evaluate(at))));
      // a double eigenvalue of a 2x2 matrix moves by sqrt(eps) ||M|| under rounding: 1e-6 relative
      const scale = 1 + Math.max(...numeric.map((z) => Math.hypot(z.re, z.im)));
      expect(matchDistance(values, numeric)).toBeLessThanOrEqual(1e-6 * scale);
    },
  );
});
