/**
 * Large-network limits of 1 × 1 words in a rule's random tensors (matrix-words.ts), such as the
 * ‖W₂‖² = W₂W₂' of seed 001's eq. 98 or the overlap W₂·B of feedback alignment's reduced
 * Jacobian: the value a word concentrates at when every size grows in proportion.
 *
 * A 1 × 1 word splits at its 1-dimensional junctions into closed pieces v P u', each a row
 * vector, a square word P of matrices, and a column vector. Independent centered vectors give
 * v P u' → 0 (its fluctuation is O(n^{-1/2})); the same vector gives v P v' → (n var_v) τ(P) by
 * the law of large numbers (E[v P v'] = var_v tr P, v independent of P). The normalized trace
 * τ of a word in Gaussian matrices and diagonals is its genus-0 (large-N) moment: the first
 * Gaussian letter pairs with a later copy of itself transposed,
 * the word between them closes on its own (non-crossing pairings), and
 *     E[G Y G'] = v τ_B(Y) I_A,   E[G' Z G] = v (|A|/|B|) τ_A(Z) I_B
 * for G an |A| × |B| matrix of iid N(0, v/|B|) entries (the normalization of
 * src/spectra/free/expression.ts). Diagonals left when no Gaussian letter remains are
 * independent sign patterns: τ(D^k) = 1 for k even, 1 − 2α for k odd.
 *
 * Limits are kept as polynomials in the odd moments m_D = τ(D) = 1 − 2α_D of the diagonals
 * and the relative sizes of the dimensions, so a map over α or c still sees them.
 */
import { InvalidArgumentError } from "../../util/errors.ts";
import { type Alphabet, type Letter, letterShape, wordText } from "./matrix-words.ts";

/** What the limit needs to know of each letter. */
export type LetterLaw =
  /** iid centered Gaussian entries; `scaled` = entry variance × columns (× length for a vector). */
  | { readonly kind: "gaussian"; readonly scaled: number }
  /** A diagonal of independent ±1 signs (τ(D) = m_D, its odd moment, kept by name). */
  | { readonly kind: "signs" };

/**
 * A polynomial in the odd moments and the relative sizes: key = sorted factors joined by "*"
 * ("m:D" the odd moment of diagonal D, "n:A" the relative size of dimension A, "d:A" its
 * inverse), value = coefficient.
 */
export type MomentPolynomial = ReadonlyMap<string, number>;

const ONE: MomentPolynomial = new Map([["", 1]]);

function times(a: MomentPolynomial, b: MomentPolynomial): MomentPolynomial {
  const out = new Map<string, number>();
  for (const [ka, ca] of a)
    for (const [kb, cb] of b) {
      const factors = [...(ka ? ka.split("*") : []), ...(kb ? kb.split("*") : [])];
      // n:A * d:A cancel; m_D² = τ(D)² stays (factors of different pieces, not τ(D²)).
      for (const f of [...factors]) {
        if (!f.startsWith("n:") || !factors.includes(f)) continue;
        const inv = factors.indexOf(`d:${f.slice(2)}`);
        if (inv >= 0) {
          factors.splice(inv, 1);
          factors.splice(factors.indexOf(f), 1);
        }
      }
      const k = factors.sort().join("*");
      out.set(k, (out.get(k) ?? 0) + ca * cb);
    }
  return out;
}

function plus(a: MomentPolynomial, b: MomentPolynomial, scale = 1): MomentPolynomial {
  const out = new Map(a);
  for (const [k, c] of b) out.set(k, (out.get(k) ?? 0) + scale * c);
  for (const [k, c] of out) if (c === 0) out.delete(k);
  return out;
}

/** Largest word whose trace is expanded (the number of pairings grows like a Catalan number). */
export const MAX_WORD = 24;

/**
 * τ of the square word `w` of matrix letters, over its space: a polynomial in the diagonals'
 * odd moments and the relative sizes.
 */
export function normalizedTrace(
  w: readonly Letter[],
  alphabet: Alphabet,
  laws: ReadonlyMap<string, LetterLaw>,
): MomentPolynomial {
  if (w.length > MAX_WORD)
    throw new InvalidArgumentError("normalizedTrace", "word", `at most ${MAX_WORD} letters`, wordText(w));
  const i = w.findIndex((l) => laws.get(l.name)?.kind === "gaussian");
  if (i < 0) {
    const counts = new Map<string, number>();
    for (const l of w) {
      if (laws.get(l.name)?.kind !== "signs")
        throw new InvalidArgumentError(
          "normalizedTrace",
          "letter",
          "a Gaussian matrix or a sign diagonal",
          l.name,
        );
      counts.set(l.name, (counts.get(l.name) ?? 0) + 1);
    }
    const odd = [...counts]
      .filter(([, k]) => k % 2 === 1)
      .map(([n]) => `m:${n}`)
      .sort();
    return new Map([[odd.join("*"), 1]]);
  }
  const g = w[i]!;
  const info = alphabet.get(g.name)!;
  const v = (laws.get(g.name) as { scaled: number }).scaled;
  let out: MomentPolynomial = new Map();
  for (let j = i + 1; j < w.length; j++) {
    const h = w[j]!;
    if (h.name !== g.name || h.transposed === g.transposed) continue;
    const inner = w.slice(i + 1, j);
    // E[G Y G'] = v τ_B(Y) I_A (G not transposed: B its columns); E[G' Z G] = v |A|/|B| τ_A(Z) I_B.
    const ratio: MomentPolynomial = g.transposed
      ? new Map([[[`n:${info.rows}`, `d:${info.cols}`].sort().join("*"), 1]])
      : ONE;
    const rest = [...w.slice(0, i), ...w.slice(j + 1)];
    const term = times(
      ratio,
      times(normalizedTrace(inner, alphabet, laws), normalizedTrace(rest, alphabet, laws)),
    );
    out = plus(out, term, v);
  }
  return out;
}

/**
 * The limit of a 1 × 1 word (rows and columns the dimension 1): the product of its closed pieces'
 * limits; the empty word is 1.
 */
export function scalarWordLimit(
  w: readonly Letter[],
  alphabet: Alphabet,
  laws: ReadonlyMap<string, LetterLaw>,
): MomentPolynomial {
  let out = ONE;
  let start = 0;
  for (let k = 0; k < w.length; k++) {
    if (letterShape(w[k]!, alphabet).cols !== 1) continue;
    const piece = w.slice(start, k + 1);
    start = k + 1;
    out = times(out, pieceLimit(piece, alphabet, laws));
  }
  return out;
}

function pieceLimit(
  piece: readonly Letter[],
  alphabet: Alphabet,
  laws: ReadonlyMap<string, LetterLaw>,
): MomentPolynomial {
  const first = piece[0]!;
  const last = piece[piece.length - 1]!;
  if (piece.length === 1) {
    // A 1 × 1 tensor: no limit of its own unless it is a constant (not a letter).
    throw new InvalidArgumentError(
      "scalarWordLimit",
      "word",
      "closed pieces v P u' of vectors",
      wordText(piece),
    );
  }
  const lawV = laws.get(first.name);
  if (lawV?.kind !== "gaussian" || laws.get(last.name)?.kind !== "gaussian")
    throw new InvalidArgumentError(
      "scalarWordLimit",
      "word",
      "pieces that begin and end with Gaussian vectors",
      wordText(piece),
    );
  if (first.name !== last.name || first.transposed === last.transposed) return new Map(); // independent: → 0
  return plus(new Map(), normalizedTrace(piece.slice(1, -1), alphabet, laws), lawV.scaled);
}
