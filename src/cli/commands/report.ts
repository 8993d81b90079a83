/**
 * `learndyn report RULE|RESULT... --out DIR`: one self-contained HTML page (DIR/index.html) about
 * rules and results, with every figure and the data behind it downloadable from the page and
 * written beside it. For each argument:
 * - a scalar rule: the rule as written, its symbolic analysis (`analyze`), trajectories from a
 *   few seeded starts with the fixed points marked, and the catalog's claims about it;
 * - a network rule: the rule as written, what it lowers to (`compile`), the nonzero Jacobian
 *   spectrum at the origin and at the teacher point (`jacobian`), a short `simulate` run, the
 *   claims about it, and for seed 001's curl descent the analytic phase diagram and a predicted
 *   spectrum against a sampled matrix (src/phase, src/report);
 * - a RESULT file (JSON written by simulate, phase, spectrum, sweep merge, check or demo): its
 *   tables and figures (src/report/result-section.ts).
 * A part that fails (a rule whose Jacobian cannot be formed, say) is reported in its place and
 * the rest of the page is still written.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { analyze } from "../../analysis/analyze.ts";
import { matchStudentTeacher } from "../../backend/fast-path.ts";
import { classifyBindings } from "../../ir/bind.ts";
import { compileModel } from "../../ir/model.ts";
import { analysisSection } from "../../report/analysis-section.ts";
import { claimsSection } from "../../report/claims-section.ts";
import { networkSection } from "../../report/network-section.ts";
import { phaseDiagram, phaseDiagramJson, phaseFigure } from "../../report/phase-diagram.ts";
import { type Block, type ReportSection, writeReport } from "../../report/report-page.ts";
import { resultSection } from "../../report/result-section.ts";
import { ruleSection } from "../../report/rule-section.ts";
import { spectrumFigure } from "../../report/spectrum-figure.ts";
import { trajectoryFigure } from "../../report/trajectory-figure.ts";
import { BUILTIN_RULE_NAMES, builtinRuleText } from "../../rules/builtins.ts";
import { loadAnyRule, networkRuleSource } from "../../rules/load.ts";
import { builtinNetworkRuleNames } from "../../rules/network/builtin-network-rules.ts";
import type { NetworkRuleSpec } from "../../rules/network/spec.ts";
import type { RuleSpec } from "../../rules/spec.ts";
import { ruleTrajectories } from "../../sim/rule-trajectories.ts";
import { InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { assignmentOption, numberOption } from "../args.ts";
import { type ClaimReport, claimCatalog } from "../claim-catalog.ts";
import type { CliIO, Command } from "../command.ts";
import { ruleWithParams } from "../param-option.ts";
import { relatedClaimIds } from "../related-claims.ts";
import { describeCompiled, paramValues } from "./compile.ts";
import { jacobianCommand } from "./jacobian.ts";
import { simulateCommand } from "./simulate.ts";

const CLAIMS = ["related", "all", "none"] as const;

const usage = `usage: learndyn report RULE|RESULT... --out DIR [options]

Writes DIR/index.html: one self-contained page (no network needed) about each argument, a rule
(built-in name or rule file) or a RESULT (a .json file written by simulate, phase, spectrum,
sweep merge, check or demo). Figures are SVG inside the page; every figure's data and every
data document can be downloaded from the page and are written beside it in DIR.

  scalar rule   the rule, its analysis (Jacobian, charpoly, fixed points and class, invariants,
                gradient test), trajectories from seeded starts, the claims checked
  network rule  the rule, sizes, shapes and IR (compile), the nonzero Jacobian spectrum at the
                origin and the teacher point (jacobian), a short simulate run, the claims
                checked; for seed 001's curl descent also the analytic phase diagram of the
                hidden layer and a predicted spectrum against a sampled matrix

options:
  --out DIR          the directory to write (required)
  --set NAME=VALUE   a size, parameter or choice of every network rule given (repeatable)
  --param NAME=V     a parameter's value (decimal or fraction) for every scalar rule given
                     (repeatable; each must declare NAME)
  --epochs E         epochs of the simulate run (default 200)
  --seed S           seed of the simulation, the Jacobian's run and the scalar starts (default 1)
  --horizon T        scalar rules: end time of a flow, iterations of a map (default 10, 200)
  --no-simulate      leave out the simulations
  --no-jacobian      leave out the network Jacobian spectra
  --claims WHICH     related (default: the catalog's claims of the seed paper a rule cites, at
                     an equation it cites) | all (every claim of the seed papers the rules cite)
                     | none | ID,ID,... (these claims); one section for the page, each claim
                     shown with the rules it concerns
  --json             print {"files": [...], "sections": [...]} instead of a summary`;

export const reportCommand: Command = {
  name: "report",
  summary: "one self-contained HTML page: a rule's analysis, spectra, phase diagrams, simulations, claims",
  usage,
  async run(argv, io) {
    const fn = "report";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        set: { type: "string", multiple: true },
        param: { type: "string", multiple: true },
        epochs: { type: "string" },
        seed: { type: "string" },
        horizon: { type: "string" },
        "no-simulate": { type: "boolean", default: false },
        "no-jacobian": { type: "boolean", default: false },
        claims: { type: "string", default: "related" },
        json: { type: "boolean", default: false },
      },
    });
    if (positionals.length === 0) {
      throw new InvalidArgumentError(fn, "RULE|RESULT", "at least one rule or result file", "nothing");
    }
    if (values.out === undefined)
      throw new InvalidArgumentError(fn, "--out", "a directory for the page", "nothing");
    const claims = claimsOption(values.claims);
    const withParams = (r: ReturnType<typeof loadAnyRule>): ReturnType<typeof loadAnyRule> =>
      r.kind === "scalar" ? { kind: "scalar", rule: ruleWithParams(fn, r.rule, values.param).rule } : r;
    for (const s of values.set ?? []) assignmentOption(fn, "set", s);
    const options: Options = {
      out: values.out,
      sets: values.set ?? [],
      epochs: numberOption(fn, "epochs", values.epochs, { integer: true, min: 1, max: 1_000_000 }, 200),
      seed: numberOption(fn, "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }, 1),
      horizon:
        values.horizon === undefined
          ? undefined
          : numberOption(fn, "horizon", values.horizon, { greaterThan: 0 }),
      simulate: !values["no-simulate"],
      jacobian: !values["no-jacobian"],
      claims,
    };
    // Every argument is read before any work, so a bad one is refused at once.
    const inputs = positionals.map((arg) =>
      isResultFile(arg) ? { arg, result: readResult(arg) } : { arg, rule: withParams(loadAnyRule(arg)) },
    );
    if (values.param && !inputs.some((i) => i.rule?.kind === "scalar"))
      throw new InvalidArgumentError(fn, "--param", "given only with a scalar rule", values.param.join(" "));
    if (options.sets.length > 0 && !inputs.some((i) => i.rule?.kind === "network")) {
      throw new InvalidArgumentError(
        fn,
        "--set",
        "given only with a network rule",
        options.sets.join(" "),
        "--set sets the sizes, parameters and choices of network rules",
      );
    }
    const sections: ReportSection[] = [];
    const stems = new Set<string>();
    for (const input of inputs) {
      const stem = uniqueStem(input.arg, stems);
      const parts =
        input.rule === undefined
          ? [resultSection(input.arg, input.result, stem, "result")]
          : input.rule.kind === "scalar"
            ? scalarSections(input.arg, input.rule.rule, stem, options)
            : await networkSections(input.arg, input.rule.rule, stem, options, io);
      // Section ids and data names are made unique per argument.
      sections.push(...parts.map((s) => ({ ...s, id: `${stem}-${s.id}` })));
    }
    const checked = claimSection(
      inputs.flatMap((i) => (i.rule ? [i.rule.rule] : [])),
      options,
    );
    if (checked) sections.push(checked);
    const files = writeReport(options.out, {
      title: `learndyn report: ${positionals.join(", ")}`,
      subtitle: `Written by learndyn report on ${new Date().toISOString().slice(0, 10)} (seed ${options.seed}).`,
      sections,
    });
    if (values.json) io.out(toJson({ files, sections: sections.map((s) => ({ id: s.id, title: s.title })) }));
    else
      io.out(
        `report: ${sections.length} sections, ${files.length - 1} files beside the page\nwritten: ${files[0]}`,
      );
    return 0;
  },
};

interface Options {
  out: string;
  sets: string[];
  epochs: number;
  seed: number;
  horizon: number | undefined;
  simulate: boolean;
  jacobian: boolean;
  /** A word, or the claim ids listed. */
  claims: (typeof CLAIMS)[number] | string[];
}

/** --claims: related | all | none, or a comma-separated list of the catalog's claim ids. */
function claimsOption(text: string): Options["claims"] {
  if ((CLAIMS as readonly string[]).includes(text)) return text as (typeof CLAIMS)[number];
  const ids = text.split(",").map((t) => t.trim());
  const known =
    claimCatalog()
      ?.claims()
      .map((c) => c.id) ?? [];
  const unknown = ids.find((id) => !known.includes(id));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      "report",
      "--claims",
      `${CLAIMS.join(" | ")} or claim ids of the catalog (learndyn check lists them${known.length === 0 ? "; none is installed" : ""})`,
      unknown,
    );
  }
  return ids;
}

/** A RESULT argument: an existing file whose name ends in .json. */
function isResultFile(arg: string): boolean {
  return arg.toLowerCase().endsWith(".json");
}

function readResult(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InvalidArgumentError("report", "RESULT", "a readable JSON file", path, (e as Error).message);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(
      "report",
      `RESULT ${path}`,
      "a JSON document",
      "text that does not parse",
      (e as Error).message,
    );
  }
}

/** A file stem from an argument (its base name without extension), unique among `taken`. */
function uniqueStem(arg: string, taken: Set<string>): string {
  const base = (arg.split(/[\\/]/).pop() ?? arg)
    .replace(/\.(json|rule)$/i, "")
    .replace(/[^A-Za-z0-9-]+/g, "-");
  const clean = /^[A-Za-z]/.test(base) ? base : `r-${base}`;
  let stem = clean;
  for (let k = 2; taken.has(stem); k++) stem = `${clean}-${k}`;
  taken.add(stem);
  return stem;
}

function scalarSections(ref: string, rule: RuleSpec, stem: string, o: Options): ReportSection[] {
  const builtin = BUILTIN_RULE_NAMES.includes(ref);
  const sections: ReportSection[] = [
    ruleSection(
      ruleText(
        rule,
        "scalar",
        builtin ? "built-in" : ref,
        builtin ? builtinRuleText(ref) : readFileSync(ref, "utf8"),
      ),
    ),
  ];
  const report = analyze(rule, { seed: o.seed });
  sections.push(analysisSection(report, stem));
  if (o.simulate) {
    const tr = ruleTrajectories(rule, {
      params: report.params,
      seed: o.seed,
      ...(o.horizon !== undefined ? { horizon: o.horizon } : {}),
    });
    // Isolated points are marked; a family is marked by its sample point.
    const marked = report.fixedPoints.map((fp) => ({
      value: fp.value,
      label: fp.dimension === 0 ? fp.class : "family",
    }));
    const stopped = tr.trajectories.filter((t) => t.stopped !== null);
    sections.push({
      id: "simulation",
      title: "Simulation: trajectories",
      blocks: [
        {
          kind: "paragraph",
          text: `${tr.trajectories.length} starts drawn uniformly from [-2, 2]^${tr.states.length} (seed ${tr.seed}), ${tr.kind === "flow" ? `integrated to t = ${tr.horizon} (${tr.solver})` : `iterated ${tr.horizon} times`} at ${fmtParams(tr.params)}.${stopped.length > 0 ? ` ${stopped.length} stopped early: ${stopped.map((t) => t.stopped).join("; ")}.` : ""}`,
        },
        {
          kind: "table",
          head: ["start", "end", tr.kind === "flow" ? "reached t" : "reached k", "stopped"],
          rows: tr.trajectories.map((t) => [
            fmtPoint(t.start),
            fmtPoint(t.y.at(-1) ?? t.start),
            t.t.at(-1) ?? 0,
            t.stopped,
          ]),
        },
        {
          kind: "figure",
          name: `${stem}-trajectories`,
          figure: trajectoryFigure(tr, marked),
          caption: `Trajectories of ${rule.name} from the starts (grey), with the fixed points the analysis found, coloured by class.`,
          data: tr,
        },
      ],
    });
  }
  return sections;
}

async function networkSections(
  ref: string,
  spec: NetworkRuleSpec,
  stem: string,
  o: Options,
  io: CliIO,
): Promise<ReportSection[]> {
  const { text } = networkRuleSource(ref);
  const builtin = builtinNetworkRuleNames().includes(ref);
  const sections: ReportSection[] = [
    ruleSection(ruleText(spec, "network", builtin ? "built-in" : ref, text)),
  ];
  const raw = Object.fromEntries(o.sets.map((t) => assignmentOption("report", "set", t)));
  const bindings = classifyBindings(spec, raw, "report --set");
  const model = compileModel(spec, bindings);
  const { compiled } = model;
  const description = describeCompiled(
    spec,
    compiled,
    paramValues(spec, compiled.sizes, bindings.params ?? {}),
    "step",
  );
  const jacobian: Block[] = o.jacobian ? await jacobianBlocks(ref, stem, o) : [];
  sections.push(networkSection(description, stem, jacobian));
  if (matchStudentTeacher(compiled)?.rule === "curl-descent") sections.push(curlDescentSection(stem, o.seed));
  if (o.simulate) {
    const file = `${o.out}/${stem}-simulation.json`;
    const args = [
      ref,
      ...o.sets.flatMap((s) => ["--set", s]),
      "--epochs",
      String(o.epochs),
      "--seed",
      String(o.seed),
      "--no-lyapunov",
      "--out",
      file,
    ];
    const quiet = captureIO();
    try {
      await simulateCommand.run(args, quiet.io);
      const section = resultSection(
        `${stem}-simulation.json`,
        readResult(file),
        `${stem}-simulation`,
        "simulation",
      );
      sections.push({
        ...section,
        title: "Simulation",
        blocks: [
          {
            kind: "code",
            caption: "A short run of",
            text: `learndyn simulate ${args.slice(0, -2).join(" ")}`,
          },
          ...section.blocks,
        ],
      });
    } catch (e) {
      if (!(e instanceof LearndynError)) throw e;
      sections.push(failedSection("simulation", "Simulation", e));
    }
    for (const line of quiet.err) io.err(`report: ${line}`);
  }
  return sections;
}

function ruleText(rule: RuleSpec | NetworkRuleSpec, kind: "scalar" | "network", from: string, text: string) {
  return {
    name: rule.name,
    kind,
    from,
    text,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    ...(rule.source !== undefined ? { source: rule.source } : {}),
  };
}

/**
 * The nonzero Jacobian spectrum at the origin and at the teacher point, as `learndyn jacobian
 * --json` computes it, as a table and a figure in the complex plane. A point the rule refuses
 * (no teacher of the states' shapes, a map) is reported instead.
 */
async function jacobianBlocks(ref: string, stem: string, o: Options): Promise<Block[]> {
  const rows: (string | number | boolean | null)[][] = [];
  const spectra: { at: string; eigenvalues: { re: number; im: number }[] }[] = [];
  const notes: string[] = [];
  for (const at of ["origin", "manifold"]) {
    const quiet = captureIO();
    try {
      await jacobianCommand.run(
        [ref, "--at", at, "--seed", String(o.seed), "--json", ...o.sets.flatMap((s) => ["--set", s])],
        quiet.io,
      );
    } catch (e) {
      if (!(e instanceof LearndynError)) throw e;
      notes.push(`at ${at}: not computed (${e.message})`);
      continue;
    }
    const r = JSON.parse(quiet.out.join("")) as {
      field: string;
      point: { residual: number; fixedPoint: boolean };
      structure: { dimension: number };
      nonzeroSpectrum: {
        rank: number;
        zeroModes: number;
        rightmost: { re: number; im: number } | null;
        stable: boolean | null;
        eigenvalues: { re: number; im: number }[];
      };
    };
    const s = r.nonzeroSpectrum;
    rows.push([
      at,
      r.field,
      r.structure.dimension,
      r.point.residual,
      r.point.fixedPoint,
      s.rank,
      s.zeroModes,
      s.rightmost?.re ?? null,
      s.stable === null ? "no verdict (not a fixed point)" : s.stable ? "stable" : "unstable",
    ]);
    spectra.push({ at, eigenvalues: s.eigenvalues });
  }
  const blocks: Block[] = [];
  if (rows.length > 0) {
    blocks.push({
      kind: "table",
      caption: "Jacobian of the field (learndyn jacobian): nonzero spectrum from sketches of the operator",
      head: [
        "at",
        "field",
        "dimension",
        "|F|",
        "fixed point",
        "rank",
        "zero modes",
        "rightmost Re λ",
        "verdict off the zero modes",
      ],
      rows,
    });
    blocks.push({
      kind: "figure",
      name: `${stem}-jacobian-spectrum`,
      figure: {
        title: "Nonzero Jacobian eigenvalues in the complex plane",
        xLabel: "Re λ",
        yLabel: "Im λ",
        series: spectra.map((s, k) => ({
          x: s.eigenvalues.map((e) => e.re),
          y: s.eigenvalues.map((e) => e.im),
          label: `at ${s.at}`,
          color: ["#1f77b4", "#d62728"][k]!,
          markers: true,
          markersOnly: true,
        })),
      },
      caption:
        "Each point is one nonzero eigenvalue of the Jacobian; the zero modes (the table counts them) are left out.",
      data: spectra,
    });
  }
  for (const note of notes) blocks.push({ kind: "paragraph", text: `Jacobian ${note}.` });
  return blocks;
}

/**
 * Seed 001's curl descent: the analytic phase diagram of the hidden layer (a 160 × 161 grid, a
 * second or so) and the predicted spectrum of X at one point against a sampled matrix (M = 300).
 */
function curlDescentSection(stem: string, seed: number): ReportSection {
  const { map, boundary } = phaseDiagram("hidden", {
    nc: 160,
    nalpha: 161,
    boundaryAlphas: Array.from({ length: 41 }, (_, k) => k / 40),
  });
  const point = { c: 0.5, alphaH: 0.3, alphaR: 0 };
  const spectrum = spectrumFigure(point, 300, seed);
  return {
    id: "seed001",
    title: "Spectra and phase diagrams (seed 001, appendix B.4)",
    blocks: [
      {
        kind: "paragraph",
        text: "The rule matches seed 001's two-layer curl descent, whose stability on the solution manifold is decided by the lower edge of X = ‖W2‖²D1 + W1ᵀD2W1, computed by free probability: stable where the edge is above 0.",
      },
      {
        kind: "figure",
        name: `${stem}-phase-hidden`,
        figure: phaseFigure(map, boundary),
        caption: `Analytic phase diagram of the hidden layer (α_r = 0) on a ${map.c.length} × ${map.alpha.length} grid, with the boundary c*(α_h); ${map.failures.length} failed points. learndyn phase curl-descent --layer hidden --out DIR writes the full-resolution map.`,
        data: phaseDiagramJson(map, boundary),
      },
      {
        kind: "figure",
        name: `${stem}-spectrum`,
        figure: spectrum.figure,
        caption: `Predicted density of X at c = ${point.c}, α_h = ${point.alphaH}, α_r = ${point.alphaR} against the eigenvalues of one sampled matrix (M = 300, seed ${seed}): predicted lower edge ${spectrum.data.lowerEdge?.toPrecision(5) ?? "—"}, smallest sampled eigenvalue ${spectrum.data.smallestEigenvalue.toPrecision(5)}.`,
        data: spectrum.data,
      },
    ],
  };
}

/**
 * The page's "Claims checked" section: the catalog's claims about the rules given (related: at an
 * equation a rule's source cites; all: every claim of the seed papers they cite) or the claims
 * listed, each run once and shown with the rules it concerns; null with --claims none or no rule.
 */
function claimSection(rules: readonly { name: string; source?: string }[], o: Options): ReportSection | null {
  if (o.claims === "none" || rules.length === 0) return null;
  const title = "Claims checked";
  const catalog = claimCatalog();
  if (!catalog) {
    return {
      id: "claims",
      title,
      blocks: [
        {
          kind: "paragraph",
          text: "No theorem catalog is installed (learndyn check needs it): no claims checked.",
        },
      ],
    };
  }
  const all = catalog.claims();
  const seedOf = (source: string | undefined) => /seed\s+(\d{3})/i.exec(source ?? "")?.[1];
  const about = new Map<string, string[]>();
  for (const r of rules) {
    // A listed claim is shown with the rules it is related to (or as "listed").
    const ids =
      o.claims === "all"
        ? all.filter((c) => c.seed === seedOf(r.source)).map((c) => c.id)
        : relatedClaimIds(catalog, r.source).filter((id) => o.claims === "related" || o.claims.includes(id));
    for (const id of ids) about.set(id, [...(about.get(id) ?? []), r.name]);
  }
  if (Array.isArray(o.claims)) for (const id of o.claims) if (!about.has(id)) about.set(id, []);
  const cited = rules.map((r) => `${r.name}: ${r.source ?? "no source"}`).join("; ");
  if (about.size === 0) {
    return {
      id: "claims",
      title,
      blocks: [
        {
          kind: "paragraph",
          text: `The theorem catalog has no claim ${o.claims === "all" ? "of a seed paper" : "at an equation"} the rules' sources cite (${cited}); learndyn check runs them all.`,
        },
      ],
    };
  }
  const ids = all.map((c) => c.id).filter((id) => about.has(id));
  const reports: ClaimReport[] = ids.flatMap((id) => catalog.run({ claimId: id }));
  const scope =
    o.claims === "related"
      ? `at an equation a rule's source cites (${cited})`
      : o.claims === "all"
        ? `of the seed papers the rules cite (${cited})`
        : "listed with --claims";
  return claimsSection(reports, "claims", scope, about);
}

function failedSection(id: string, title: string, e: Error): ReportSection {
  return { id, title, blocks: [{ kind: "paragraph", text: `Not computed: ${e.message}` }] };
}

/** An IO that keeps what a command prints. */
function captureIO(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => void out.push(t), err: (t) => void err.push(t) }, out, err };
}

function fmtParams(p: Record<string, number>): string {
  return (
    Object.entries(p)
      .map(([k, v]) => `${k} = ${v}`)
      .join(", ") || "no parameters"
  );
}

function fmtPoint(y: readonly number[]): string {
  return `(${y.map((v) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v)).join(", ")})`;
}
