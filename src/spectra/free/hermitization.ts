/**
 * The hermitization of a square, not necessarily self-adjoint polynomial X in the ensembles
 * (Belinschi, Śniady and Speicher 2018, section 4): for λ ∈ C the self-adjoint
 *     H_λ = [[0, X − λ], [(X − λ)*, 0]],
 * as a linear pencil 𝐋_λ whose Schur complement onto two corner rows (both on X's space) is H_λ.
 * It is the self-adjoint linearization of src/spectra/free/linearization.ts with the two ends of
 * each word on different corners (PencilAssembly.word from row 0 to row 1), so that the Schur
 * complement gains [[0, c m], [c mᵀ, 0]]; terms of degree ≤ 1 and −λ sit at (0, 1) directly.
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
import { type LinearPencil, MAX_PENCIL_SIZE, PencilAssembly, type PencilLetter } from "./linearization.ts";
import type { NoncommutativePolynomial } from "./noncommutative-polynomial.ts";
import { OperatorCauchyProblem } from "./operator-cauchy.ts";

/**
 * The complex hermitized pencil at λ = 0 (size n; rows 0 and 1 are the corners, the constant part
 * real), and the polynomial it comes from.
 */
export interface HermitizedStructure extends LinearPencil {
  readonly polynomial: NoncommutativePolynomial;
}

export function hermitizedStructure(p: NoncommutativePolynomial): HermitizedStructure {
  const fn = "hermitizedStructure";
  if (p.rows.name !== p.cols.name)
    throw new InvalidArgumentError(fn, "p", "a square polynomial", `${p.rows.name}×${p.cols.name}`);
  // Realified, the pencil doubles: half the bound on rows.
  const pencil = new PencilAssembly(p.ensembles, [p.rows, p.cols], fn, MAX_PENCIL_SIZE / 2);
  for (const m of p.monomials) {
    const k = m.word.length;
    if (k === 0) pencil.constant(0, 1, m.coefficient);
    else if (k === 1) pencil.put(0, 1, m.word[0]!, m.coefficient);
    else pencil.word(m.word, m.coefficient, 0, 1);
  }
  return { ...pencil.pencil(), polynomial: p };
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
    ensembles: h.ensembles,
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
