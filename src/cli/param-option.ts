/**
 * Arguments of the commands on scalar rules (analyze, continue, portrait, lyapunov, report): the RULE,
 * `--param NAME=VALUE` and, where a command continues in a parameter, `--param NAME=A:B` (a
 * range), and state values `NAME=V,...`. Every such command reads `--param` through
 * {@link ruleWithParams}: a value is a decimal number or a fraction such as 1/3, kept exactly
 * as the rule's value of that parameter (so the symbolic analysis sees 1/3, not 0.333...), and
 * numeric work reads it back with {@link paramValues}. A name the rule does not declare, a name
 * given twice, a value that is not such a number or lies outside float64's range, and a range
 * where the command takes none, are refused naming `--param`.
 */
import { literalRangeProblem } from "../expr/index.ts";
import {
  isParamValueText,
  loadRule,
  paramValueNumber,
  type RuleSpec,
  withParamValues,
} from "../rules/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { recordOf } from "../util/record.ts";

export interface RuleWithParams {
  /** The rule with the `--param` values as its parameters' values. */
  rule: RuleSpec;
  /** The ranges `--param NAME=A:B` given (empty unless the command takes ranges). */
  ranges: Record<string, [number, number]>;
}

/** A number of a `--param` text: decimal or fraction, within float64's range. */
function paramNumber(command: string, option: string, text: string, whole: string): number {
  if (!isParamValueText(text))
    throw new InvalidArgumentError(command, option, "a decimal number or a fraction like 1/3", whole);
  const problem = text.split("/").map(literalRangeProblem).find(Boolean);
  if (problem)
    throw new InvalidArgumentError(
      command,
      option,
      "a number within float64's range",
      `${whole} (${problem})`,
    );
  return paramValueNumber(text);
}

/** `NAME=A:B` as a name and a range with A < B; `option` names the option in errors. */
export function parseRange(command: string, option: string, text: string): [string, [number, number]] {
  const eq = text.indexOf("=");
  const parts = text.slice(eq + 1).split(":");
  if (eq <= 0 || parts.length !== 2)
    throw new InvalidArgumentError(command, option, "NAME=A:B (a range)", text);
  const [a, b] = parts.map((p) => paramNumber(command, option, p.trim(), text)) as [number, number];
  if (!(a < b)) throw new InvalidArgumentError(command, option, "a range A:B with A < B", text);
  return [text.slice(0, eq).trim(), [a, b]];
}

/**
 * The rule with the `--param` texts applied (values replace the rule file's) and the ranges
 * given; see the module comment. `ranges`: whether the command takes `NAME=A:B`.
 */
export function ruleWithParams(
  command: string,
  rule: RuleSpec,
  texts: readonly string[] = [],
  options: { ranges?: boolean } = {},
): RuleWithParams {
  const names = rule.params.map((p) => p.name);
  const values = new Map<string, string>();
  const ranges = new Map<string, [number, number]>();
  for (const text of texts) {
    const eq = text.indexOf("=");
    const name = text.slice(0, eq).trim();
    const rhs = text.slice(eq + 1).trim();
    if (eq <= 0 || rhs === "")
      throw new InvalidArgumentError(
        command,
        "--param",
        options.ranges
          ? "NAME=VALUE or NAME=A:B (a range), e.g. --param mu=1/4"
          : "NAME=VALUE, e.g. --param mu=1/4",
        text,
      );
    if (!names.includes(name))
      throw new InvalidArgumentError(
        command,
        "--param",
        `a parameter of rule "${rule.name}" (${names.join(", ") || "it has none"})`,
        name,
      );
    if (values.has(name) || ranges.has(name))
      throw new InvalidArgumentError(command, "--param", `one value or range for ${name}`, `${text} again`);
    if (rhs.includes(":")) {
      if (!options.ranges)
        throw new InvalidArgumentError(command, "--param", "NAME=VALUE (this command takes no ranges)", text);
      ranges.set(name, parseRange(command, "--param", text)[1]);
    } else {
      paramNumber(command, "--param", rhs, text);
      values.set(name, rhs);
    }
  }
  return { rule: withParamValues(rule, recordOf(values), command, "--param"), ranges: recordOf(ranges) };
}

/** Parses `NAME=V,NAME=V` (states) into values by name. */
export function parseStateValues(command: string, option: string, text: string): Record<string, number> {
  const out = new Map<string, number>();
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const v = Number(part.slice(eq + 1));
    if (eq <= 0 || part.slice(eq + 1).trim() === "" || !Number.isFinite(v))
      throw new InvalidArgumentError(command, `--${option}`, "NAME=NUMBER,NAME=NUMBER,...", text);
    out.set(part.slice(0, eq).trim(), v);
  }
  return recordOf(out);
}

/** The one positional RULE of a command on scalar rules, loaded (a built-in name or a file). */
export function scalarRuleArgument(command: string, positionals: readonly string[]): RuleSpec {
  if (positionals.length !== 1)
    throw new InvalidArgumentError(
      command,
      "RULE",
      "one scalar rule (a built-in name or a rule file)",
      positionals.join(" ") || "nothing",
    );
  return loadRule(positionals[0]!);
}
