/**
 * The registry of sweep task kinds, by name. To add a kind, write a SweepTask in its own file
 * and add one line here, e.g. `simulate: simulateTask,`. A kind that runs a rule given with the
 * plan (`sweep plan --rule RULE`) is a function of that rule, registered in `ruleSweepTasks`.
 */
import { InvalidArgumentError } from "../../../util/errors.ts";
import type { SweepRule, SweepTask } from "../task.ts";
import { networkRuleTask } from "./network-rule.ts";
import { odeFinalTask } from "./ode-final.ts";
import { studentTeacherTask } from "./student-teacher.ts";

export const sweepTasks: Record<string, SweepTask> = {
  "ode-final": odeFinalTask,
  "student-teacher": studentTeacherTask,
};

/** Task kinds that run the rule stored in the plan, by name. */
export const ruleSweepTasks: Record<string, (rule: SweepRule) => SweepTask> = {
  "network-rule": networkRuleTask,
};

/** Every task kind's name. */
export function sweepTaskNames(): string[] {
  return [...Object.keys(sweepTasks), ...Object.keys(ruleSweepTasks)];
}

/**
 * The task of kind `name` (of a plan or a spec): a registered kind, or a rule kind made for
 * `rule`. A rule kind without a rule, or a rule given to another kind, is refused by name.
 */
export function resolveSweepTask(fn: string, name: string, rule: SweepRule | undefined): SweepTask {
  const ruleKind = ruleSweepTasks[name];
  if (ruleKind) {
    if (!rule) {
      throw new InvalidArgumentError(
        fn,
        "rule",
        `a rule for task kind "${name}"`,
        "nothing",
        "give one with sweep plan --rule RULE",
      );
    }
    return ruleKind(rule);
  }
  const task = sweepTasks[name];
  if (!task) throw new InvalidArgumentError(fn, "task", `one of ${sweepTaskNames().join(", ")}`, name);
  if (rule) {
    throw new InvalidArgumentError(
      fn,
      "rule",
      `absent for task kind "${name}" (a rule is given to ${Object.keys(ruleSweepTasks).join(", ")})`,
      rule.ref,
    );
  }
  return task;
}
