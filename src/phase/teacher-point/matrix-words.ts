/**
 * Matrix polynomials over the named tensors of a network rule: sums of coefficients times words
 * (products of letters, each a tensor or its transpose), with symbolic shapes (size names, or 1).
 * They are what a linear network's population field is (src/phase/teacher-point/population-words.ts):
 * every value a product of weights, teachers and fixed random tensors.
 *
 * A coefficient is a number times a product of rule parameters (kept by name, so that a map can
 * vary them); a diagonal letter is its own transpose; the empty word is the identity of its
 * (square) shape. Polynomials are kept canonical (like terms merged, zero terms dropped, sorted),
 * so a polynomial that is zero as an expression in the letters is recognized as zero: e.g. the
 * error W2 W1 − W2t W1t once the states are set to the teachers.
 */
import { type Letter, wordKey } from "../../spectra/free/noncommutative-polynomial.ts";
import { InvalidArgumentError } from "../../util/errors.ts";

/** A dimension: a size name of the rule, or 1. */
export type Dim = string | 1;

export interface LetterInfo {
  readonly rows: Dim;
  readonly cols: Dim;
  /** A diagonal matrix (diag of a vector): its own transpose. */
  readonly symmetric: boolean;
}

export type { Letter };

export interface Term {
  readonly coefficient: number;
  /** Parameter names multiplying the coefficient, sorted (a name may repeat: a power). */
  readonly params: readonly string[];
  readonly word: readonly Letter[];
}

export interface MatrixPolynomial {
  readonly rows: Dim;
  readonly cols: Dim;
  /** Canonical: like terms merged, zero coefficients dropped, sorted by key. */
  readonly terms: readonly Term[];
}

/** The letters' shapes, by name. */
export type Alphabet = ReadonlyMap<string, LetterInfo>;

/** Largest number of terms a product may make (a bound, not a guess: it throws when hit). */
export const MAX_TERMS = 20_000;

export const letterText = (l: Letter) => (l.transposed ? `${l.name}'` : l.name);
/** A word as text: letters apart, a transpose marked ' (the expression engine's own key). */
export const wordText = wordKey;
const termKey = (t: Term) => `${t.params.join("*")}|${wordText(t.word)}`;

/** The rows and columns of a letter as it stands (transposed or not). */
export function letterShape(l: Letter, alphabet: Alphabet): { rows: Dim; cols: Dim } {
  const info = alphabet.get(l.name);
  if (!info) throw new InvalidArgumentError("letterShape", "letter", "a letter of the alphabet", l.name);
  return l.transposed ? { rows: info.cols, cols: info.rows } : { rows: info.rows, cols: info.cols };
}

function canonical(rows: Dim, cols: Dim, terms: readonly Term[]): MatrixPolynomial {
  const merged = new Map<string, Term>();
  for (const t of terms) {
    const k = termKey(t);
    const prev = merged.get(k);
    merged.set(k, prev ? { ...t, coefficient: prev.coefficient + t.coefficient } : t);
  }
  if (merged.size > MAX_TERMS)
    throw new InvalidArgumentError("matrix polynomial", "terms", `at most ${MAX_TERMS} terms`, merged.size);
  const kept = [...merged.entries()]
    .filter(([, t]) => t.coefficient !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return { rows, cols, terms: kept.map(([, t]) => t) };
}

export function polynomial(rows: Dim, cols: Dim, terms: readonly Term[]): MatrixPolynomial {
  return canonical(rows, cols, terms);
}

/** One letter as a polynomial. */
export function letter(name: string, alphabet: Alphabet, transposed = false): MatrixPolynomial {
  const info = alphabet.get(name);
  if (!info) throw new InvalidArgumentError("letter", "name", "a letter of the alphabet", name);
  const l = { name, transposed: transposed && !info.symmetric };
  const s = letterShape(l, alphabet);
  return { rows: s.rows, cols: s.cols, terms: [{ coefficient: 1, params: [], word: [l] }] };
}

/** c times the identity of the square shape n × n (c = 0: the zero polynomial). */
export function constant(n: Dim, c: number, params: readonly string[] = []): MatrixPolynomial {
  return canonical(n, n, [{ coefficient: c, params: [...params].sort(), word: [] }]);
}

export function zero(rows: Dim, cols: Dim): MatrixPolynomial {
  return { rows, cols, terms: [] };
}

export const isZero = (p: MatrixPolynomial) => p.terms.length === 0;

function sameShape(fn: string, a: MatrixPolynomial, b: MatrixPolynomial): void {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new InvalidArgumentError(
      fn,
      "operands",
      "polynomials of one shape",
      `${a.rows}×${a.cols} and ${b.rows}×${b.cols}`,
    );
}

export function add(a: MatrixPolynomial, b: MatrixPolynomial): MatrixPolynomial {
  sameShape("add", a, b);
  return canonical(a.rows, a.cols, [...a.terms, ...b.terms]);
}

export function scale(a: MatrixPolynomial, c: number, params: readonly string[] = []): MatrixPolynomial {
  return canonical(
    a.rows,
    a.cols,
    a.terms.map((t) => ({
      coefficient: t.coefficient * c,
      params: [...t.params, ...params].sort(),
      word: t.word,
    })),
  );
}

export const negate = (a: MatrixPolynomial) => scale(a, -1);

/** The matrix product a b (a's columns must be b's rows). */
export function multiply(a: MatrixPolynomial, b: MatrixPolynomial): MatrixPolynomial {
  if (a.cols !== b.rows)
    throw new InvalidArgumentError(
      "multiply",
      "operands",
      "a product of matching shapes",
      `${a.rows}×${a.cols} times ${b.rows}×${b.cols}`,
    );
  if (a.terms.length * b.terms.length > MAX_TERMS)
    throw new InvalidArgumentError(
      "multiply",
      "terms",
      `a product of at most ${MAX_TERMS} terms`,
      a.terms.length * b.terms.length,
    );
  const out: Term[] = [];
  for (const s of a.terms)
    for (const t of b.terms)
      out.push({
        coefficient: s.coefficient * t.coefficient,
        params: [...s.params, ...t.params].sort(),
        word: [...s.word, ...t.word],
      });
  return canonical(a.rows, b.cols, out);
}

/** The adjoint of a word: reversed, each letter transposed (a symmetric letter stays). */
export function transposeWord(w: readonly Letter[], alphabet: Alphabet): Letter[] {
  return [...w]
    .reverse()
    .map((l) => ({ name: l.name, transposed: alphabet.get(l.name)!.symmetric ? false : !l.transposed }));
}

export function transpose(a: MatrixPolynomial, alphabet: Alphabet): MatrixPolynomial {
  return canonical(
    a.cols,
    a.rows,
    a.terms.map((t) => ({ ...t, word: transposeWord(t.word, alphabet) })),
  );
}

/** Every letter renamed by `rename` (names it does not map stay). */
export function substitute(a: MatrixPolynomial, rename: ReadonlyMap<string, string>): MatrixPolynomial {
  return canonical(
    a.rows,
    a.cols,
    a.terms.map((t) => ({
      ...t,
      word: t.word.map((l) => ({ name: rename.get(l.name) ?? l.name, transposed: l.transposed })),
    })),
  );
}

/**
 * The directional derivative along the letters of `delta` (letter name -> its perturbation's
 * letter): by the product rule, each occurrence of such a letter in turn replaced by its
 * perturbation (transposed where it is), so every term of the result is linear in the
 * perturbations.
 */
export function derivative(a: MatrixPolynomial, delta: ReadonlyMap<string, string>): MatrixPolynomial {
  const out: Term[] = [];
  for (const t of a.terms)
    t.word.forEach((l, i) => {
      const d = delta.get(l.name);
      if (d === undefined) return;
      const word = [...t.word];
      word[i] = { name: d, transposed: l.transposed };
      out.push({ ...t, word });
    });
  return canonical(a.rows, a.cols, out);
}

/** The dimensions between the letters of a word: dims[i] is the dimension before letter i (dims[n]: after the last). */
export function wordDims(w: readonly Letter[], alphabet: Alphabet, rows: Dim): Dim[] {
  const dims: Dim[] = [rows];
  for (const l of w) dims.push(letterShape(l, alphabet).cols);
  return dims;
}

/** The coefficient and parameters of a term as text: "0.5", "-2 * alphaH". */
export function coefficientText(t: Pick<Term, "coefficient" | "params">): string {
  return [String(t.coefficient), ...t.params].join(" * ");
}

/** A polynomial as text in the operators of the .matrix files (+, -, *, postfix '). */
export function polynomialText(p: MatrixPolynomial, identity = "I"): string {
  if (p.terms.length === 0) return "0";
  return p.terms
    .map((t, i) => {
      const sign = t.coefficient < 0 ? "-" : "+";
      const mag = Math.abs(t.coefficient);
      const factors = [
        ...(mag === 1 && (t.params.length > 0 || t.word.length > 0) ? [] : [String(mag)]),
        ...t.params,
      ];
      const word = t.word.length > 0 ? t.word.map(letterText) : factors.length === 0 ? [identity] : [];
      const body = [...factors, ...word].join(" * ");
      return i === 0 ? (sign === "-" ? `-${body}` : body) : `${sign} ${body}`;
    })
    .join(" ");
}
