/**
 * `learndyn portrait RULE [--param NAME=V]... [--x A:B --y A:B] [--axes X,Y --slice Z=V]`: the
 * phase portrait of a two-state flow (or a 2-D slice) as JSON, SVG and PNG (src/phase/phase-portrait.ts).
 */
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { writePortrait } from "../../report/portrait-figure.ts";
import { paramValues } from "../../rules/index.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { parseStateValues, ruleWithParams, scalarRuleArgument } from "../param-option.ts";

const usage = `usage: learndyn portrait RULE [options]

The phase portrait of a two-state flow, or of a 2-D slice of a larger one: the field's
directions, nullclines, fixed points with their class, curves of fixed points, stable and
unstable manifolds of saddles, trajectories, and separatrices (level sets of a polynomial
invariant touching a curve of fixed points).

options:
  --param NAME=V   a parameter's value (repeatable; defaults from the rule)
  --x A:B          range of the first axis (default -2:2); --y A:B likewise
  --axes X,Y       the two states drawn (rules with more than two states)
  --slice Z=V,...  values of the other states
  --time T         trajectory and manifold integration time (default 20)
  --out DIR        output folder (default .): writes DIR/<rule>-portrait.{json,svg,png}`;

function range(fn: string, name: string, text: string | undefined): [number, number] {
  if (text === undefined) return [-2, 2];
  const [a, b] = text.split(":").map(Number);
  if (!(Number.isFinite(a) && Number.isFinite(b) && a! < b!))
    throw new InvalidArgumentError(fn, `--${name}`, "A:B with A < B", text);
  return [a!, b!];
}

export const portraitCommand: Command = {
  name: "portrait",
  summary: "phase portrait of a two-state rule or a 2-D slice (PNG, SVG, JSON)",
  usage,
  async run(argv, io) {
    const fn = "portrait";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: "string", multiple: true },
        x: { type: "string" },
        y: { type: "string" },
        axes: { type: "string" },
        slice: { type: "string" },
        time: { type: "string" },
        out: { type: "string" },
      },
    });
    const { rule } = ruleWithParams(fn, scalarRuleArgument(fn, positionals), values.param);
    const axes = values.axes?.split(",").map((s) => s.trim());
    if (axes && axes.length !== 2)
      throw new InvalidArgumentError(fn, "--axes", "two states X,Y", values.axes);
    const out = values.out ?? ".";
    mkdirSync(out, { recursive: true });
    const { portrait, files } = writePortrait(out, `${rule.name}-portrait`, rule, {
      params: paramValues(rule),
      ...(axes ? { axes: axes as [string, string] } : {}),
      ...(values.slice ? { slice: parseStateValues(fn, "slice", values.slice) } : {}),
      xRange: range(fn, "x", values.x),
      yRange: range(fn, "y", values.y),
      ...(values.time ? { time: numberOption(fn, "time", values.time, { greaterThan: 0 }) } : {}),
    });
    const L = [`phase portrait of ${rule.name} in (${portrait.axes.join(", ")})`];
    for (const f of portrait.fixedPoints)
      L.push(`  ${f.class} at (${f.at.map((v) => v.toPrecision(8)).join(", ")})`);
    for (const f of portrait.families) L.push(`  curve of fixed points ${f.equation}`);
    for (const s of portrait.separatrices) L.push(`  separatrix ${s.invariant} = ${s.level.toPrecision(10)}`);
    for (const n of portrait.notes) L.push(`note: ${n}`);
    L.push(`wrote ${files.join(", ")}`);
    io.out(`${L.join("\n")}\n`);
    return 0;
  },
};
