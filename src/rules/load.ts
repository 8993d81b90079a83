/** Finding a rule from a command-line argument: a built-in name or a rule file path. */
import { existsSync, readFileSync } from "node:fs";
import { InvalidArgumentError } from "../util/errors.ts";
import { BUILTIN_RULE_NAMES, builtinRule } from "./builtins.ts";
import { parseRule } from "./parse-rule.ts";
import type { RuleSpec } from "./spec.ts";

/** A built-in rule if `ref` names one, else the rule file at path `ref`. */
export function loadRule(ref: string): RuleSpec {
  if (BUILTIN_RULE_NAMES.includes(ref)) return builtinRule(ref);
  if (!existsSync(ref)) {
    throw new InvalidArgumentError(
      "loadRule",
      "rule",
      `a built-in rule (${BUILTIN_RULE_NAMES.join(", ")}) or an existing rule file`,
      ref,
    );
  }
  return parseRule(readFileSync(ref, "utf8"), ref);
}
