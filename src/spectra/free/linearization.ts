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

/**
 * A pencil under construction: its rows (each on a space), letters and constants. `word` adds the
 * 2(k − 1) rows of a word m = y₁ ⋯ y_k (k ≥ 2) with coefficient c between rows `from` and `to`:
 * y₁ (times c) at (from, g₁(1)), y_k at (g₂(k − 1), to), −1 at (g₂(r), g₁(r)) and y_{r+1} at
 * (g₂(r), g₁(r + 1)), each with its adjoint at the mirrored place, so that the Schur complement
 * onto the other rows gains c m at (from, to) and c mᵀ at (to, from) (c(m + mᵀ) when from = to).
 * Shared by {@link selfAdjointLinearization} and the hermitization (hermitization.ts).
 */
export class PencilAssembly {
  readonly spaces: Space[] = [];
  readonly spaceOf: number[] = [];
  readonly letters: PencilLetter[] = [];
  private readonly constants: { i: number; j: number; v: number }[] = [];

  /** `rows`: the spaces of the first rows; `maxRows`: the bound on rows, named by `fn` when hit. */
  constructor(
    readonly ensembles: ReadonlyMap<string, Ensemble>,
    rows: readonly Space[],
    private readonly fn: string,
    private readonly maxRows = MAX_PENCIL_SIZE,
  ) {
    for (const s of rows) this.spaceOf.push(this.spaceIndex(s));
  }

  spaceIndex(s: Space): number {
    const k = this.spaces.findIndex((t) => t.name === s.name);
    if (k >= 0) return k;
    this.spaces.push(s);
    return this.spaces.length - 1;
  }

  /** A letter times a coefficient at (i, j), and its adjoint at (j, i) when i ≠ j. */
  put(i: number, j: number, l: Letter, coefficient: number): void {
    this.letters.push({ i, j, name: l.name, transposed: l.transposed, coefficient });
    if (i !== j) {
      const a = adjointWord([l], this.ensembles)[0]!;
      this.letters.push({ i: j, j: i, name: a.name, transposed: a.transposed, coefficient });
    }
  }

  /** A constant at (i, j) and (j, i). */
  constant(i: number, j: number, v: number): void {
    this.constants.push({ i, j, v });
  }

  word(m: readonly Letter[], c: number, from: number, to: number): void {
    const k = m.length;
    const base = this.spaceOf.length;
    if (base + 2 * (k - 1) > this.maxRows)
      throw new InvalidArgumentError(
        this.fn,
        "p",
        `a linearization of at most ${this.maxRows} rows`,
        base + 2 * (k - 1),
      );
    // Rows g1(r), g2(r), r = 1..k−1, on the space of the columns of y_r.
    for (let group = 0; group < 2; group++)
      for (let r = 1; r < k; r++)
        this.spaceOf.push(this.spaceIndex(letterShape(m[r - 1]!, this.ensembles).cols));
    const g1 = (r: number) => base + r - 1;
    const g2 = (r: number) => base + k - 1 + r - 1;
    this.put(from, g1(1), m[0]!, c);
    this.put(g2(k - 1), to, m[k - 1]!, 1);
    for (let r = 1; r < k; r++) this.constant(g2(r), g1(r), -1);
    for (let r = 1; r <= k - 2; r++) this.put(g2(r), g1(r + 1), m[r]!, 1);
  }

  pencil(): LinearPencil {
    const n = this.spaceOf.length;
    const constant = new Float64Array(n * n);
    for (const { i, j, v } of this.constants) {
      constant[i * n + j]! += v;
      if (i !== j) constant[j * n + i]! += v;
    }
    return {
      n,
      spaces: this.spaces,
      spaceOf: this.spaceOf,
      constant,
      letters: this.letters,
      ensembles: this.ensembles,
    };
  }
}

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
  const pencil = new PencilAssembly(ens, [p.rows], fn);
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
      pencil.constant(0, 0, m.coefficient);
      continue;
    }
    if (k === 1) {
      pencil.put(0, 0, m.word[0]!, m.coefficient);
      if (!palindrome) pencil.put(0, 0, adjoint[0]!, m.coefficient);
      continue;
    }
    pencil.word(m.word, palindrome ? m.coefficient / 2 : m.coefficient, 0, 0);
  }
  return pencil.pencil();
}
