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
import { checkLawBySampling, LAW_CHECK_MAX_SIZE } from "../../phase/teacher-point/law-check.ts";
import { teacherPointLaw } from "../../phase/teacher-point/teacher-point-law.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { assignmentOption, numberOption } from "../args.ts";
import type { CliIO } from "../command.ts";
import { type ExpressionPhaseCliOptions, expressionTextPhase } from "./phase-expression.ts";

export function ruleLawPhaseCommand(
  ref: string,
  o: ExpressionPhaseCliOptions & { sample?: string; seed?: string },
  io: CliIO,
): number {
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
  const n =
    o.sample === undefined
      ? undefined
      : numberOption(fn, "sample", o.sample, { integer: true, min: 10, max: LAW_CHECK_MAX_SIZE });
  const seed = numberOption(fn, "seed", o.seed, { integer: true, min: 0 }, 1);
  if (o.seed !== undefined && n === undefined)
    throw new InvalidArgumentError(fn, "--seed", "given with --sample", o.seed);
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
    after:
      n === undefined
        ? undefined
        : (p) => {
            const checks = checkLawBySampling(
              rule,
              law,
              p.boundary,
              { x: p.x, y: p.y },
              { n, seed, params: { ...law.params, ...p.params }, choices },
            );
            const verdict = (s: { x: number; stable: boolean; rightmost: number }) =>
              `${s.x.toPrecision(4)} ${s.stable ? "stable" : "unstable"} (max Re λ ${s.rightmost.toExponential(2)})`;
            return {
              json: { sampleCheck: { size: n, seed, rows: checks } },
              lines: [
                `drawn from the rule (smallest dimension ${n}, seed ${seed}), the teacher point on either side of ${p.x.name}*:`,
                ...checks.map(
                  (c) =>
                    `  ${p.y.name} = ${c.y.toFixed(4)}: ${p.x.name} = ${verdict(c.below)}; ${verdict(c.above)}: ${c.agrees ? "as the law says" : "NOT as the law says"}`,
                ),
              ],
            };
          },
  });
}
