/**
 * The workload on which `--backend auto` calibrates (src/backend/auto.ts): the first batch that
 * simulateRuns would start for `runs`, i.e. the runs of the first model, drawn, and doubled when
 * the Lyapunov exponent is measured (each run then has a twin in the same batch, at the same
 * cost; see src/sim/simulate.ts).
 */
import type { NetworkInit } from "../backend/backend.ts";
import { drawRuns } from "../ir/model.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import type { RuleRun } from "./rule-run.ts";

export function calibrationWorkload(runs: readonly RuleRun[], lyapunov: boolean): NetworkInit {
  if (runs.length === 0) throw new InvalidArgumentError("calibrationWorkload", "runs", "at least one run", 0);
  const model = runs[0]!.model;
  const drawn = drawRuns(
    model,
    runs.filter((r) => r.model === model),
  );
  return { rule: model.compiled, runs: lyapunov ? [...drawn, ...drawn] : drawn };
}
