/**
 * `learndyn continue RULE --param NAME=A:B [--param OTHER=V]...`: the bifurcation diagram of a
 * scalar rule's fixed points in one parameter (src/analysis/continuation), as text or JSON, and
 * with --out a figure.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bifurcationDiagram } from "../../analysis/continuation/diagram.ts";
import { type TwoParameterCurve, twoParameterCurve } from "../../analysis/continuation/two-parameter.ts";
import { findInvariants } from "../../analysis/invariants.ts";
import { type Expr, fromPoly } from "../../expr/index.ts";
import { bifurcationFigure, twoParameterFigure } from "../../report/bifurcation-figure.ts";
import { writeFigure } from "../../report/figure.ts";
import { paramValues } from "../../rules/index.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { parseRange, parseStateValues, ruleWithParams, scalarRuleArgument } from "../param-option.ts";

const usage = `usage: learndyn continue RULE --param NAME=A:B [options]

Branches of fixed points of a scalar rule followed by pseudo-arclength continuation in one
parameter over [A, B], with their stability, and the fold, transcritical, pitchfork, Hopf (flows)
and flip (maps) points on them, located on extended systems; at branch points the other branch
is followed too.

options:
  --param NAME=V     another parameter's value (repeatable; defaults from the rule)
  --from X=V,...     for rules whose fixed points form families: follow the fixed points on the
                     level set of the rule's polynomial invariants through this point
  --two NAME=C:D     also continue every fold and Hopf point found in (the first parameter,
                     NAME) for NAME in [C, D], with cusp points on fold curves; the figure is
                     then drawn in the parameter plane
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
        two: { type: "string" },
        ds: { type: "string" },
        state: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
      },
    });
    const { rule, ranges } = ruleWithParams(fn, scalarRuleArgument(fn, positionals), values.param, {
      ranges: true,
    });
    const free = Object.keys(ranges);
    if (free.length !== 1)
      throw new InvalidArgumentError(
        fn,
        "--param",
        "exactly one range NAME=A:B",
        free.length === 0 ? "none" : free.join(", "),
      );
    const param = free[0]!;
    const vals = paramValues(rule);
    const state = values.state ?? rule.states[0]!;
    if (!rule.states.includes(state))
      throw new InvalidArgumentError(fn, "--state", `a state (${rule.states.join(", ")})`, state);
    let constraint: { invariants: Expr[]; x0: number[] } | undefined;
    if (values.from) {
      const x0v = parseStateValues(fn, "from", values.from);
      const x0 = rule.states.map((s) => {
        if (x0v[s] === undefined)
          throw new InvalidArgumentError(
            fn,
            "--from",
            `a value for every state (${rule.states.join(", ")})`,
            values.from,
          );
        return x0v[s];
      });
      const invariants = findInvariants(rule).map(fromPoly);
      if (invariants.length === 0)
        throw new InvalidArgumentError(
          fn,
          "--from",
          "a rule with polynomial invariants",
          `rule "${rule.name}" (none found)`,
        );
      constraint = { invariants, x0 };
    }
    const d = bifurcationDiagram(
      rule,
      param,
      ranges[param]!,
      { ...vals, [param]: ranges[param]![0] },
      {
        ...(values.ds ? { ds: numberOption(fn, "ds", values.ds, { greaterThan: 0 }) } : {}),
        ...(constraint ? { constraint } : {}),
      },
    );
    const curves: TwoParameterCurve[] = [];
    if (values.two) {
      const [q, qRange] = parseRange(fn, "--two", values.two);
      if (q === param || !rule.params.some((x) => x.name === q))
        throw new InvalidArgumentError(
          fn,
          "--two",
          `NAME=C:D for another parameter of rule "${rule.name}"`,
          values.two,
        );
      const q0 = vals[q];
      if (q0 === undefined)
        throw new InvalidArgumentError(fn, "--param", `a value of ${q} (where --two starts)`, "none");
      // a point already on a computed curve (two folds joined through a cusp) starts no new one:
      // the curve's points straddling q0, interpolated, within a quarter of that segment's length
      // of it (linear interpolation is off by ~ h^2 curvature / 8, well inside that)
      const onCurve = (e: { x: number[]; p: number }, c: TwoParameterCurve) =>
        c.points.some((b, k) => {
          const a = c.points[k - 1];
          if (!a || (a.q - q0) * (b.q - q0) > 0 || a.q === b.q) return false;
          const w = (q0 - a.q) / (b.q - a.q);
          const dx = e.x.reduce((s, v, i) => s + (v - a.x[i]! - w * (b.x[i]! - a.x[i]!)) ** 2, 0);
          const h = Math.sqrt(
            b.x.reduce((s, v, i) => s + (v - a.x[i]!) ** 2, 0) + (b.p - a.p) ** 2 + (b.q - a.q) ** 2,
          );
          return Math.sqrt(dx + (e.p - a.p - w * (b.p - a.p)) ** 2) < 0.25 * h;
        });
      for (const e of d.bifurcations) {
        if (e.kind !== "fold" && e.kind !== "hopf") continue;
        if (curves.some((c) => c.kind === e.kind && onCurve(e, c))) continue;
        curves.push(twoParameterCurve(rule, e.kind, [param, q], { x: e.x, p: e.p }, qRange, vals));
      }
    }
    const result = values.two ? { ...d, curves } : d;
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      const base = join(values.out, `${rule.name}-continuation${values.two ? "-two-parameter" : ""}`);
      writeJson(`${base}.json`, result);
      const f = writeFigure(
        base,
        values.two ? twoParameterFigure(rule.name, curves) : bifurcationFigure(d, state),
      );
      io.err(`wrote ${base}.json, ${f.svg}, ${f.png}\n`);
    }
    if (values.json) {
      io.out(`${toJson(result)}\n`);
      return 0;
    }
    const L = [`rule ${d.rule}: fixed points in ${param} over [${d.range.join(", ")}]`];
    d.branches.forEach((b, k) => {
      const changes = b.points.filter((q, i) => i > 0 && q.stable !== b.points[i - 1]!.stable).length;
      L.push(
        `  branch ${k}: ${b.points.length} points from ${b.from}; ${changes} stability changes; ${b.stop}`,
      );
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
    for (const c of curves) {
      L.push(`${c.kind} curve in (${c.params.join(", ")}): ${c.points.length} points; ${c.stop}`);
      for (const e of c.codim2)
        L.push(
          `  ${e.kind} at (${c.params.join(", ")}) = (${e.p.toPrecision(10)}, ${e.q.toPrecision(10)}), (${d.states.join(", ")}) = (${e.x.map((v) => v.toPrecision(10)).join(", ")})`,
        );
      for (const n of c.notes) L.push(`  note: ${n}`);
    }
    for (const n of d.notes) L.push(`note: ${n}`);
    io.out(`${L.join("\n")}\n`);
    return 0;
  },
};
