/**
 * Critical levels of a conserved quantity on a family of fixed points.
 *
 * When a flow conserves I, every orbit stays on a level set {I = c}. An orbit can only end on a
 * fixed-point family {G = 0} if its level set meets the family, and the values of c where that
 * starts or stops are the critical values of I restricted to {G = 0}: points where grad I is
 * parallel to grad G (all 2 x 2 minors of [grad I, grad G] vanish). For the curl toy
 * (I = w1^2 + w2^2, G = w1*w2 - s) this gives c = 2s at (sqrt s, sqrt s): the orbits with
 * c < 2s circle the center forever, those with c > 2s reach the manifold, so the separating
 * (heteroclinic) orbits lie on w1^2 + w2^2 = 2s. Seed 001 (text after eq. 9) states the
 * circle w1^2 + w2^2 = s; the computation and a simulation (test/analysis/toys.test.ts) say 2s.
 */
import type { Poly } from "../expr/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { exactDefaults } from "./field.ts";
import { newtonWithDeflation } from "./newton.ts";
import { solvePolynomialSystem } from "./solve.ts";

export interface CriticalLevel {
  /** The point on the family (exact coordinates, rule-language text). */
  point: Record<string, string>;
  /** The point in float64 at the default parameters. */
  numericPoint: Record<string, number>;
  /** I at the point (exact, in the parameters unless `atDefaults`; a decimal if found by Newton). */
  level: string;
  /** Numeric value of the level at the default parameters. */
  value: number;
  atDefaults: boolean;
}

export interface CriticalLevels {
  invariant: string;
  family: string;
  levels: CriticalLevel[];
  /**
   * Whether the search was complete: exact, or (two states) completed by Newton with deflation
   * from 40 seeded starts. If false, real critical points may be missing.
   */
  complete: boolean;
}

/** Real critical points of I on {G = 0} and the values of I there. */
export function criticalLevels(rule: RuleSpec, invariant: Poly, family: Poly): CriticalLevels {
  const states = rule.states;
  const defaults = exactDefaults(rule);
  const numberAt = (p: Poly) => p.substituteAll(defaults).constantValue()?.toNumber() ?? Number.NaN;
  const gi = states.map((x) => invariant.derivative(x));
  const gg = states.map((x) => family.derivative(x));
  const minors: Poly[] = [];
  for (let i = 0; i < states.length; i++) {
    for (let j = i + 1; j < states.length; j++) minors.push(gi[i]!.mul(gg[j]!).sub(gi[j]!.mul(gg[i]!)));
  }
  const solved = solvePolynomialSystem([family, ...minors], states, { defaults });
  const levels: CriticalLevel[] = [];
  for (const c of solved.components) {
    if (c.free.length > 0) continue; // a whole curve of critical points: not a level
    const level = invariant.substituteAll(c.assignments);
    const atDef = level.substituteAll(defaults);
    const value = atDef.constantValue();
    if (!value) continue;
    levels.push({
      point: Object.fromEntries(states.map((s) => [s, c.assignments[s]!.toString()])),
      numericPoint: Object.fromEntries(states.map((s) => [s, numberAt(c.assignments[s] as Poly)])),
      level: level.toString(),
      value: value.toNumber(),
      atDefaults: c.atDefaults,
    });
  }
  let complete = solved.unsolved.length === 0;
  // numeric fallback when the exact steps stop and the system is square (two states)
  const system = [family, ...minors].map((p) => p.substituteAll(defaults));
  if (!complete && system.length === states.length) {
    const F = system.map((p) => p.compile(states));
    const J = system.map((p) => states.map((x) => p.derivative(x).compile(states)));
    const { roots } = newtonWithDeflation(
      { n: states.length, F: (x) => F.map((f) => f(x)), J: (x) => J.map((row) => row.map((f) => f(x))) },
      { seed: 1, starts: 40 },
    );
    const I = invariant.substituteAll(defaults).compile(states);
    for (const r of roots) {
      const known = levels.some((l) =>
        states.every((s, i) => Math.abs(Number(l.numericPoint[s]) - r.point[i]!) < 1e-8),
      );
      if (known) continue;
      const value = I(r.point);
      levels.push({
        point: Object.fromEntries(states.map((s, i) => [s, String(r.point[i])])),
        numericPoint: Object.fromEntries(states.map((s, i) => [s, r.point[i]!])),
        level: String(value),
        value,
        atDefaults: true,
      });
    }
    complete = true;
  }
  const first = states[0] as string;
  levels.sort((a, b) => a.value - b.value || (a.point[first] ?? "").localeCompare(b.point[first] ?? ""));
  return { invariant: invariant.toString(), family: `${family} = 0`, levels, complete };
}
