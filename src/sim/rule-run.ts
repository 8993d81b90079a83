/**
 * A run of a network rule: the rule compiled at the run's sizes and choices (a NetworkModel,
 * src/ir/model.ts), its parameter values and its seed. Runs that share a model share one
 * compiled program and run as one batch; their parameters may differ.
 */
import { classifyBindings, type RuleBindings, resolveChoices, resolveSizes } from "../ir/bind.ts";
import { compileModel, type NetworkModel, type RunRequest } from "../ir/model.ts";
import type { CompiledRule } from "../ir/program.ts";
import type { NetworkRuleSpec } from "../rules/network/spec.ts";

/** One run: a model, parameter values (the rule's defaults for the rest) and a seed in [0, 2^32). */
export interface RuleRun extends RunRequest {
  readonly model: NetworkModel;
}

/** Which run a result is of: the rule's name, the seed, and every size, choice and parameter. */
export interface RunIdentity {
  rule: string;
  seed: number;
  sizes: Record<string, number>;
  choices: Record<string, string>;
  /** Every parameter's value in the run. */
  params: Record<string, number>;
}

/**
 * The models of one rule, each compiled once per distinct (sizes, choices): runs made through
 * one cache at equal sizes and choices share their model, hence their batch.
 */
export class ModelCache {
  private readonly models = new Map<string, NetworkModel>();

  constructor(readonly spec: NetworkRuleSpec) {}

  /** The rule compiled at the sizes and choices of `bindings` (defaults for the rest). */
  model(bindings: Pick<RuleBindings, "sizes" | "choices"> = {}): NetworkModel {
    const sizes = resolveSizes(this.spec, bindings.sizes);
    const choices = resolveChoices(this.spec, bindings.choices);
    const key = JSON.stringify([sizes, choices]);
    let model = this.models.get(key);
    if (!model) {
      model = compileModel(this.spec, { sizes, choices });
      this.models.set(key, model);
    }
    return model;
  }

  /**
   * The run at `values` (NAME = VALUE for sizes, parameters and choices of the rule, sorted by
   * classifyBindings; an unknown name is refused with the declared ones) and `seed`.
   */
  run(values: Readonly<Record<string, number | string>>, seed: number, fn = "ModelCache.run"): RuleRun {
    const bindings = classifyBindings(this.spec, values, fn);
    return { model: this.model(bindings), params: bindings.params ?? {}, seed };
  }
}

/**
 * What runs of `rule` cannot report, in words: a rule without an error has neither a train nor
 * a test error; a rule without data has an error of the states alone (reported as the train
 * error) and no test set. Empty when it reports both errors.
 */
export function missingObservables(rule: CompiledRule): string[] {
  if (!rule.error) return [`rule "${rule.name}" declares no error: trainError and testError are null`];
  if (!rule.samples) {
    return [
      `rule "${rule.name}" has no data: its error depends on the states alone and is reported as trainError; there is no test set (testError is null)`,
    ];
  }
  return [];
}
