/**
 * The rule language: a learning rule as a small text file.
 *
 *     # the curl toy (seed 001, eq. 8)
 *     rule curl-toy
 *     source seed 001, eq. 8
 *     params s = 1
 *     state w1, w2
 *     d/dt w1 = w2*(s - w1*w2)
 *     d/dt w2 = -w1*(s - w1*w2)
 *
 * Lines: `rule NAME` (required), `source TEXT`, `description TEXT`, `params p1, p2 = value`
 * (values optional: a decimal number or a fraction such as 1/3; a parameter without one stays
 * symbolic), `state x1, x2`, and one equation per state: `d/dt x = EXPR` for a flow
 * or `x' = EXPR` for a map (the whole rule uses one form). `#` starts a comment. Expressions
 * use + - * / ^ (integer exponents), parentheses, decimal numbers and exp, log, sin, cos, tanh,
 * sqrt. Every problem is a {@link RuleError} or {@link ParseError} with line and column.
 */
import { type Expr, literalRangeProblem, ParseError, parseExpr, variablesOf } from "../expr/index.ts";
import { RuleError } from "./rule-error.ts";
import { isParamValueText, type ParamSpec, RESERVED_NAMES, type RuleKind, type RuleSpec } from "./spec.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Located {
  name: string;
  line: number;
  column: number;
}

/** Splits "a, b = 1, c" into items with their 1-based columns (offset = column of text start). */
function splitList(text: string, offset: number): { item: string; column: number }[] {
  const out: { item: string; column: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === ",") {
      const raw = text.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      out.push({ item: raw.trim(), column: offset + start + lead });
      start = i + 1;
    }
  }
  return out;
}

/** Parses a rule file; `source` names the file in error messages. */
export function parseRule(text: string, source = "rule"): RuleSpec {
  let name: string | undefined;
  let ruleSource: string | undefined;
  let description: string | undefined;
  let kind: RuleKind | undefined;
  let kindAt: Located | undefined;
  const states: Located[] = [];
  const params: (Located & { default?: string })[] = [];
  const equations = new Map<
    string,
    { expr: Expr; target: Located; exprLine: number; exprColumn: number; text: string }
  >();
  const fail: (reason: string, line: number, column: number) => never = (reason, line, column) => {
    throw new RuleError(reason, line, column, source);
  };
  const declared = new Map<string, Located>();
  const declare = (item: string, line: number, column: number, what: string): Located => {
    if (!NAME.test(item)) fail(`${what} name must be an identifier like w1, found "${item}"`, line, column);
    if ((RESERVED_NAMES as readonly string[]).includes(item)) {
      fail(`"${item}" is reserved (${RESERVED_NAMES.join(", ")}): choose another ${what} name`, line, column);
    }
    const prev = declared.get(item);
    if (prev)
      fail(`duplicate ${what} "${item}" (already declared at ${prev.line}:${prev.column})`, line, column);
    const loc = { name: item, line, column };
    declared.set(item, loc);
    return loc;
  };

  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const hash = rawLine.indexOf("#");
    const content = hash >= 0 ? rawLine.slice(0, hash) : rawLine;
    if (content.trim() === "") continue;
    const indent = content.length - content.trimStart().length;
    const body = content.trim();
    const col = (offsetInBody: number) => indent + offsetInBody + 1;
    const keyword = /^([A-Za-z]+)\s+(.*)$/.exec(body);
    const word = keyword?.[1];
    const rest = keyword?.[2] ?? "";
    const restCol = col(body.length - rest.length);
    if (word === "rule") {
      if (name !== undefined) fail(`second "rule" line (the rule is already named "${name}")`, line, col(0));
      if (!/^[A-Za-z0-9_.-]+$/.test(rest))
        fail(`rule name must be letters, digits, "-", "_" or ".", found "${rest}"`, line, restCol);
      name = rest;
      continue;
    }
    if (word === "source") {
      ruleSource = rest;
      continue;
    }
    if (word === "description") {
      description = rest;
      continue;
    }
    if (word === "params" || word === "param") {
      for (const { item, column } of splitList(rest, restCol)) {
        const eq = item.indexOf("=");
        const pname = (eq >= 0 ? item.slice(0, eq) : item).trim();
        const loc = declare(pname, line, column, "parameter");
        if (eq >= 0) {
          const value = item.slice(eq + 1).trim();
          if (!isParamValueText(value)) {
            fail(
              `default of parameter "${pname}" must be a decimal number or a fraction like 1/3, found "${value}"`,
              line,
              column + eq + 1,
            );
          }
          // a fraction's numerator and denominator are each a number within float64's range
          const problem = value.split("/").map(literalRangeProblem).find(Boolean);
          if (problem) {
            fail(`default of parameter "${pname}": ${problem}`, line, column + item.indexOf(value, eq));
          }
          params.push({ ...loc, default: value });
        } else params.push(loc);
      }
      continue;
    }
    if (word === "state" || word === "states") {
      for (const { item, column } of splitList(rest, restCol))
        states.push(declare(item, line, column, "state"));
      continue;
    }
    const flowEq = /^d\/dt\s+([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(body);
    const mapEq = /^([A-Za-z_][A-Za-z0-9_]*)'\s*=(.*)$/.exec(body);
    const m = flowEq ?? mapEq;
    if (!m) {
      fail(
        `expected "rule NAME", "source TEXT", "description TEXT", "params ...", "state ...", "d/dt x = ..." or "x' = ...", found "${body}"`,
        line,
        col(0),
      );
    }
    const thisKind: RuleKind = flowEq ? "flow" : "map";
    const targetCol = col(flowEq ? body.indexOf(m[1]!, 4) : 0);
    if (kind && kind !== thisKind) {
      fail(
        `equation of a ${thisKind} in a rule whose first equation (line ${kindAt!.line}) is a ${kind}: use either "d/dt x = ..." or "x' = ..." throughout`,
        line,
        col(0),
      );
    }
    kind = thisKind;
    kindAt ??= { name: m[1]!, line, column: targetCol };
    const target = { name: m[1]!, line, column: targetCol };
    const prev = equations.get(target.name);
    if (prev)
      fail(`second equation for "${target.name}" (first at line ${prev.target.line})`, line, targetCol);
    const exprText = m[2]!;
    const exprColumn = col(body.length - exprText.length);
    if (exprText.trim() === "") fail(`missing right-hand side for "${target.name}"`, line, exprColumn);
    const expr = parseExpr(exprText, { line, column: exprColumn, source });
    equations.set(target.name, { expr, target, exprLine: line, exprColumn, text: exprText });
  }

  if (name === undefined) fail('missing "rule NAME" line', 1, 1);
  if (states.length === 0) fail('missing "state x1, x2, ..." line', 1, 1);
  for (const eq of equations.values()) {
    if (!states.some((s) => s.name === eq.target.name)) {
      const isParam = params.some((p) => p.name === eq.target.name);
      fail(
        `equation for "${eq.target.name}", which is ${isParam ? "a parameter" : "not declared"}; states: ${states.map((s) => s.name).join(", ")}`,
        eq.target.line,
        eq.target.column,
      );
    }
    for (const v of variablesOf(eq.expr)) {
      if (!declared.has(v)) {
        const at = new RegExp(`(?<![A-Za-z0-9_])${v}(?![A-Za-z0-9_(])`).exec(eq.text);
        fail(
          `unknown variable "${v}" in the equation for "${eq.target.name}" (states: ${states.map((s) => s.name).join(", ")}; params: ${params.map((p) => p.name).join(", ") || "none"})`,
          eq.exprLine,
          eq.exprColumn + (at?.index ?? 0),
        );
      }
    }
  }
  for (const s of states) {
    if (!equations.has(s.name)) {
      fail(
        `no equation for state "${s.name}" (add "${kind === "map" ? `${s.name}' = ...` : `d/dt ${s.name} = ...`}")`,
        s.line,
        s.column,
      );
    }
  }
  const paramSpecs: ParamSpec[] = params.map((p) =>
    p.default !== undefined ? { name: p.name, default: p.default } : { name: p.name },
  );
  return {
    name: name!,
    kind: kind!,
    states: states.map((s) => s.name),
    params: paramSpecs,
    field: states.map((s) => equations.get(s.name)!.expr),
    ...(ruleSource !== undefined ? { source: ruleSource } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** The rule-file text of a RuleSpec (parseRule reads it back to an equal spec). */
export function formatRule(rule: RuleSpec, formatField: (e: Expr) => string): string {
  const lines = [`rule ${rule.name}`];
  if (rule.description) lines.push(`description ${rule.description}`);
  if (rule.source) lines.push(`source ${rule.source}`);
  if (rule.params.length > 0) {
    lines.push(
      `params ${rule.params.map((p) => (p.default !== undefined ? `${p.name} = ${p.default}` : p.name)).join(", ")}`,
    );
  }
  lines.push(`state ${rule.states.join(", ")}`);
  rule.states.forEach((s, i) => {
    const rhs = formatField(rule.field[i]!);
    lines.push(rule.kind === "flow" ? `d/dt ${s} = ${rhs}` : `${s}' = ${rhs}`);
  });
  return `${lines.join("\n")}\n`;
}

export { ParseError };
