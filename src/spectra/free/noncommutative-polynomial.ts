/**
 * A random-matrix expression expanded into a noncommutative polynomial: a sum of real
 * coefficients times words in the ensembles and their transposes. Symmetric ensembles (Wigner,
 * diagonal) are their own transposes, so their letters are never marked transposed; products of
 * identities disappear, leaving the empty word (a scalar times the identity).
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import { type Ensemble, ensemblesOf, type MatrixExpr, type Space, shapeOf } from "./expression.ts";

export interface Letter {
  readonly name: string;
  readonly transposed: boolean;
}

export interface Monomial {
  readonly coefficient: number;
  readonly word: readonly Letter[];
}

export interface NoncommutativePolynomial {
  /** The space of rows (= columns for a square polynomial). */
  readonly rows: Space;
  readonly cols: Space;
  readonly ensembles: ReadonlyMap<string, Ensemble>;
  /** Like words merged, zero coefficients dropped, in a canonical order. */
  readonly monomials: readonly Monomial[];
}

const isSymmetric = (e: Ensemble) => e.kind === "wigner" || e.kind === "diagonal";

export function wordKey(word: readonly Letter[]): string {
  return word.map((l) => (l.transposed ? `${l.name}'` : l.name)).join(" ");
}

/** The adjoint (transpose) of a word: reversed, each letter transposed. */
export function adjointWord(word: readonly Letter[], ensembles: ReadonlyMap<string, Ensemble>): Letter[] {
  return [...word].reverse().map((l) => ({
    name: l.name,
    transposed: isSymmetric(ensembles.get(l.name)!) ? false : !l.transposed,
  }));
}

function expand(e: MatrixExpr, ens: ReadonlyMap<string, Ensemble>): Monomial[] {
  switch (e.kind) {
    case "matrix":
      return [{ coefficient: 1, word: [{ name: e.ensemble.name, transposed: false }] }];
    case "identity":
      return [{ coefficient: 1, word: [] }];
    case "scale":
      return expand(e.arg, ens).map((m) => ({ coefficient: m.coefficient * e.coefficient, word: m.word }));
    case "transpose":
      return expand(e.arg, ens).map((m) => ({ coefficient: m.coefficient, word: adjointWord(m.word, ens) }));
    case "sum":
      return e.terms.flatMap((t) => expand(t, ens));
    case "product": {
      let acc: Monomial[] = [{ coefficient: 1, word: [] }];
      for (const f of e.factors) {
        const terms = expand(f, ens);
        const next: Monomial[] = [];
        for (const a of acc)
          for (const b of terms)
            next.push({ coefficient: a.coefficient * b.coefficient, word: [...a.word, ...b.word] });
        acc = next;
      }
      return acc;
    }
  }
}

/** Bound on the number of expanded monomials (products of sums multiply out). */
export const MAX_MONOMIALS = 10_000;

/** Expands `e` (shapes checked) into its noncommutative polynomial. */
export function noncommutativePolynomial(e: MatrixExpr): NoncommutativePolynomial {
  const { rows, cols } = shapeOf(e);
  const ensembles = ensemblesOf(e);
  const raw = expand(e, ensembles);
  if (raw.length > MAX_MONOMIALS)
    throw new InvalidArgumentError(
      "noncommutativePolynomial",
      "e",
      `at most ${MAX_MONOMIALS} monomials once expanded`,
      raw.length,
    );
  const merged = new Map<string, Monomial>();
  for (const m of raw) {
    const k = wordKey(m.word);
    const prev = merged.get(k);
    merged.set(k, { coefficient: (prev?.coefficient ?? 0) + m.coefficient, word: m.word });
  }
  const monomials = [...merged.entries()]
    .filter(([, m]) => m.coefficient !== 0)
    .sort((a, b) => a[1].word.length - b[1].word.length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, m]) => m);
  return { rows, cols, ensembles, monomials };
}

/**
 * Whether p = pᵀ: square, and every word's coefficient equals its adjoint's (to 1e-14 relative).
 * Returns the first offending word otherwise.
 */
export function selfAdjointDefect(p: NoncommutativePolynomial): string | null {
  if (p.rows.name !== p.cols.name) return `the expression is ${p.rows.name}×${p.cols.name}, not square`;
  const byKey = new Map(p.monomials.map((m) => [wordKey(m.word), m.coefficient]));
  for (const m of p.monomials) {
    const adj = wordKey(adjointWord(m.word, p.ensembles));
    const c = byKey.get(adj) ?? 0;
    if (Math.abs(c - m.coefficient) > 1e-14 * Math.max(Math.abs(c), Math.abs(m.coefficient)))
      return `the word ${wordKey(m.word)} has coefficient ${m.coefficient} but its transpose ${adj} has ${c}`;
  }
  return null;
}

/** The rows space of each letter's matrix, for placing it in a linearization. */
export function letterShape(l: Letter, ens: ReadonlyMap<string, Ensemble>): { rows: Space; cols: Space } {
  const e = ens.get(l.name)!;
  if (e.kind !== "gaussian") return { rows: e.space, cols: e.space };
  return l.transposed ? { rows: e.cols, cols: e.rows } : { rows: e.rows, cols: e.cols };
}
