/**
 * Sweep task kind "network-rule": runs of one network rule (stored in the plan, see SweepRule)
 * per (grid point, seed), through src/sim/rule-tasks.ts. Its parameters are the rule's own sizes,
 * parameters and choices (each optional where the rule gives a default) plus `epochs` and
 * `lyapunov`; a grid may sweep any of them, e.g. a flip fraction, or sizes derived from a ratio
 * (`--derive 'M=round(c*T/(1+c))'`). Each record holds the final and peak errors, q, the Lyapunov
 * exponent, the failure epoch, the sizes, the engine and the backend; a run whose state norms
 * stop being finite is a failed task with its epoch. Items of a shard that share sizes and
 * choices run as one batch on the context's backend (the CPU when run without one).
 */
import { cpuBackend } from "../../../backend/cpu.ts";
import { resolveParams, resolveSizes } from "../../../ir/bind.ts";
import { parseNetworkRule } from "../../../rules/network/parse-network-rule.ts";
import type { NetworkRuleSpec } from "../../../rules/network/spec.ts";
import { calibrationWorkload } from "../../../sim/calibration-workload.ts";
import { ModelCache } from "../../../sim/rule-run.ts";
import { type RuleTaskItem, type RuleTaskResult, ruleTasks } from "../../../sim/rule-tasks.ts";
import { InvalidArgumentError } from "../../../util/errors.ts";
import {
  choiceParam,
  type JsonValue,
  numberParam,
  type SweepParameter,
  type SweepParams,
  type SweepRule,
  type SweepRunContext,
  type SweepTask,
  type SweepTaskOutcome,
} from "../task.ts";

const NAME = "network-rule";

/** The parameters of the task itself, beside the rule's. */
const OWN: readonly SweepParameter[] = [
  { name: "epochs", description: "epochs, >= 1", required: true },
  {
    name: "lyapunov",
    description: "1 to measure the Lyapunov exponent (default), 0 to skip",
    required: false,
  },
];

/** The rule's sizes, parameters and choices as sweep parameters, with their defaults. */
function ruleParameters(spec: NetworkRuleSpec): SweepParameter[] {
  const sizes = resolveSizes(spec);
  const withoutDefault = spec.params.filter((p) => !p.default);
  // Defaults at the default sizes (a parameter without one is given 0 only to evaluate the rest).
  const defaults = resolveParams(spec, sizes, Object.fromEntries(withoutDefault.map((p) => [p.name, 0])));
  return [
    ...spec.sizes.map((s) => ({ name: s.name, description: `size (default ${s.default})`, required: false })),
    ...spec.params.map((p) =>
      p.default
        ? { name: p.name, description: `parameter (default ${defaults[p.name]})`, required: false }
        : { name: p.name, description: "parameter without a default", required: true },
    ),
    ...spec.choices.map((c) => ({
      name: c.name,
      description: `${c.options.join(" | ")} (default ${c.options[0]})`,
      required: false,
    })),
  ];
}

function outcome(r: RuleTaskResult, backend: string, dtype: string): SweepTaskOutcome {
  const { notes, ...scalars } = r;
  const values: Record<string, JsonValue> = {
    ...scalars,
    ...(notes.length > 0 ? { notes } : {}),
    backend,
    dtype,
  };
  if (r.failedAtEpoch !== null) {
    return {
      status: "failed",
      reason: "a state norm was not finite (or 0 for a renormalized state)",
      where: { epoch: r.failedAtEpoch },
      values,
    };
  }
  return { status: "ok", values };
}

/** The task kind for `rule` (refused when the rule declares a name the task uses itself). */
export function networkRuleTask(rule: SweepRule): SweepTask {
  const spec = parseNetworkRule(rule.text, rule.ref);
  const clash = OWN.find((o) =>
    [...spec.sizes, ...spec.params, ...spec.choices].some((d) => d.name === o.name),
  );
  if (clash) {
    throw new InvalidArgumentError(
      NAME,
      "rule",
      `a rule that does not declare ${OWN.map((o) => o.name).join(" or ")} (the task's own parameters)`,
      `rule "${spec.name}" declaring ${clash.name}`,
    );
  }
  const parameters = [...OWN, ...ruleParameters(spec)];
  const models = new ModelCache(spec);

  const item = (params: SweepParams, seed: number): RuleTaskItem => {
    const values: Record<string, number | string> = {};
    for (const d of [...spec.sizes, ...spec.params]) {
      if (params[d.name] !== undefined) values[d.name] = numberParam(NAME, params, d.name);
    }
    for (const c of spec.choices) {
      if (params[c.name] !== undefined) values[c.name] = choiceParam(NAME, params, c.name, c.options);
    }
    const lyapunov = params.lyapunov === undefined ? 1 : numberParam(NAME, params, "lyapunov");
    return { values, epochs: numberParam(NAME, params, "epochs"), lyapunov: lyapunov !== 0, seed };
  };

  const runItems = async (
    items: readonly { params: SweepParams; seed: number }[],
    context?: SweepRunContext,
  ): Promise<SweepTaskOutcome[]> => {
    // Parameters are read before any simulation, so a bad one is refused for the whole batch.
    const parsed = items.map((it) => item(it.params, it.seed));
    const run = context
      ? await context.backend.run((backend) => ruleTasks(models, parsed, backend))
      : { result: await ruleTasks(models, parsed, cpuBackend()), backend: "cpu", dtype: "float64" };
    return run.result.map((r) => outcome(r, run.backend, run.dtype));
  };

  return {
    name: NAME,
    check(params) {
      const it = item(params, 0);
      const run = models.run(it.values, 0, NAME);
      resolveParams(spec, run.model.compiled.sizes, run.params);
    },
    description: `runs of network rule "${spec.name}" (${rule.ref}): final errors, q, Lyapunov exponent, failures`,
    parameters,
    async run(params, seed, context) {
      return (await runItems([{ params, seed }], context))[0]!;
    },
    runBatch: runItems,
    batchSize: 16,
    usesBackend: true,
    workload(items) {
      const parsed = items.map((it) => item(it.params, it.seed));
      const runs = parsed.map((it) => models.run(it.values, it.seed, NAME));
      return calibrationWorkload(runs, parsed[0]?.lyapunov ?? true);
    },
  };
}
