/** Finding a rule from a command-line argument: a built-in name or a rule file path. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { InvalidArgumentError } from "../util/errors.ts";
import { BUILTIN_RULE_NAMES, builtinRule } from "./builtins.ts";
import {
  builtinNetworkRule,
  builtinNetworkRuleNames,
  builtinNetworkRulePath,
} from "./network/builtin-network-rules.ts";
import { isNetworkRuleText, parseNetworkRule } from "./network/parse-network-rule.ts";
import type { NetworkRuleSpec } from "./network/spec.ts";
import { parseRule } from "./parse-rule.ts";
import type { RuleSpec } from "./spec.ts";

/** A rule of either kind: scalar (a small ODE or map) or network (matrix-valued, with data). */
export type AnyRule =
  | { readonly kind: "scalar"; readonly rule: RuleSpec }
  | { readonly kind: "network"; readonly rule: NetworkRuleSpec };

/** Parses a rule file of either kind; `file` names it in error messages. */
export function parseRuleFile(text: string, file = "rule"): AnyRule {
  return isNetworkRuleText(text)
    ? { kind: "network", rule: parseNetworkRule(text, file) }
    : { kind: "scalar", rule: parseRule(text, file) };
}

function readRuleFile(fn: string, ref: string): string {
  if (!existsSync(ref) || !statSync(ref).isFile()) {
    throw new InvalidArgumentError(
      fn,
      "rule",
      `a built-in rule (${[...BUILTIN_RULE_NAMES, ...builtinNetworkRuleNames()].join(", ")}) or an existing rule file`,
      ref,
    );
  }
  return readFileSync(ref, "utf8");
}

/** A built-in rule or rule file of either kind. */
export function loadAnyRule(ref: string): AnyRule {
  if (BUILTIN_RULE_NAMES.includes(ref)) return { kind: "scalar", rule: builtinRule(ref) };
  if (builtinNetworkRuleNames().includes(ref)) return { kind: "network", rule: builtinNetworkRule(ref) };
  return parseRuleFile(readRuleFile("loadRule", ref), ref);
}

/** A built-in scalar rule if `ref` names one, else the scalar rule file at path `ref`. */
export function loadRule(ref: string): RuleSpec {
  const r = loadAnyRule(ref);
  if (r.kind === "network") {
    throw new InvalidArgumentError(
      "loadRule",
      "rule",
      "a scalar rule (states without shapes)",
      `the network rule "${r.rule.name}"`,
      "network rules run with simulate, sweep and phase --empirical",
    );
  }
  return r.rule;
}

/**
 * The text of the network rule `ref` (a built-in name or a file path) with the rule parsed from
 * it, for storing a rule where it must travel whole (a sweep plan).
 */
export function networkRuleSource(ref: string): { text: string; rule: NetworkRuleSpec } {
  const rule = loadNetworkRule(ref);
  const path = builtinNetworkRuleNames().includes(ref) ? builtinNetworkRulePath(ref) : ref;
  return { text: readFileSync(path, "utf8"), rule };
}

/** A built-in network rule if `ref` names one, else the network rule file at path `ref`. */
export function loadNetworkRule(ref: string): NetworkRuleSpec {
  const r = loadAnyRule(ref);
  if (r.kind === "scalar") {
    throw new InvalidArgumentError(
      "loadNetworkRule",
      "rule",
      `a network rule (${builtinNetworkRuleNames().join(", ")} or a file with matrix states)`,
      `the scalar rule "${r.rule.name}"`,
      "scalar rules are analyzed with learndyn analyze",
    );
  }
  return r.rule;
}
