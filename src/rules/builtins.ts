/**
 * The built-in rules, written in the rule language itself, each with its source. Parameter
 * defaults are the values used for classification and simulation unless the user gives others.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { parseRule } from "./parse-rule.ts";
import type { RuleSpec } from "./spec.ts";

const TEXTS: Record<string, string> = {
  "gradient-toy": `
rule gradient-toy
description gradient flow of the two-neuron linear network (student w2*w1, teacher s)
source seed 001, eq. 7
params s = 1
state w1, w2
d/dt w1 = w2*(s - w1*w2)
d/dt w2 = w1*(s - w1*w2)
`,
  "curl-toy": `
rule curl-toy
description curl flow: the hidden neuron's plasticity sign flipped
source seed 001, eq. 8
params s = 1
state w1, w2
d/dt w1 = w2*(s - w1*w2)
d/dt w2 = -w1*(s - w1*w2)
`,
  "curl-toy-euler": `
rule curl-toy-euler
description explicit Euler map of the curl toy with learning rate eta (discrete-time learning)
source seed 001, eq. 8, discretized with step eta
params s = 1, eta = 0.1
state w1, w2
w1' = w1 + eta*w2*(s - w1*w2)
w2' = w2 - eta*w1*(s - w1*w2)
`,
  "urfb-mode": `
rule urfb-mode
description one singular mode of updated random feedback (URFB) in a two-layer linear network
source seed 003, eq. 14
params lambdaT = 1, lambdaR = 0.1, epsilon = 1
state lambda1, lambda2
d/dt lambda2 = (lambdaT - lambda2*lambda1)*lambda1
d/dt lambda1 = (lambdaR + epsilon*lambda2)*(lambdaT - lambda2*lambda1)
`,
  "urfb-chain3": `
rule urfb-chain3
description one singular mode of URFB in a depth-3 linear network
source seed 003, eq. 16 with k = 3
params lambdaT = 1, lambdaR2 = 0.1, lambdaR3 = 0.2, epsilon = 1
state lambda1, lambda2, lambda3
d/dt lambda3 = (lambdaT - lambda1*lambda2*lambda3)*lambda2*lambda1
d/dt lambda2 = (lambdaR3 + epsilon*lambda3)*(lambdaT - lambda1*lambda2*lambda3)*lambda1
d/dt lambda1 = (lambdaR3 + epsilon*lambda3)*(lambdaR2 + epsilon*lambda2)*(lambdaT - lambda1*lambda2*lambda3)
`,
  "saxe-depth3": `
rule saxe-depth3
description gradient flow of one mode of a depth-3 linear network (loss (s - a1*a2*a3)^2/2)
source Saxe, McClelland, Ganguli, ICLR 2014, one-mode reduction for depth 3 (cited in seed 001, sec. 4)
params s = 1
state a1, a2, a3
d/dt a1 = (s - a1*a2*a3)*a2*a3
d/dt a2 = (s - a1*a2*a3)*a1*a3
d/dt a3 = (s - a1*a2*a3)*a1*a2
`,
};

/** Names of the built-in rules. */
export const BUILTIN_RULE_NAMES: readonly string[] = Object.keys(TEXTS);

/** The rule-language text of a built-in rule. */
export function builtinRuleText(name: string): string {
  const text = TEXTS[name];
  if (text === undefined) {
    throw new InvalidArgumentError("builtinRule", "name", `one of ${BUILTIN_RULE_NAMES.join(", ")}`, name);
  }
  return text.trimStart();
}

/** A built-in rule by name. */
export function builtinRule(name: string): RuleSpec {
  return parseRule(builtinRuleText(name), `builtin:${name}`);
}
