/**
 * Values for a network rule's sizes, parameters and choices from the command line: repeatable
 * `--set NAME=VALUE` for any name the rule declares, and the options of seed 001's two-layer
 * rules (`--M 20`, `--alpha-h 0.3`, `--activation tanh`, ...), each of which sets one name and is
 * refused, naming its `--set` form, for a rule that does not declare that name.
 */
import { declaredNames } from "../ir/bind.ts";
import type { ParamValue } from "../phase/sweep/task.ts";
import type { NetworkRuleSpec } from "../rules/network/spec.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { assignmentOption, type NumberOptionBounds, numberOption } from "./args.ts";

/** A two-layer option: the name it sets in the rule, and its bounds (numbers) or none (a choice). */
interface TwoLayerOption {
  readonly name: string;
  readonly bounds?: NumberOptionBounds;
  readonly help: string;
}

/** The options of seed 001's two-layer rules (rules/curl-descent.rule and its siblings). */
export const TWO_LAYER_OPTIONS: Readonly<Record<string, TwoLayerOption>> = {
  M: { name: "M", bounds: { integer: true, min: 1 }, help: "input dimension" },
  N: { name: "N", bounds: { integer: true, min: 1 }, help: "hidden dimension" },
  "alpha-h": { name: "alphaH", bounds: { min: 0, max: 1 }, help: "fraction of flipped input columns D1" },
  "alpha-r": { name: "alphaR", bounds: { min: 0, max: 1 }, help: "fraction of flipped hidden columns D2" },
  batch: { name: "S", bounds: { integer: true, min: 1 }, help: "minibatch size dividing the training set" },
  "n-train": { name: "P", bounds: { integer: true, min: 1 }, help: "training samples" },
  "n-test": { name: "Q", bounds: { integer: true, min: 1 }, help: "test samples" },
  lr: { name: "lr", bounds: { greaterThan: 0 }, help: "learning rate per epoch-sum" },
  activation: { name: "phi", help: "hidden activation" },
  distribution: { name: "law", help: "law of the teacher and initial weights" },
  "init-scale": { name: "initScale", bounds: { min: 0 }, help: "student initial weight scale" },
  "teacher-scale": { name: "teacherScale", bounds: { min: 0 }, help: "teacher weight scale" },
};

/**
 * NAME = VALUE for `rule` from `--set` texts and the two-layer options given (by option name,
 * e.g. {"alpha-h": "0.3"}). A name given twice is refused, as is a two-layer option whose name
 * the rule does not declare; unknown `--set` names are left to classifyBindings (src/ir/bind.ts),
 * which lists the declared ones.
 */
export function ruleValues(
  command: string,
  rule: NetworkRuleSpec,
  sets: readonly string[],
  twoLayer: Readonly<Record<string, string | undefined>>,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const declared = declaredNames(rule);
  const put = (name: string, value: ParamValue, from: string) => {
    if (Object.hasOwn(out, name))
      throw new InvalidArgumentError(
        command,
        from,
        `a value for ${name} given once`,
        `${name}=${value} again`,
      );
    out[name] = value;
  };
  for (const [option, text] of Object.entries(twoLayer)) {
    if (text === undefined) continue;
    const o = TWO_LAYER_OPTIONS[option]!;
    if (!declared.includes(o.name)) {
      throw new InvalidArgumentError(
        command,
        `--${option}`,
        `an option of a rule that declares ${o.name} (seed 001's two-layer rules)`,
        text,
        `rule "${rule.name}" declares ${declared.join(", ") || "nothing"}; set those with --set NAME=VALUE`,
      );
    }
    const choice = rule.choices.find((c) => c.name === o.name);
    if (choice && !choice.options.includes(text)) {
      throw new InvalidArgumentError(command, `--${option}`, `one of ${choice.options.join(", ")}`, text);
    }
    put(o.name, choice ? text : numberOption(command, option, text, o.bounds), `--${option}`);
  }
  for (const s of sets) {
    const [name, value] = assignmentOption(command, "set", s);
    put(name, value, "--set");
  }
  return out;
}
