/**
 * `learndyn continue RULE --param NAME=A:B [--param OTHER=V]...`: the bifurcation diagram of a
 * scalar rule's fixed points in one parameter (src/analysis/continuation), as text or JSON, and
 * with --out a figure.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bifurcationDiagram } from "../../analysis/continuation/diagram.ts";
import { findInvariants } from "../../analysis/invariants.ts";
import { paramValues } from "../../analysis/numeric-field.ts";
import { fromPoly } from "../../expr/index.ts";
import { bifurcationFigure } from "../../report/bifurcation-figure.ts";
import { writeFigure } from "../../report/figure.ts";
import { loadRule } from "../../rules/index.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { parseParamOptions, parseStateValues } from "../param-option.ts";

const usage = `usage: learndyn continue RULE --param NAME=A:B [options]

Branches of fixed points of a scalar rule followed by pseudo-arclength continuation in one
parameter over [A, B], with their stability, and the fold, transcritical, pitchfork, Hopf (flows)
and flip (maps) points on them, located on extended systems; at branch points the other branch
is followed too.

options:
  --param NAME=V     another parameter's value (repeatable; defaults from the rule)
  --from X=V,...     for rules whose fixed points form families: follow the fixed points on the
                     level set of the rule's polynomial invariants through this point
  --ds H             arclength step (default (B - A)/100)
  --state X          the state drawn in the figure (default the first)
  --out DIR          write DIR/<rule>-continuation.{json,svg,png}
  --json             the diagram as one JSON object`;

export const continueCommand: Command = {
  name: "continue",
  summary: "bifurcation diagram of a scalar rule's fixed points in one parameter",
  usage,
  async run(argv, io) {
    const fn = "continue";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: "string", multiple: true },
        from: { type: "string" },
        ds: { type: "string" },
        state: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
      },
    });
    if (positionals.length !== 1)
      throw new InvalidArgumentError(fn, "RULE", "one scalar rule (a built-in name or a rule file)", positionals.join(" ") || "nothing");
    const rule = loadRule(positionals[0]!);
    const params = parseParamOptions(fn, values.param);
    const free = Object.keys(params.ranges);
    if (free.length !== 1)
      throw new InvalidArgumentError(fn, "--param", "exactly one range NAME=A:B", free.length === 0 ? "none" : free.join(", "));
    const param = free[0]!;
    const vals = paramValues(rule, params.values, fn);
    if (!rule.params.some((p) => p.name === param))
      throw new InvalidArgumentError(fn, "--param", `a parameter of rule "${rule.name}" (${rule.params.map((p) => p.name).join(", ")})`, param);
    const state = values.state ?? rule.states[0]!;
    if (!rule.states.includes(state)) throw new InvalidArgumentError(fn, "--state", `a state (${rule.states.join(", ")})`, state);
    let constraint;
    if (values.from) {
      const x0v = parseStateValues(fn, "from", values.from);
      const x0 = rule.states.map((s) => {
        if (x0v[s] === undefined) throw new InvalidArgumentError(fn, "--from", `a value for every state (${rule.states.join(", ")})`, values.from);
        return x0v[s];
      });
      const invariants = findInvariants(rule).map(fromPoly);
      if (invariants.length === 0) throw new InvalidArgumentError(fn, "--from", "a rule with polynomial invariants", `rule "${rule.name}" (none found)`);
      constraint = { invariants, x0 };
    }
    const d = bifurcationDiagram(rule, param, params.ranges[param]!, { ...vals, [param]: params.ranges[param]![0] }, {
      ...(values.ds ? { ds: numberOption(fn, "ds", values.ds, { greaterThan: 0 }) } : {}),
      ...(constraint ? { constraint } : {}),
    });
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      const base = join(values.out, `${rule.name}-continuation`);
      writeJson(`${base}.json`, d);
      const f = writeFigure(base, bifurcationFigure(d, state));
      io.err(`wrote ${base}.json, ${f.svg}, ${f.png}\n`);
    }
    if (values.json) {
      io.out(`${toJson(d)}\n`);
      return 0;
    }
    const L = [`rule ${d.rule}: fixed points in ${param} over [${d.range.join(", ")}]`];
    d.branches.forEach((b, k) => {
      const changes = b.points.filter((q, i) => i > 0 && q.stable !== b.points[i - 1]!.stable).length;
      L.push(`  branch ${k}: ${b.points.length} points from ${b.from}; ${changes} stability changes; ${b.stop}`);
    });
    L.push("bifurcations:");
    for (const e of d.bifurcations)
      L.push(
        `  ${e.kind} at ${param} = ${e.p.toPrecision(10)}, (${d.states.join(", ")}) = (${e.x.map((v) => v.toPrecision(10)).join(", ")})${e.frequency ? `, frequency ${e.frequency.toPrecision(8)}` : ""}`,
      );
    if (d.bifurcations.length === 0) L.push("  none");
    if (d.symbolic) {
      L.push("closed-form branches:");
      for (const b of d.symbolic.branches) L.push(`  ${b}`);
      for (const e of d.symbolic.notSolved) L.push(`  not in closed form: ${e.join(", ")}`);
    }
    for (const n of d.notes) L.push(`note: ${n}`);
    io.out(`${L.join("\n")}\n`);
    return 0;
  },
};
