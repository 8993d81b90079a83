/**
 * A network rule ready to run: its spec and its compiled programs at given sizes and choices,
 * and the runs drawn from it at given parameters and seeds.
 */
import type { NetworkRuleSpec } from "../rules/network/spec.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { type RuleBindings, resolveParams } from "./bind.ts";
import { drawRun, type RunData } from "./draw.ts";
import { compileRule } from "./lower.ts";
import type { CompiledRule } from "./program.ts";

export interface NetworkModel {
  readonly spec: NetworkRuleSpec;
  readonly compiled: CompiledRule;
}

/** Compiles `spec` at the sizes and choices of `bindings` (parameters are per run). */
export function compileModel(spec: NetworkRuleSpec, bindings: RuleBindings = {}): NetworkModel {
  return {
    spec,
    compiled: compileRule(spec, {
      ...(bindings.sizes ? { sizes: bindings.sizes } : {}),
      ...(bindings.choices ? { choices: bindings.choices } : {}),
    }),
  };
}

/** One run to draw: parameter values (defaults for the rest) and a seed in [0, 2^32). */
export interface RunRequest {
  readonly params?: Readonly<Record<string, number>>;
  readonly seed: number;
}

/** Draws the runs; parameters are resolved per run against the model's sizes. */
export function drawRuns(model: NetworkModel, requests: readonly RunRequest[]): RunData[] {
  return requests.map((r, k) => {
    if (!Number.isInteger(r.seed) || r.seed < 0 || r.seed >= 2 ** 32) {
      throw new InvalidArgumentError("drawRuns", `requests[${k}].seed`, "an integer in [0, 2^32)", r.seed);
    }
    return drawRun(
      model.spec,
      model.compiled,
      resolveParams(model.spec, model.compiled.sizes, r.params),
      r.seed,
    );
  });
}
