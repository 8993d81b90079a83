/** Learning rules: the RuleSpec, the rule language, the built-in rules. */
export { BUILTIN_RULE_NAMES, builtinRule, builtinRuleText } from "./builtins.ts";
export { loadRule } from "./load.ts";
export { formatRule, parseRule } from "./parse-rule.ts";
export { RuleError } from "./rule-error.ts";
export {
  defaultParams,
  type ParamSpec,
  RESERVED_NAMES,
  type RuleKind,
  type RuleSpec,
  validateRule,
} from "./spec.ts";
