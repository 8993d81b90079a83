/**
 * A built-in rule compiled at small sizes with one drawn run, and its programs evaluated at any
 * states, fixed tensors and data: the compiled side of the tests that check each rule file
 * against the formula it cites.
 */

import type { RunData } from "../../../src/ir/draw.ts";
import { prepareProgram } from "../../../src/ir/interpret.ts";
import { compileModel, drawRuns, type NetworkModel } from "../../../src/ir/model.ts";
import type { CompiledRule, IrProgram } from "../../../src/ir/program.ts";
import { builtinNetworkRule } from "../../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../../src/rules/network/parse-network-rule.ts";

export interface Instance {
  readonly model: NetworkModel;
  readonly compiled: CompiledRule;
  readonly run: RunData;
}

export interface InstanceOptions {
  readonly sizes?: Record<string, number>;
  readonly choices?: Record<string, string>;
  readonly params?: Record<string, number>;
  readonly seed: number;
}

/** A built-in rule (by name) or a rule text, compiled, with run `seed` drawn. */
export function instance(rule: string, options: InstanceOptions): Instance {
  const spec = rule.includes("\n") ? parseNetworkRule(rule, "test") : builtinNetworkRule(rule);
  const model = compileModel(spec, {
    ...(options.sizes ? { sizes: options.sizes } : {}),
    ...(options.choices ? { choices: options.choices } : {}),
  });
  const [run] = drawRuns(model, [
    { seed: options.seed, ...(options.params ? { params: options.params } : {}) },
  ]);
  return { model, compiled: model.compiled, run: run! };
}

export interface Inputs {
  readonly states?: readonly Float64Array[];
  readonly fixed?: readonly Float64Array[];
  readonly params?: ArrayLike<number>;
  readonly data?: readonly Float64Array[];
}

/** Runs `program` at the instance's run, with any of its inputs replaced; returns copies. */
export function evaluate(
  inst: Instance,
  program: IrProgram,
  inputs: Inputs = {},
  sampleCount?: number,
): Float64Array[] {
  const out = prepareProgram(program, sampleCount).run({
    states: inputs.states ?? inst.run.states,
    fixed: inputs.fixed ?? inst.run.fixed,
    params: inputs.params ?? inst.run.params,
    data: inputs.data ?? inst.run.train,
  });
  return out.map((o) => Float64Array.from(o));
}

/** The flow's vector field over the training set, one array per state. */
export function field(inst: Instance, inputs: Inputs = {}): Float64Array[] {
  return evaluate(inst, inst.compiled.field!, inputs);
}

/** The declared error over the training set. */
export function trainError(inst: Instance, inputs: Inputs = {}): number {
  return evaluate(inst, inst.compiled.error!.train, inputs)[0]![0]!;
}

/** The step program (new states before renormalization) over the given minibatch data. */
export function step(inst: Instance, inputs: Inputs = {}): Float64Array[] {
  return evaluate(inst, inst.compiled.step, inputs);
}

/** Index of a named state, fixed tensor or parameter of the compiled rule. */
export function stateIndex(inst: Instance, name: string): number {
  const k = inst.compiled.states.findIndex((s) => s.name === name);
  if (k < 0) throw new Error(`no state ${name}`);
  return k;
}
export function fixedIndex(inst: Instance, name: string): number {
  const k = inst.compiled.fixed.findIndex((s) => s.name === name);
  if (k < 0) throw new Error(`no fixed tensor ${name}`);
  return k;
}
export function paramIndex(inst: Instance, name: string): number {
  const k = inst.compiled.params.indexOf(name);
  if (k < 0) throw new Error(`no parameter ${name}`);
  return k;
}

/** Bit-level view for exact comparisons (-0 and 0 kept apart). */
export function bits(a: ArrayLike<number>): (number | string)[] {
  return Array.from(a, (x) => (Object.is(x, -0) ? "-0" : x));
}
