/**
 * The self-adjoint linearization of a self-adjoint noncommutative polynomial p (Anderson 2013;
 * Helton, Mai and Speicher 2018, section 3): a symmetric n × n matrix L = L₀ + Σ (letters) whose
 * entries are affine in the ensembles, such that the Schur complement of the block below the first
 * row and column is p:
 *     L = [[α, u], [uᵀ, Q̂]],   p = α − u Q̂⁻¹ uᵀ,
 * so that (Λ − L)⁻¹ at Λ = diag(z, 0, …, 0) has (z − p)⁻¹ in its corner.
 *
 * Degree ≤ 1 terms go into α. A word m = y₁ ⋯ y_k (k ≥ 2) with coefficient c contributes
 * c(m + mᵀ) (a palindrome, m = mᵀ, contributes c/2 times that) through 2(k − 1) rows:
 *     u = [b, cᵀ],  b = [c y₁, 0, …, 0],  c = [0, …, 0, y_k]ᵀ,  Q̂ = [[0, Qᵀ], [Q, 0]],
 *     Q = −I + superdiag(y₂, …, y_{k−1}),  Q⁻¹ = −(I + N + N² + …),  b Q⁻¹ c = −c m,
 * and u Q̂⁻¹ uᵀ = b Q⁻¹ c + (b Q⁻¹ c)ᵀ. Row i of the pencil lives on a space (the columns of y_i
 * for the i-th row of each group), so every entry is a map between spaces of matching sizes.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import type { Ensemble, Space } from "./expression.ts";
import {
  adjointWord,
  type Letter,
  letterShape,
  type NoncommutativePolynomial,
  selfAdjointDefect,
  wordKey,
} from "./noncommutative-polynomial.ts";

/** An ensemble's letter (or its transpose) times a coefficient at entry (i, j) of the pencil. */
export interface PencilLetter {
  readonly i: number;
  readonly j: number;
  readonly name: string;
  readonly transposed: boolean;
  readonly coefficient: number;
}

export interface LinearPencil {
  /** Size n of the pencil. */
  readonly n: number;
  /** The distinct spaces, and the space index of each row. */
  readonly spaces: readonly Space[];
  readonly spaceOf: readonly number[];
  /** Constant part L₀ (row-major n × n, symmetric): scalars times identities. */
  readonly constant: Float64Array;
  /** Letters, listed at both (i, j) and (j, i) (the latter transposed). */
  readonly letters: readonly PencilLetter[];
  readonly ensembles: ReadonlyMap<string, Ensemble>;
}

/** Largest pencil built (rows). */
export const MAX_PENCIL_SIZE = 200;

export function selfAdjointLinearization(p: NoncommutativePolynomial): LinearPencil {
  const fn = "selfAdjointLinearization";
  const defect = selfAdjointDefect(p);
  if (defect !== null)
    throw new InvalidArgumentError(
      fn,
      "p",
      "a self-adjoint polynomial (p = pᵀ)",
      defect,
      "symmetrize it, e.g. (A + A')/2",
    );
  const ens = p.ensembles;
  const spaces: Space[] = [p.rows];
  const spaceIndex = (s: Space) => {
    const k = spaces.findIndex((t) => t.name === s.name);
    if (k >= 0) return k;
    spaces.push(s);
    return spaces.length - 1;
  };
  const spaceOf: number[] = [0];
  const entries: PencilLetter[] = [];
  const constants: { i: number; j: number; v: number }[] = [];
  const adj = (l: Letter): Letter => adjointWord([l], ens)[0]!;
  const put = (i: number, j: number, l: Letter, coefficient: number) => {
    entries.push({ i, j, name: l.name, transposed: l.transposed, coefficient });
    if (i !== j) {
      const a = adj(l);
      entries.push({ i: j, j: i, name: a.name, transposed: a.transposed, coefficient });
    }
  };
  const done = new Set<string>();
  for (const m of p.monomials) {
    const key = wordKey(m.word);
    if (done.has(key)) continue;
    const adjoint = adjointWord(m.word, ens);
    const adjKey = wordKey(adjoint);
    done.add(key);
    done.add(adjKey);
    const palindrome = adjKey === key;
    const k = m.word.length;
    if (k === 0) {
      constants.push({ i: 0, j: 0, v: m.coefficient });
      continue;
    }
    if (k === 1) {
      const l = m.word[0]!;
      entries.push({ i: 0, j: 0, name: l.name, transposed: l.transposed, coefficient: m.coefficient });
      if (!palindrome) {
        const a = adjoint[0]!;
        entries.push({ i: 0, j: 0, name: a.name, transposed: a.transposed, coefficient: m.coefficient });
      }
      continue;
    }
    const c = palindrome ? m.coefficient / 2 : m.coefficient;
    const base = spaceOf.length;
    if (base + 2 * (k - 1) > MAX_PENCIL_SIZE)
      throw new InvalidArgumentError(
        fn,
        "p",
        `a linearization of at most ${MAX_PENCIL_SIZE} rows`,
        base + 2 * (k - 1),
      );
    // Rows g1(r), g2(r), r = 1..k−1, on the space of the columns of y_r.
    for (let group = 0; group < 2; group++)
      for (let r = 1; r < k; r++) spaceOf.push(spaceIndex(letterShape(m.word[r - 1]!, ens).cols));
    const g1 = (r: number) => base + r - 1;
    const g2 = (r: number) => base + k - 1 + r - 1;
    const y = (r: number) => m.word[r - 1]!;
    put(0, g1(1), y(1), c);
    put(g2(k - 1), 0, y(k), 1);
    for (let r = 1; r < k; r++) constants.push({ i: g2(r), j: g1(r), v: -1 });
    for (let r = 1; r <= k - 2; r++) put(g2(r), g1(r + 1), y(r + 1), 1);
  }
  const n = spaceOf.length;
  const constant = new Float64Array(n * n);
  for (const { i, j, v } of constants) {
    constant[i * n + j]! += v;
    if (i !== j) constant[j * n + i]! += v;
  }
  return { n, spaces, spaceOf, constant, letters: entries, ensembles: ens };
}
