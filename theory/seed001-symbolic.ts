/**
 * Symbolic (exact polynomial) checks of seed 001 through src/analysis: curl descent (eq. 6) for
 * small M, N written in the rule language with the teacher s symbolic, its gradient test, and
 * its characteristic polynomials at the origin (eq. 75) and on the solution manifold (eq. 98)
 * compared with the printed factorizations as polynomials.
 */
import { charpoly, gradientTest, jacobian, LAMBDA } from "../src/analysis/index.ts";
import { determinant, Poly, parsePoly } from "../src/expr/index.ts";
import { parseRule } from "../src/rules/index.ts";

const a = (i: number, j: number) => `a${i}${j}`; // W1[i][j], hidden i, input j
const b = (i: number) => `b${i}`; // W2[i]
const s = (j: number) => `s${j}`;

/** Eq. 6 for M inputs, N hidden units and sign patterns d1 (length M), d2 (length N), as a rule. */
export function curlRule(m: number, n: number, d1: number[], d2: number[]) {
  const r = Array.from(
    { length: m },
    (_, j) =>
      `(${s(j + 1)} - (${Array.from({ length: n }, (_, k) => `${b(k + 1)}*${a(k + 1, j + 1)}`).join(" + ")}))`,
  );
  const lines = [
    `rule curl-descent-${m}x${n}`,
    `params ${Array.from({ length: m }, (_, j) => `${s(j + 1)} = 1`).join(", ")}`,
  ];
  const states: string[] = [];
  for (let i = 1; i <= n; i++) for (let j = 1; j <= m; j++) states.push(a(i, j));
  for (let i = 1; i <= n; i++) states.push(b(i));
  lines.push(`state ${states.join(", ")}`);
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      lines.push(`d/dt ${a(i, j)} = ${d1[j - 1]! < 0 ? "-" : ""}${b(i)}*${r[j - 1]}`);
  for (let i = 1; i <= n; i++)
    lines.push(
      `d/dt ${b(i)} = ${d2[i - 1]! < 0 ? "-" : ""}(${Array.from({ length: m }, (_, j) => `${r[j]}*${a(i, j + 1)}`).join(" + ")})`,
    );
  return { rule: parseRule(lines.join("\n"), "theory:seed001"), states };
}

/** Every sign pattern of a given length. */
export function signPatterns(len: number): number[][] {
  return Array.from({ length: 2 ** len }, (_, k) =>
    Array.from({ length: len }, (_, i) => ((k >> i) & 1 ? -1 : 1)),
  );
}

/** Whether eq. 6 is a gradient flow, decided exactly, for every (D1, D2) at sizes M, N. */
export function gradientPatterns(
  m: number,
  n: number,
): { d1: number[]; d2: number[]; isGradient: boolean }[] {
  const out: { d1: number[]; d2: number[]; isGradient: boolean }[] = [];
  for (const d1 of signPatterns(m))
    for (const d2 of signPatterns(n))
      out.push({ d1, d2, isGradient: gradientTest(curlRule(m, n, d1, d2).rule).isGradient });
  return out;
}

const lam = Poly.variable(LAMBDA);

/** det(lambda I - J(0)) against (-1)^n (-lambda)^{MN-N} prod_i (lambda^2 - d2_i Sigma), exactly (eq. 75). */
export function originCharpolyMatches(m: number, n: number, d1: number[], d2: number[]): boolean {
  const { rule, states } = curlRule(m, n, d1, d2);
  const zero = Object.fromEntries(states.map((x) => [x, Poly.ZERO]));
  const j0 = jacobian(rule).map((row) => row.map((p) => p.substituteAll(zero)));
  const sigma = Array.from({ length: m }, (_, k) => parsePoly(`${s(k + 1)}^2`).scale(d1[k]!)).reduce((x, y) =>
    x.add(y),
  );
  const dim = m * n + n;
  let predicted = lam
    .neg()
    .pow(m * n - n)
    .scale((-1) ** dim);
  for (const d of d2) predicted = predicted.mul(lam.pow(2).sub(sigma.scale(d)));
  return charpoly(j0).equals(predicted);
}

/**
 * On the manifold (s_j := sum_k b_k a_kj): det(lambda I - J) against
 * (-1)^n (-1)^{NM+N} lambda^{MN+N-M} det(lambda I + |b|^2 D1 + A^T D2 A), exactly (eq. 98).
 */
export function manifoldCharpolyMatches(m: number, n: number, d1: number[], d2: number[]): boolean {
  const { rule } = curlRule(m, n, d1, d2);
  const onManifold = Object.fromEntries(
    Array.from({ length: m }, (_, j) => [
      s(j + 1),
      parsePoly(Array.from({ length: n }, (_, k) => `${b(k + 1)}*${a(k + 1, j + 1)}`).join(" + ")),
    ]),
  );
  const jm = jacobian(rule).map((row) => row.map((p) => p.substituteAll(onManifold)));
  const b2 = parsePoly(Array.from({ length: n }, (_, k) => `${b(k + 1)}^2`).join(" + "));
  const core = Array.from({ length: m }, (_, p) =>
    Array.from({ length: m }, (_, q) => {
      let v = Poly.ZERO;
      for (let k = 1; k <= n; k++) v = v.add(parsePoly(`${a(k, p + 1)}*${a(k, q + 1)}`).scale(d2[k - 1]!));
      if (p === q) v = v.add(lam).add(b2.scale(d1[p]!));
      return v;
    }),
  );
  const dim = m * n + n;
  const predicted = determinant(core)
    .mul(lam.pow(m * n + n - m))
    .scale((-1) ** dim * (-1) ** (n * m + n));
  return charpoly(jm).equals(predicted);
}
