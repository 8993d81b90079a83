/** Rule texts whose analysis is expensive, for the budget tests and bench/analysis-budget.ts. */

/** A dense rule: every monomial of degree <= `degree` in n states, seeded small integer coefficients. */
export function denseRuleText(n: number, degree: number, seed = 1): string {
  let s = seed >>> 0;
  const coefficient = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return ((s >>> 16) % 7) - 3 || 1;
  };
  const vars = Array.from({ length: n }, (_, i) => `x${i + 1}`);
  const monomials: string[] = [];
  const rec = (i: number, left: number, factors: string[]) => {
    if (i === n) {
      monomials.push(factors.join("*"));
      return;
    }
    for (let e = 0; e <= left; e++) {
      rec(i + 1, left - e, e === 0 ? factors : [...factors, e === 1 ? vars[i]! : `${vars[i]}^${e}`]);
    }
  };
  rec(0, degree, []);
  const rhs = () => monomials.map((m) => `${coefficient()}${m ? `*${m}` : ""}`).join(" + ");
  return [
    `rule dense-${n}-${degree}`,
    `state ${vars.join(", ")}`,
    ...vars.map((v) => `d/dt ${v} = ${rhs()}`),
  ].join("\n");
}

/** d/dt x_i = x_{i+1} around a cycle of n states (the invariant ansatz has ~n^2/2 monomials). */
export function cycleRuleText(n: number): string {
  const x = (i: number) => `x${(i % n) + 1}`;
  return [
    `rule cycle-${n}`,
    `state ${Array.from({ length: n }, (_, i) => x(i)).join(", ")}`,
    ...Array.from({ length: n }, (_, i) => `d/dt ${x(i)} = ${x(i + 1)}`),
  ].join("\n");
}
