/**
 * `--param NAME=VALUE` for every command that takes a scalar rule: values (decimal numbers or
 * fractions such as 1/3) for the rule's parameters, overriding the rule file's. A name the rule
 * does not declare, a name given twice or a value that is not a number is refused naming the
 * option.
 */
import { type RuleSpec, withParamValues } from "../rules/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";

/** The rule with the `--param` texts (each "NAME=VALUE") applied; `command` names the caller. */
export function ruleWithParams(command: string, rule: RuleSpec, texts: readonly string[]): RuleSpec {
  const values: Record<string, string> = {};
  for (const t of texts) {
    const eq = t.indexOf("=");
    const name = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    if (eq <= 0 || value === "")
      throw new InvalidArgumentError(command, "--param", "NAME=VALUE, e.g. --param mu=1/4", t);
    if (Object.hasOwn(values, name))
      throw new InvalidArgumentError(command, "--param", `a value for ${name} given once`, `${name}=${value} again`);
    values[name] = value;
  }
  return withParamValues(rule, values, command, "--param");
}
