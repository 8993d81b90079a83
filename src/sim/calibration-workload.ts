/**
 * The workload on which `--backend auto` calibrates (src/backend/auto.ts): the first batch that
 * simulateRuns would start for `runs`, i.e. the runs of the first model, drawn, and doubled when
 * the Lyapunov exponent is measured (each run then has a twin in the same batch, at the same
 * cost; see src/sim/simulate.ts).
 */

import type { NetworkInit } from "../backend/backend.ts";
import { drawRuns } from "../ir/model.ts";
import { InvalidArgumentError } from "../util/errors.ts";
import { bytesPerRun, requireMemory } from "./memory-bound.ts";
import type { RuleRun } from "./rule-run.ts";

export function calibrationWorkload(runs: readonly RuleRun[], lyapunov: boolean): NetworkInit {
  if (runs.length === 0) throw new InvalidArgumentError("calibrationWorkload", "runs", "at least one run", 0);
  const model = runs[0]!.model;
  const mine = runs.filter((r) => r.model === model);
  // Before anything is drawn, as simulateRuns does: the calibration holds these runs (and twins).
  requireMemory(
    "calibrationWorkload",
    `${mine.length} run(s)${lyapunov ? " and their Lyapunov twins" : ""}`,
    bytesPerRun(model.compiled) * mine.length * (lyapunov ? 2 : 1),
  );
  const drawn = drawRuns(model, mine);
  return { rule: model.compiled, runs: lyapunov ? [...drawn, ...drawn] : drawn };
}
