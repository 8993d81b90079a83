/** Learning rules: the RuleSpec, the rule language, the built-in rules. */
export { BUILTIN_RULE_NAMES, builtinRule, builtinRuleText } from "./builtins.ts";
export { type AnyRule, loadAnyRule, loadNetworkRule, loadRule, parseRuleFile } from "./load.ts";
export {
  builtinNetworkRule,
  builtinNetworkRuleNames,
  builtinNetworkRulePath,
} from "./network/builtin-network-rules.ts";
export { isNetworkRuleText, parseNetworkRule } from "./network/parse-network-rule.ts";
export type { NetworkRuleSpec } from "./network/spec.ts";
export { formatRule, parseRule } from "./parse-rule.ts";
export { RuleError } from "./rule-error.ts";
export {
  defaultParams,
  isParamValueText,
  type ParamSpec,
  paramValueNumber,
  paramValues,
  RESERVED_NAMES,
  type RuleKind,
  type RuleSpec,
  symbolicParams,
  validateRule,
  withParamValues,
} from "./spec.ts";
