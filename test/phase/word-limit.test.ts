/**
 * Genus-0 normalized traces of words in Gaussian matrices and sign diagonals
 * (src/phase/teacher-point/word-limit.ts) against the Marchenko-Pastur moments and against
 * sampled matrices. Sampled at |B| = 400: a normalized trace of a word of length ≤ 6 has bias
 * O(1/n) and fluctuation O(1/n) around its limit (moments of size ≤ 3 here), so 0.05 is many
 * standard deviations and still separates every alternative tested (they differ by ≥ 0.2).
 */
import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import type { Alphabet, Letter } from "../../src/phase/teacher-point/matrix-words.ts";
import {
  type LetterLaw,
  normalizedTrace,
  scalarWordLimit,
} from "../../src/phase/teacher-point/word-limit.ts";
import { Rng } from "../../src/util/random.ts";

const alphabet: Alphabet = new Map([
  ["G", { rows: "A", cols: "B", symmetric: false }],
  ["H", { rows: "C", cols: "A", symmetric: false }],
  ["D", { rows: "A", cols: "A", symmetric: true }],
  ["v", { rows: 1, cols: "A", symmetric: false }],
  ["u", { rows: 1, cols: "A", symmetric: false }],
]);
const laws = new Map<string, LetterLaw>([
  ["G", { kind: "gaussian", scaled: 1 }],
  ["H", { kind: "gaussian", scaled: 1 }],
  ["D", { kind: "signs" }],
  ["v", { kind: "gaussian", scaled: 1 }],
  ["u", { kind: "gaussian", scaled: 1 }],
]);
const w = (text: string): Letter[] =>
  text.split(" ").map((t) => ({ name: t.replace("'", ""), transposed: t.endsWith("'") }));

/** A moment polynomial evaluated at relative sizes and odd moments. */
function value(p: ReadonlyMap<string, number>, at: Record<string, number>): number {
  let s = 0;
  for (const [key, c] of p) {
    let term = c;
    for (const f of key ? key.split("*") : []) {
      const [kind, name] = f.split(":") as [string, string];
      term *= kind === "d" ? 1 / at[name]! : at[name]!;
    }
    s += term;
  }
  return s;
}

describe("normalized traces in the limit", () => {
  it("Marchenko-Pastur: τ_B((G'G)^k) for k = 1, 2, 3 with λ = |A|/|B|", () => {
    const at = { A: 0.6, B: 1, D: 0 };
    const l = at.A / at.B;
    expect(value(normalizedTrace(w("G' G"), alphabet, laws), at)).toBeCloseTo(l, 14);
    expect(value(normalizedTrace(w("G' G G' G"), alphabet, laws), at)).toBeCloseTo(l + l * l, 14);
    expect(value(normalizedTrace(w("G' G G' G G' G"), alphabet, laws), at)).toBeCloseTo(
      l + 3 * l * l + l ** 3,
      14,
    );
    // τ_A(G G') = 1 whatever the ratio (entries of variance 1/|B|).
    expect(normalizedTrace(w("G G'"), alphabet, laws)).toEqual(new Map([["", 1]]));
  });

  it("against sampled matrices: words with a sign diagonal and a second Gaussian", () => {
    const rng = new Rng(5);
    const [nA, nB, nC] = [240, 400, 320];
    const gauss = (r: number, c: number) =>
      Matrix.from1DArray(
        r,
        c,
        Array.from({ length: r * c }, () => rng.normal() / Math.sqrt(c)),
      );
    const G = gauss(nA, nB);
    const H = gauss(nC, nA);
    const alpha = 0.3;
    const signs = Array.from({ length: nA }, (_, i) => (i < Math.round(alpha * nA) ? -1 : 1));
    const D = Matrix.diag(signs);
    const m = { G, H, D };
    const at = { A: nA / nB, B: 1, C: nC / nB, D: 1 - 2 * alpha };
    const sampled = (word: string) => {
      const ls = w(word);
      let acc: Matrix | null = null;
      for (const l of ls) {
        const x = m[l.name as "G" | "H" | "D"];
        const y = l.transposed ? x.transpose() : x;
        acc = acc ? acc.mmul(y) : y;
      }
      return acc!.trace() / acc!.rows;
    };
    for (const word of ["G' D G", "G' D G G' G", "G' H' H G", "D G G' D G G'", "G' H' H D G"]) {
      const limit = value(normalizedTrace(w(word), alphabet, laws), { ...at, D: 1 - 2 * alpha });
      expect(Math.abs(sampled(word) - limit)).toBeLessThan(0.05);
    }
  });

  it("scalar words: v P v' → τ(P), independent vectors → 0", () => {
    expect(scalarWordLimit(w("v G G' v'"), alphabet, laws)).toEqual(new Map([["", 1]]));
    expect(scalarWordLimit(w("v D v'"), alphabet, laws)).toEqual(new Map([["m:D", 1]]));
    expect(scalarWordLimit(w("v G G' u'"), alphabet, laws)).toEqual(new Map());
    expect(scalarWordLimit(w("v v' u u'"), alphabet, laws)).toEqual(new Map([["", 1]]));
  });
});
