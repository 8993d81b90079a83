/**
 * `learndyn compile RULE [--set NAME=VALUE]... [--program step|field|error|targets|hoist] [--json]`:
 * what a network rule lowers to. Prints the rule's sizes, parameters, choices, states, fixed
 * tensors (drawn and hoisted), per-sample data and one program of the tensor IR
 * (src/ir/program.ts, listed by src/ir/format.ts), at the defaults or the values set.
 */
import { parseArgs } from "node:util";
import { classifyBindings, evaluateScalar } from "../../ir/bind.ts";
import { formatProgram } from "../../ir/format.ts";
import { compileModel } from "../../ir/model.ts";
import type { CompiledRule, IrProgram } from "../../ir/program.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { builtinNetworkRuleNames } from "../../rules/network/builtin-network-rules.ts";
import { formatMatrixExpr } from "../../rules/network/parse-matrix-expr.ts";
import type { LawSpec, NetworkRuleSpec } from "../../rules/network/spec.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { plainNumber } from "../../util/plain-number.ts";
import { own, recordOf } from "../../util/record.ts";
import { assignmentOption } from "../args.ts";
import type { Command } from "../command.ts";

export const PROGRAMS = ["step", "field", "error", "targets", "hoist"] as const;
export type ProgramName = (typeof PROGRAMS)[number];

/** A law as written in the rule file, e.g. `normal(sd = 1/sqrt(M))`. */
function formatLaw(law: LawSpec): string {
  const args = Object.entries(law.args).map(([k, v]) => `${k} = ${formatMatrixExpr(v)}`);
  return args.length > 0 ? `${law.law}(${args.join(", ")})` : law.law;
}

/** Parameter values: set, else the default (evaluated at the sizes), else null. */
export function paramValues(
  spec: NetworkRuleSpec,
  sizes: Readonly<Record<string, number>>,
  set: Readonly<Record<string, number>>,
): Record<string, number | null> {
  const known: [string, number][] = Object.entries(sizes);
  const out: [string, number | null][] = [];
  for (const p of spec.params) {
    const value =
      own(set, p.name) ??
      (p.default ? evaluateScalar(p.default, recordOf(known), spec.file, `the default of ${p.name}`) : null);
    out.push([p.name, value]);
    if (value !== null) known.push([p.name, value]);
  }
  return recordOf(out);
}

/** The programs a compiled rule has under each name (error: the train and the test program). */
function programsOf(c: CompiledRule, name: ProgramName): { label: string; program: IrProgram }[] {
  switch (name) {
    case "step":
      return [{ label: "step", program: c.step }];
    case "targets":
      return [{ label: "targets", program: c.targets }];
    case "hoist":
      return [{ label: "hoist", program: c.hoist }];
    case "field":
      if (!c.field) {
        throw new InvalidArgumentError(
          "compile",
          "--program",
          `one of step, error, targets, hoist (rule "${c.name}" is a map: it has no field)`,
          name,
        );
      }
      return [{ label: "field", program: c.field }];
    case "error":
      if (!c.error) {
        throw new InvalidArgumentError(
          "compile",
          "--program",
          `one of step, ${c.field ? "field, " : ""}targets, hoist (rule "${c.name}" declares no error)`,
          name,
        );
      }
      return [
        { label: "error (train)", program: c.error.train },
        { label: "error (test)", program: c.error.test },
      ];
  }
}

/** Everything `compile` reports about a compiled rule, as plain data. */
export function describeCompiled(
  spec: NetworkRuleSpec,
  c: CompiledRule,
  params: Readonly<Record<string, number | null>>,
  name: ProgramName,
) {
  const names = {
    states: c.states.map((s) => s.name),
    fixed: c.fixed.map((f) => f.name),
    params: c.params,
    data: c.data.map((d) => d.name),
  };
  return {
    rule: c.name,
    kind: c.kind,
    ...(spec.source !== undefined ? { source: spec.source } : {}),
    sizes: c.sizes,
    params,
    choices: recordOf(
      spec.choices.map((ch) => [ch.name, { value: own(c.choices, ch.name)!, options: ch.options }]),
    ),
    states: c.states.map((s, k) => ({
      name: s.name,
      rows: s.rows,
      cols: s.cols,
      renormalize: s.renormalize,
      law: formatLaw(spec.states[k]!.law),
    })),
    fixed: c.fixed.map((f, k) =>
      f.origin === "drawn"
        ? {
            name: f.name,
            rows: f.rows,
            cols: f.cols,
            origin: f.origin,
            role: spec.fixed[k]!.role,
            law: formatLaw(spec.fixed[k]!.law),
          }
        : { name: f.name, rows: f.rows, cols: f.cols, origin: f.origin },
    ),
    data: c.data.map((d, k) => ({
      name: d.name,
      rows: d.rows,
      cols: d.cols,
      kind: k < c.inputCount ? "input" : "target",
    })),
    samples: c.samples,
    minibatch: c.minibatch,
    programs: programsOf(c, name).map(({ label, program }) => ({
      name: label,
      samples: program.samples,
      sampleCount: program.sampleCount,
      nodes: program.nodes,
      outputs: program.outputs,
      listing: formatProgram(program, names),
    })),
  };
}

/** The readable report. */
export function formatCompiled(d: ReturnType<typeof describeCompiled>): string {
  const shape = (t: { rows: number; cols: number }) => `[${t.rows},${t.cols}]`;
  const list = (items: string[]) => (items.length > 0 ? items.join(", ") : "none");
  const lines = [
    `rule ${d.rule} (${d.kind})${d.source ? `: ${d.source}` : ""}`,
    `sizes: ${list(Object.entries(d.sizes).map(([k, v]) => `${k} = ${v}`))}`,
    `params: ${list(Object.entries(d.params).map(([k, v]) => `${k} = ${v === null ? "(no default)" : plainNumber(v)}`))}`,
    `choices: ${list(Object.entries(d.choices).map(([k, v]) => `${k} = ${v.value} (of ${v.options.join(" | ")})`))}`,
    "states:",
    ...d.states.map((s) => `  ${s.name} ${shape(s)} ~ ${s.law}${s.renormalize ? ", renormalized" : ""}`),
    "fixed:",
    ...(d.fixed.length > 0
      ? d.fixed.map(
          (f) =>
            `  ${f.name} ${shape(f)} ${"law" in f ? `${f.role} ~ ${f.law}` : "hoisted: computed once per run"}`,
        )
      : ["  none"]),
    "data:",
    ...(d.data.length > 0 ? d.data.map((x) => `  ${x.name} ${shape(x)} ${x.kind}`) : ["  none"]),
    d.samples
      ? `samples: train ${d.samples.train}, test ${d.samples.test}; minibatch ${d.minibatch}`
      : "samples: none (one step per epoch)",
  ];
  for (const p of d.programs) lines.push("", `program ${p.name}:`, p.listing);
  return lines.join("\n");
}

export const compileCommand: Command = {
  name: "compile",
  summary: "what a network rule lowers to: sizes, parameters, choices, tensors and an IR program",
  usage: [
    "usage: learndyn compile <rule file | built-in network rule> [--set NAME=VALUE]... [--program P] [--json]",
    "",
    `built-in network rules: ${builtinNetworkRuleNames().join(", ")}`,
    "",
    "  --set NAME=VALUE   a size, parameter or choice of the rule (repeatable)",
    `  --program P        the program to list: ${PROGRAMS.join(", ")} (default step; error lists train and test)`,
    "  --json             one JSON object: rule, kind, sizes, params, choices, states, fixed, data, programs",
  ].join("\n"),
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        set: { type: "string", multiple: true },
        program: { type: "string", default: "step" },
        json: { type: "boolean", default: false },
      },
    });
    if (positionals.length !== 1) {
      throw new InvalidArgumentError(
        "compile",
        "rule",
        `exactly one rule file or built-in network rule (${builtinNetworkRuleNames().join(", ")})`,
        positionals.length === 0 ? "none" : positionals.join(" "),
      );
    }
    const program = values.program as ProgramName;
    if (!PROGRAMS.includes(program))
      throw new InvalidArgumentError("compile", "--program", `one of ${PROGRAMS.join(", ")}`, values.program);
    const spec = loadNetworkRule(positionals[0]!);
    const settings = (values.set ?? []).map((t) => assignmentOption("compile", "set", t));
    const seen = new Set<string>();
    for (const [name] of settings) {
      if (seen.has(name)) throw new InvalidArgumentError("compile", "--set", "each name at most once", name);
      seen.add(name);
    }
    const bindings = classifyBindings(spec, recordOf(settings), "compile --set");
    const { compiled } = compileModel(spec, bindings);
    const description = describeCompiled(
      spec,
      compiled,
      paramValues(spec, compiled.sizes, bindings.params ?? {}),
      program,
    );
    io.out(values.json ? toJson(description) : formatCompiled(description));
    return 0;
  },
};
