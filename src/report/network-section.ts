/**
 * The report section of a network rule: what it lowers to (sizes, parameters, choices, the shapes
 * and laws of its states, fixed tensors and data, and one IR program as `learndyn compile` lists
 * it), with the description as JSON to download.
 */
import type { Block, ReportSection } from "./report-page.ts";

/** What `learndyn compile --json` reports of a rule (the fields this section shows). */
export interface NetworkDescription {
  rule: string;
  kind: string;
  sizes: Record<string, number>;
  params: Record<string, number | null>;
  choices: Record<string, { value: string; options: readonly string[] }>;
  states: readonly { name: string; rows: number; cols: number; renormalize: boolean; law: string }[];
  fixed: readonly { name: string; rows: number; cols: number; origin: string; role?: string; law?: string }[];
  data: readonly { name: string; rows: number; cols: number; kind: string }[];
  samples?: { train: number; test: number } | null;
  minibatch?: number | null;
  programs: readonly { name: string; nodes: readonly unknown[]; listing: string }[];
}

/** The "Network" section of a compiled rule; `name` prefixes its data file. */
export function networkSection(
  d: NetworkDescription,
  name: string,
  extra: readonly Block[] = [],
): ReportSection {
  const shape = (t: { rows: number; cols: number }) => `${t.rows} × ${t.cols}`;
  const blocks: Block[] = [
    {
      kind: "table",
      caption: "Sizes, parameters and choices (the values this report uses)",
      head: ["name", "value", "of"],
      rows: [
        ...Object.entries(d.sizes).map(([k, v]): [string, number, string] => [k, v, "size"]),
        ...Object.entries(d.params).map(([k, v]): [string, number | null, string] => [k, v, "parameter"]),
        ...Object.entries(d.choices).map(([k, v]): [string, string, string] => [
          k,
          v.value,
          `choice of ${v.options.join(" | ")}`,
        ]),
      ],
    },
    {
      kind: "table",
      caption: "Tensors: states (learned), fixed tensors (drawn or hoisted once per run) and per-sample data",
      head: ["tensor", "shape", "role", "law"],
      rows: [
        ...d.states.map((s) => [s.name, shape(s), s.renormalize ? "state, renormalized" : "state", s.law]),
        ...d.fixed.map((f) => [
          f.name,
          shape(f),
          f.origin === "drawn" ? (f.role ?? "drawn") : "hoisted",
          f.law ?? "computed once per run",
        ]),
        ...d.data.map((x) => [x.name, shape(x), x.kind, null]),
      ],
    },
    {
      kind: "paragraph",
      text: d.samples
        ? `Samples: ${d.samples.train} for training, ${d.samples.test} for testing; minibatch ${d.minibatch}.`
        : "No data: one step per epoch.",
    },
    ...d.programs.map(
      (p): Block => ({
        kind: "code",
        caption: `IR program "${p.name}" (${p.nodes.length} nodes), as listed by learndyn compile:`,
        text: p.listing,
      }),
    ),
    ...extra,
    {
      kind: "data",
      name: `${name}-compiled`,
      label: "The description as JSON (learndyn compile --json)",
      data: d,
    },
  ];
  return { id: "network", title: `Network rule ${d.rule}: what it lowers to`, blocks };
}
