/**
 * The claims of the theorem catalog that concern a rule: those of the seed paper the rule's
 * source cites ("seed 001, eq. 8") whose printed equations share a number with the equations the
 * source cites. A rule that cites no seed paper, or no equation, has no related claims.
 */
import type { ClaimCatalog } from "./claim-catalog.ts";

/** Equation numbers in `text`: "8", "8-9", "5-6 and 22", "52, 55, 58" (ranges expanded, at most 200 apart). */
export function equationNumbers(text: string): Set<number> {
  const out = new Set<number>();
  for (const m of text.matchAll(/(\d+)\s*[-–]\s*(\d+)|(\d+)/g)) {
    if (m[3] !== undefined) out.add(Number(m[3]));
    else {
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (b >= a && b - a <= 200) for (let k = a; k <= b; k++) out.add(k);
    }
  }
  return out;
}

/** The seed and the equation numbers a rule's source line cites, or null when it cites no seed paper. */
export function citedEquations(source: string): { seed: string; equations: Set<number> } | null {
  const seed = /seed\s+(\d{3})/i.exec(source);
  if (!seed) return null;
  const equations = new Set<number>();
  // "eq. 8", "eqs. 5-6", "eqs. 5, 6 and 22": the numbers after each "eq."/"eqs." up to the next word.
  for (const m of source.matchAll(/eqs?\.\s*([\d\s,–-]+(?:and\s+[\d\s,–-]+)*)/gi)) {
    for (const k of equationNumbers(m[1]!)) equations.add(k);
  }
  return { seed: seed[1]!, equations };
}

/** Ids of the claims of `catalog` related to a rule with source line `source` (module comment). */
export function relatedClaimIds(catalog: ClaimCatalog, source: string | undefined): string[] {
  const cited = source === undefined ? null : citedEquations(source);
  if (!cited || cited.equations.size === 0) return [];
  return catalog
    .claims()
    .filter((c) => {
      if (c.seed !== cited.seed || c.citation?.equation === undefined) return false;
      return [...equationNumbers(c.citation.equation)].some((k) => cited.equations.has(k));
    })
    .map((c) => c.id);
}
