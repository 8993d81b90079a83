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
  paramValueNumber,
  paramValues,
  symbolicParams,
  withParamValues,
  type ParamSpec,
  RESERVED_NAMES,
  type RuleKind,
  type RuleSpec,
  validateRule,
} from "./spec.ts";
