/**
 * The report section of the claims checked: one row per claim of the theorem catalog (`learndyn
 * check`) with its citation, verdict, margin and run seed, a line under it for a counterexample,
 * an added assumption or a reason it cannot be checked, and the reports as JSON to download.
 */
import type { Block, Cell, ReportSection } from "./report-page.ts";

/** One claim's outcome as `learndyn check --json` reports it (the fields shown). */
export interface CheckedClaim {
  id: string;
  seed: string;
  statement: string;
  citation: { file: string; section: string; equation?: string };
  verdict: string;
  recorded: string;
  margin: number | null;
  marginUnit: string;
  counterexample?: unknown;
  assumption?: string;
  reason?: string;
  runSeed: number;
}

/** True for the document `learndyn check --out` writes: `{"claims": [...]}`. */
export function isClaimsResult(json: unknown): json is { claims: CheckedClaim[] } {
  if (json === null || typeof json !== "object") return false;
  const claims = (json as { claims?: unknown }).claims;
  return (
    Array.isArray(claims) && claims.every((c) => c && typeof c === "object" && "verdict" in c && "id" in c)
  );
}

/**
 * The blocks of the section: a summary line, the table and the data; `scope` says which claims
 * ("of seed 001"), `about` (when given) the rules each claim concerns.
 */
export function claimBlocks(
  claims: readonly CheckedClaim[],
  name: string,
  scope: string,
  about?: ReadonlyMap<string, readonly string[]>,
): Block[] {
  const count = (v: string) => claims.filter((c) => c.verdict === v).length;
  const sentence = (t: string) => (/[.!?]$/.test(t) ? t : `${t}.`);
  const notes = (c: CheckedClaim) =>
    [
      c.verdict === "fails" && c.counterexample !== undefined
        ? `Counterexample: ${JSON.stringify(c.counterexample)}`
        : "",
      c.assumption ? `Added assumption: ${c.assumption}` : "",
      c.reason ? `Not checkable here: ${c.reason}` : "",
      c.verdict !== c.recorded ? `REGRESSION: the catalog records "${c.recorded}"` : "",
    ].filter(Boolean);
  // One long column (statement, the margin's unit, notes) keeps the table within the page.
  const rows: Cell[][] = claims.map((c) => [
    c.id,
    ...(about ? [about.get(c.id)?.join(", ") || "listed"] : []),
    `seed ${c.seed}, ${c.citation.section}${c.citation.equation ? `, eq. ${c.citation.equation}` : ""}`,
    c.verdict,
    c.margin,
    c.runSeed,
    [c.statement, `Margin: ${c.marginUnit}`, ...notes(c)].map(sentence).join(" "),
  ]);
  return [
    {
      kind: "paragraph",
      text:
        `${claims.length} claims ${scope}: ${count("holds")} hold, ${count("holds-under-assumption")} hold under an added assumption, ` +
        `${count("fails")} fail, ${count("not-checkable")} not checkable here. A margin ≥ 0 means every instance checked satisfied the claim.`,
    },
    {
      kind: "table",
      head: [
        "claim",
        ...(about ? ["about"] : []),
        "citation",
        "verdict",
        "margin",
        "run seed",
        "statement, margin, notes",
      ],
      rows,
    },
    { kind: "data", name, label: "The verdicts as JSON (learndyn check --json)", data: { claims } },
  ];
}

/** The "Claims checked" section (see {@link claimBlocks}). */
export function claimsSection(
  claims: readonly CheckedClaim[],
  name: string,
  scope: string,
  about?: ReadonlyMap<string, readonly string[]>,
): ReportSection {
  return { id: "claims", title: "Claims checked", blocks: claimBlocks(claims, name, scope, about) };
}
