/**
 * Assembles the results of a sweep into one JSON and one CSV (merged.json, merged.csv), in task
 * order. The merged output is a function of the plan, the task outcomes and the code versions only
 * (no timings or process ids), so an interrupted and resumed sweep merges to exactly the same files as an
 * uninterrupted one. Unfinished tasks are listed as missing (result files that are not complete
 * results count as missing). The code versions that produced the results are listed with their
 * task counts, so results of mixed versions are never silent.
 */

import type { CodeVersion } from "../../util/code-version.ts";
import { toCsv, toJson, writeFileAtomic } from "../../util/io.ts";
import { mergedCsvPath, mergedJsonPath } from "./layout.ts";
import { loadPlan } from "./plan-file.ts";
import { resultState } from "./results.ts";
import { onSweepFile } from "./sweep-files.ts";
import type { JsonValue, SweepParams } from "./task.ts";

export interface MergedRow {
  readonly id: number;
  readonly seed: number;
  readonly params: SweepParams;
  readonly status: "ok" | "failed";
  readonly values: Record<string, JsonValue>;
  readonly reason?: string;
  readonly where?: Record<string, JsonValue>;
}

export interface MergedSweep {
  readonly planHash: string;
  readonly task: string;
  readonly complete: boolean;
  readonly counts: { tasks: number; ok: number; failed: number; missing: number };
  readonly missing: number[];
  /** The code versions of the results (version, commit, source hash) with how many tasks each. */
  readonly code: (CodeVersion & { tasks: number })[];
  readonly rows: MergedRow[];
}

const UNRECORDED: CodeVersion = { version: "unrecorded", commit: null, sourceHash: "unrecorded" };

/** Merges the sweep in `dir`, writes merged.json and merged.csv, and returns the merge. */
export function mergeSweep(dir: string): MergedSweep {
  const plan = loadPlan(dir);
  const rows: MergedRow[] = [];
  const missing: number[] = [];
  const code = new Map<string, CodeVersion & { tasks: number }>();
  for (const task of plan.tasks) {
    const state = resultState(dir, plan, task.id);
    if (state.state !== "finished") {
      missing.push(task.id);
      continue;
    }
    const r = state.result;
    const v = r.code ?? UNRECORDED;
    const seen = code.get(v.sourceHash) ?? { ...v, tasks: 0 };
    seen.tasks++;
    code.set(v.sourceHash, seen);
    rows.push({
      id: r.id,
      seed: r.seed,
      params: r.params,
      status: r.status,
      values: r.values ?? {},
      ...(r.status === "failed" ? { reason: r.reason, where: r.where } : {}),
    });
  }
  const failed = rows.filter((r) => r.status === "failed").length;
  const merged: MergedSweep = {
    planHash: plan.hash,
    task: plan.task,
    complete: missing.length === 0,
    counts: { tasks: plan.tasks.length, ok: rows.length - failed, failed, missing: missing.length },
    missing,
    code: [...code.values()],
    rows,
  };
  onSweepFile("mergeSweep", "write", mergedJsonPath(dir), () =>
    writeFileAtomic(mergedJsonPath(dir), `${toJson(merged)}\n`),
  );

  const paramNames = [...new Set(plan.tasks.flatMap((t) => Object.keys(t.params)))];
  const valueNames = [...new Set(rows.flatMap((r) => Object.keys(r.values)))].sort();
  const cell = (v: JsonValue | undefined) => (v !== null && typeof v === "object" ? JSON.stringify(v) : v);
  const csvRows = rows.map((r) => ({
    id: r.id,
    seed: r.seed,
    ...r.params,
    status: r.status,
    ...Object.fromEntries(valueNames.map((k) => [`value.${k}`, cell(r.values[k])])),
    reason: r.reason ?? "",
    where: r.where ? JSON.stringify(r.where) : "",
  }));
  const columns = [
    "id",
    "seed",
    ...paramNames,
    "status",
    ...valueNames.map((k) => `value.${k}`),
    "reason",
    "where",
  ];
  onSweepFile("mergeSweep", "write", mergedCsvPath(dir), () =>
    writeFileAtomic(mergedCsvPath(dir), toCsv(columns, csvRows)),
  );
  return merged;
}
