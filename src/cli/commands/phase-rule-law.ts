/**
 * `learndyn phase RULE --over X,Y --out DIR [--set NAME=V]...`: the analytic stability map of a
 * network rule at its teacher point, from the random-matrix law derived from the rule file
 * (src/phase/teacher-point/teacher-point-law.ts). The law is written as
 * DIR/<rule>-teacher-point.matrix (readable, editable, and the input of `phase FILE.matrix` and
 * `spectrum FILE.matrix`), then mapped as an expression file is.
 *
 * --set: a choice, size or parameter of the rule sets the rule (the law's defaults come from
 * it: e.g. alphaH); any other name sets a param of the law (c, r_N2, ...).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveChoices, resolveParams, resolveSizes } from "../../ir/bind.ts";
import { teacherPointLaw } from "../../phase/teacher-point/teacher-point-law.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { assignmentOption } from "../args.ts";
import type { CliIO } from "../command.ts";
import { type ExpressionPhaseCliOptions, expressionTextPhase } from "./phase-expression.ts";

export function ruleLawPhaseCommand(ref: string, o: ExpressionPhaseCliOptions, io: CliIO): number {
  const fn = "phase";
  const rule = loadNetworkRule(ref);
  if (o.out === undefined)
    throw new InvalidArgumentError(fn, "--out", "a directory for the law and the map's files", "nothing");
  const sizes: Record<string, number> = {};
  const params: Record<string, number> = {};
  const choices: Record<string, string> = {};
  const lawSets: string[] = [];
  for (const t of o.set) {
    const [k, v] = assignmentOption(fn, "set", t);
    if (rule.choices.some((c) => c.name === k)) choices[k] = String(v);
    else if (typeof v !== "number")
      throw new InvalidArgumentError(fn, "--set", "NAME=NUMBER (or a choice of the rule)", t);
    else if (rule.sizes.some((s) => s.name === k)) sizes[k] = v;
    else if (rule.params.some((p) => p.name === k)) params[k] = v;
    else lawSets.push(t);
  }
  const resolvedSizes = resolveSizes(rule, sizes);
  const env = { ...resolvedSizes, ...resolveParams(rule, resolvedSizes, params) };
  const law = teacherPointLaw(rule, { choices: resolveChoices(rule, choices), env, source: ref });
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, `${rule.name}-teacher-point.matrix`);
  writeFileSync(file, law.matrixFile);
  const teacherOf = Object.fromEntries(law.teacherOf);
  return expressionTextPhase(law.matrixFile, file, { ...o, set: lawSets }, io, {
    json: {
      rule: rule.name,
      law: { file, error: law.error, teacherOf, scalars: law.scalars, params: law.params },
    },
    lines: [
      `${rule.name}: the Jacobian at the teacher point (${Object.entries(teacherOf)
        .map(([s, t]) => `${s} = ${t}`)
        .join(", ")}) has nonzero eigenvalues -spec(p), p derived from the rule in ${file}`,
      ...law.scalars.map((s) => `  scalar ${s.word} -> ${s.limit} in the limit`),
    ],
  });
}
