/**
 * The network rules that ship with learndyn: the rule files in the repository's rules/ folder,
 * each citing its source. A built-in name (e.g. `curl-descent`) resolves to `rules/NAME.rule`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError } from "../../util/errors.ts";
import { PACKAGE_ROOT } from "../../util/package-root.ts";
import { parseNetworkRule } from "./parse-network-rule.ts";
import type { NetworkRuleSpec } from "./spec.ts";

/** The folder of the built-in rule files. */
export const RULES_DIR = join(PACKAGE_ROOT, "rules");

/** Names of the built-in network rules (the rule files' names without ".rule"). */
export function builtinNetworkRuleNames(): string[] {
  if (!existsSync(RULES_DIR)) return [];
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(".rule"))
    .map((f) => f.slice(0, -".rule".length))
    .sort();
}

/** The path of a built-in network rule's file. */
export function builtinNetworkRulePath(name: string): string {
  if (!builtinNetworkRuleNames().includes(name)) {
    throw new InvalidArgumentError(
      "builtinNetworkRule",
      "name",
      `one of ${builtinNetworkRuleNames().join(", ")}`,
      name,
    );
  }
  return join(RULES_DIR, `${name}.rule`);
}

/** A built-in network rule by name. */
export function builtinNetworkRule(name: string): NetworkRuleSpec {
  const path = builtinNetworkRulePath(name);
  return parseNetworkRule(readFileSync(path, "utf8"), `rules/${name}.rule`);
}
