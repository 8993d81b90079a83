/**
 * The numeric field of a scalar rule (src/rules): its right-hand sides compiled to float64 code
 * over the states and parameters, in the {@link CompiledVectorField} form the solvers bind
 * parameters in. For a map the same function gives F(y), the next state.
 */
import { compileExpr } from "../expr/evaluate.ts";
import type { RuleSpec } from "../rules/spec.ts";
import type { CompiledVectorField } from "./compiled-field.ts";

/** f(t, y; p) of a flow rule, or F(y; p) of a map rule (t ignored), for `bindParameters`. */
export function ruleVectorField(rule: RuleSpec): CompiledVectorField {
  const parameters = rule.params.map((p) => p.name);
  const variables = [...rule.states, ...parameters];
  const components = rule.field.map((e) => compileExpr(e, variables));
  const n = rule.states.length;
  const x = new Float64Array(variables.length);
  return {
    name: rule.name,
    states: rule.states,
    parameters,
    evaluate(_t, y, p, dy) {
      x.set(y.subarray(0, n), 0);
      x.set(p, n);
      for (let i = 0; i < n; i++) dy[i] = components[i]!(x);
    },
  };
}
