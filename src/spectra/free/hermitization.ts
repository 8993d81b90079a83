/**
 * The hermitization of a square, not necessarily self-adjoint polynomial X in the ensembles
 * (Belinschi, Śniady and Speicher 2018, section 4): for λ ∈ C the self-adjoint
 *     H_λ = [[0, X − λ], [(X − λ)*, 0]],
 * as a linear pencil 𝐋_λ whose Schur complement onto two corner rows (both on X's space) is H_λ.
 * It is the self-adjoint linearization of src/spectra/free/linearization.ts with the two ends of
 * each word on different corners: a word m = y₁ ⋯ y_k (k ≥ 2) with coefficient c takes 2(k − 1)
 * rows, y₁ (times c) at (0, g₁(1)), y_k at (g₂(k − 1), 1), −1 at (g₂(r), g₁(r)) and y_{r+1} at
 * (g₂(r), g₁(r + 1)) (each with its transpose at the mirrored place), so that
 * u Q̂⁻¹ uᵀ = [[0, −c m], [−c mᵀ, 0]]; terms of degree ≤ 1 and −λ sit at (0, 1) directly.
 *
 * 𝐋_λ is Hermitian but complex (λ ∉ R), while OperatorCauchyProblem solves real symmetric
 * pencils; so it is realified, M = A + iB ↦ [[A, −B], [B, A]] (row i of copy b is row n + i).
 * The real letters sit in both copies; the realified matrix is again a real symmetric pencil in
 * the same real ensembles, and for z ∉ R,
 *     (z − H)⁻¹_{jk} = R_{j k} − i R_{j, n+k},   R = (z − realified H)⁻¹
 * (realified H has the eigenvalues of H and of H̄; the projections onto the two give this
 * combination). The corner entries (1, 0) and (1, n) are observed unknowns of the problem.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { Complex } from "../complex.ts";
import type { Space } from "./expression.ts";
import type { LinearPencil, PencilLetter } from "./linearization.ts";
import { MAX_PENCIL_SIZE } from "./linearization.ts";
import {
  adjointWord,
  type Letter,
  letterShape,
  type NoncommutativePolynomial,
} from "./noncommutative-polynomial.ts";
import { OperatorCauchyProblem } from "./operator-cauchy.ts";

/** The complex hermitized pencil's structure, independent of λ. */
export interface HermitizedStructure {
  /** Complex size n (rows 0 and 1 are the corners). */
  readonly n: number;
  readonly spaces: readonly Space[];
  readonly spaceOf: readonly number[];
  /** Real constant part (row-major n × n, symmetric), without λ. */
  readonly constant: Float64Array;
  readonly letters: readonly PencilLetter[];
  readonly polynomial: NoncommutativePolynomial;
}

export function hermitizedStructure(p: NoncommutativePolynomial): HermitizedStructure {
  const fn = "hermitizedStructure";
  if (p.rows.name !== p.cols.name)
    throw new InvalidArgumentError(fn, "p", "a square polynomial", `${p.rows.name}×${p.cols.name}`);
  const ens = p.ensembles;
  const spaces: Space[] = [p.rows];
  const spaceIndex = (s: Space) => {
    const k = spaces.findIndex((t) => t.name === s.name);
    if (k >= 0) return k;
    spaces.push(s);
    return spaces.length - 1;
  };
  const spaceOf: number[] = [0, 0];
  const letters: PencilLetter[] = [];
  const constants: { i: number; j: number; v: number }[] = [];
  const adj = (l: Letter): Letter => adjointWord([l], ens)[0]!;
  const put = (i: number, j: number, l: Letter, coefficient: number) => {
    letters.push({ i, j, name: l.name, transposed: l.transposed, coefficient });
    const a = adj(l);
    letters.push({ i: j, j: i, name: a.name, transposed: a.transposed, coefficient });
  };
  for (const m of p.monomials) {
    const k = m.word.length;
    if (k === 0) {
      constants.push({ i: 0, j: 1, v: m.coefficient });
      continue;
    }
    if (k === 1) {
      put(0, 1, m.word[0]!, m.coefficient);
      continue;
    }
    const base = spaceOf.length;
    if (2 * (base + 2 * (k - 1)) > MAX_PENCIL_SIZE)
      throw new InvalidArgumentError(
        fn,
        "p",
        `a realified hermitization of at most ${MAX_PENCIL_SIZE} rows`,
        2 * (base + 2 * (k - 1)),
      );
    for (let group = 0; group < 2; group++)
      for (let r = 1; r < k; r++) spaceOf.push(spaceIndex(letterShape(m.word[r - 1]!, ens).cols));
    const g1 = (r: number) => base + r - 1;
    const g2 = (r: number) => base + k - 1 + r - 1;
    const y = (r: number) => m.word[r - 1]!;
    put(0, g1(1), y(1), m.coefficient);
    put(g2(k - 1), 1, y(k), 1);
    for (let r = 1; r < k; r++) constants.push({ i: g2(r), j: g1(r), v: -1 });
    for (let r = 1; r <= k - 2; r++) put(g2(r), g1(r + 1), y(r + 1), 1);
  }
  const n = spaceOf.length;
  const constant = new Float64Array(n * n);
  for (const { i, j, v } of constants) {
    constant[i * n + j]! += v;
    constant[j * n + i]! += v;
  }
  return { n, spaces, spaceOf, constant, letters, polynomial: p };
}

/** The realified pencil of 𝐋_λ (size 2n): H_λ's corner is X − λ at (0, 1). */
export function realifiedHermitization(h: HermitizedStructure, lambda: Complex): LinearPencil {
  const { n } = h;
  const N = 2 * n;
  const constant = new Float64Array(N * N);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = h.constant[i * n + j]!;
      constant[i * N + j] = v;
      constant[(n + i) * N + n + j] = v;
    }
  // A: −Re λ at (0, 1) and (1, 0); B: −Im λ at (0, 1), +Im λ at (1, 0); realified [[A, −B], [B, A]].
  for (const [i, j] of [
    [0, 1],
    [1, 0],
  ] as const) {
    constant[i * N + j]! -= lambda.re;
    constant[(n + i) * N + n + j]! -= lambda.re;
  }
  const b01 = -lambda.im;
  const b10 = lambda.im;
  constant[0 * N + n + 1]! -= b01;
  constant[1 * N + n + 0]! -= b10;
  constant[(n + 0) * N + 1]! += b01;
  constant[(n + 1) * N + 0]! += b10;
  const letters: PencilLetter[] = [];
  for (const l of h.letters) {
    letters.push(l);
    letters.push({ ...l, i: n + l.i, j: n + l.j });
  }
  return {
    n: N,
    spaces: h.spaces,
    spaceOf: [...h.spaceOf, ...h.spaceOf],
    constant,
    letters,
    ensembles: h.polynomial.ensembles,
  };
}

/**
 * The realified hermitization at λ as an operator-valued problem. Unknown 0 is the corner (0, 0),
 * whose value at z = iε is −iε τ[(ε² + (X − λ)(X − λ)*)⁻¹]; `offDiagonal` are the unknowns of
 * the real and imaginary parts of the corner (1, 0), τ[(λ − X)*(ε² + (λ − X)(λ − X)*)⁻¹] once
 * combined (see {@link cornerValue}).
 */
export function hermitizedProblem(
  h: HermitizedStructure,
  lambda: Complex,
): { problem: OperatorCauchyProblem; offDiagonal: [number, number] } {
  const pencil = realifiedHermitization(h, lambda);
  const problem = new OperatorCauchyProblem(pencil, [
    [1, 0],
    [1, h.n],
  ]);
  const find = (j: number, k: number) =>
    problem.entries.findIndex(([a, b]) => a === Math.min(j, k) && b === Math.max(j, k));
  return { problem, offDiagonal: [find(1, 0), find(1, h.n)] };
}

/** The complex entry R_{jk} − i R_{j,n+k} from the two realified unknowns (re, im of each). */
export function cornerValue(
  re: Float64Array,
  im: Float64Array,
  [q0, q1]: readonly [number, number],
): Complex {
  return { re: re[q0]! + im[q1]!, im: im[q0]! - re[q1]! };
}
