/**
 * The report section of a rule as written: its name, kind, one-line description, the source it
 * cites, and its text in the rule language (downloadable as the rule file it came from).
 */
import type { ReportSection } from "./report-page.ts";

export interface RuleText {
  name: string;
  /** "scalar" (a small ODE or map) or "network" (matrix states with data). */
  kind: "scalar" | "network";
  description?: string;
  /** The citation the rule's `source` line gives, e.g. "seed 001, eq. 8". */
  source?: string;
  /** Where the text came from: a file path or "built-in". */
  from: string;
  text: string;
}

/** The "Rule" section. */
export function ruleSection(r: RuleText): ReportSection {
  return {
    id: "rule",
    title: `Rule ${r.name}`,
    blocks: [
      ...(r.description ? [{ kind: "paragraph" as const, text: r.description }] : []),
      {
        kind: "table",
        head: [],
        rows: [
          [
            "kind",
            r.kind === "scalar" ? "scalar rule (states are numbers)" : "network rule (states are matrices)",
          ],
          ["source", r.source ?? "not given"],
          ["from", r.from],
        ],
      },
      { kind: "code", caption: "The rule as written:", text: r.text.trimEnd() },
    ],
  };
}
