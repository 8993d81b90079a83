/**
 * `learndyn sweep plan|run|merge|sbatch|status|tasks`: parameter sweeps planned into shards, run
 * as separate processes (locally or as a Slurm job array), resumable, merged into JSON and CSV.
 */
import { parseArgs } from "node:util";
import { releaseBackend } from "../../backend/auto.ts";
import { backendOptionNames } from "../../backend/choose-backend.ts";
import { codeChange } from "../../phase/sweep/code-record.ts";
import { parseGrid } from "../../phase/sweep/grid.ts";
import { mergedCsvPath, mergedJsonPath, resultPath } from "../../phase/sweep/layout.ts";
import { mergeSweep } from "../../phase/sweep/merge.ts";
import { loadPlan, writePlan } from "../../phase/sweep/plan-file.ts";
import { runShard } from "../../phase/sweep/run-shard.ts";
import { runSweep, SHARD_LOCKED_EXIT } from "../../phase/sweep/run-sweep.ts";
import { writeSbatch } from "../../phase/sweep/sbatch.ts";
import { arrayRanges, resumeCommand, sweepStatus } from "../../phase/sweep/status.ts";
import { chooseSweepBackend } from "../../phase/sweep/sweep-backend.ts";
import type { SweepTask } from "../../phase/sweep/task.ts";
import { ruleSweepTasks, sweepTaskNames, sweepTasks } from "../../phase/sweep/tasks/index.ts";
import { networkRuleSource } from "../../rules/load.ts";
import { codeLabel } from "../../util/code-version.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { assignmentOption, numberOption } from "../args.ts";
import type { CliIO, Command } from "../command.ts";
import { outputFolderOption } from "../output-path.ts";

const usage = `usage:
  learndyn sweep plan --task KIND --grid SPEC --seeds N --shards K --out DIR
                      [--set NAME=VALUE ...] [--derive NAME=EXPR ...] [--seed0 S]
  learndyn sweep plan --rule RULE --grid SPEC ...   (task kind network-rule)
      RULE: a network rule, built-in or a rule file, stored whole in the plan; its sizes,
            parameters and choices are the task's parameters, with epochs (required) and
            lyapunov (1 or 0), e.g. --rule curl-descent-3 --grid 'c=0.2|1,alpha1=0|0.5'
            --set T=40 --derive 'M=round(c*T/(1+c))' --derive 'N1=T-M' --derive 'N2=N1'
      SPEC: comma-separated axes name=lo:hi:count, name=value or name=v1|v2|v3,
            e.g. 'c=0.1:2:20,alphaH=0:1:11' or 'activation=linear|tanh' (values that are
            not numbers are names). --set fixes a parameter (number or name) for every task;
            --derive computes one per grid point (mathjs syntax), in order, e.g. for a
            fixed total M + N = 220:  --set T=220 --derive 'M=round(c*T/(1+c))' --derive 'N=T-M'
  learndyn sweep run DIR [--workers K] [--shard I ...] [--backend NAME] [--dtype D]
                        [--accept-code-change]
      runs unfinished shards as child processes, K at a time (default: CPUs); with --shard,
      runs those shards in this process. Finished tasks are never redone; a shard run by
      another live process is left to it. --backend is where simulations run:
      ${backendOptionNames().join(" | ")} (default auto: the fastest backend that passes a check
      against the float64 interpreter on the first batch of tasks, printed and, with --json,
      recorded); each result records the backend, and a shard that loses its GPU device goes on
      on the CPU. --dtype float64 | float32 is the element type a named backend computes in
      (default its own; cpu-wasm and cpu-threads take both, float32 running compiled rules in
      f32x4); each result records it. Results record the code version; a sweep begun by other
      code is refused unless --accept-code-change.
  learndyn sweep merge DIR          writes DIR/merged.json and DIR/merged.csv
  learndyn sweep sbatch DIR [--partition P] [--account A] [--time HH:MM:SS] [--mem 2G]
                        [--cpus C] [--max-concurrent N] [--node PATH] [--backend NAME]
                        [--dtype D] [--setup LINE ...] [--accept-code-change]
      writes DIR/sweep.sbatch: a Slurm job array, one array task per shard; --setup lines
      run first on the node (e.g. --setup 'module load nodejs'), --node is node's path there;
      with --backend auto (the default) each array task chooses on its node
  learndyn sweep status DIR         finished, failed and missing tasks, and the command that
                                    runs the rest (exit code 1 while tasks are missing)
  learndyn sweep tasks [--rule RULE]  the task kinds and their parameters (with --rule: the
                                      network-rule task's parameters for that rule)
options: --json prints the result as JSON.`;

export const sweepCommand: Command = {
  name: "sweep",
  summary: "plan, run (locally or on Slurm), resume and merge parameter sweeps",
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case "plan":
        return plan(rest, io);
      case "run":
        return run(rest, io);
      case "merge":
        return merge(rest, io);
      case "sbatch":
        return sbatch(rest, io);
      case "status":
        return status(rest, io);
      case "tasks":
        return tasks(rest, io);
      default:
        throw new InvalidArgumentError(
          "sweep",
          "subcommand",
          "one of plan, run, merge, sbatch, status, tasks",
          sub ?? "nothing",
        );
    }
  },
};

function dirArgument(sub: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new InvalidArgumentError(
      `sweep ${sub}`,
      "DIR",
      "one sweep directory",
      positionals.join(" ") || "nothing",
    );
  }
  return positionals[0]!;
}

async function plan(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      task: { type: "string" },
      rule: { type: "string" },
      grid: { type: "string" },
      set: { type: "string", multiple: true },
      derive: { type: "string", multiple: true },
      seeds: { type: "string" },
      seed0: { type: "string" },
      shards: { type: "string" },
      out: { type: "string" },
      json: { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new InvalidArgumentError("sweep plan", "arguments", "options only", positionals.join(" "));
  if (!values.out) throw new InvalidArgumentError("sweep plan", "--out", "a directory", "nothing");
  outputFolderOption("sweep plan", "--out", values.out);
  // --rule alone means the network-rule task kind.
  const taskName = values.task ?? (values.rule !== undefined ? "network-rule" : undefined);
  if (!taskName)
    throw new InvalidArgumentError(
      "sweep plan",
      "--task",
      `one of ${sweepTaskNames().join(", ")}`,
      "nothing",
    );
  const rule =
    values.rule === undefined ? undefined : { ref: values.rule, text: networkRuleSource(values.rule).text };
  // Loaded on demand: the expression parser behind derived parameters is slow to import.
  const { planSweep } = await import("../../phase/sweep/plan.ts");
  const { parseDerivation } = await import("../../phase/sweep/derive.ts");
  const p = planSweep({
    task: taskName,
    ...(rule ? { rule } : {}),
    grid: parseGrid(values.grid ?? ""),
    constants: Object.fromEntries((values.set ?? []).map((s) => assignmentOption("sweep plan", "set", s))),
    derived: (values.derive ?? []).map(parseDerivation),
    seeds: numberOption("sweep plan", "seeds", values.seeds, { integer: true, min: 1 }),
    seed0: numberOption("sweep plan", "seed0", values.seed0, { integer: true }, 0),
    shards: numberOption("sweep plan", "shards", values.shards, { integer: true, min: 1 }),
  });
  // One shard per task at most: more would be empty shard files (and files without bound).
  if (p.shards > p.tasks.length) {
    throw new InvalidArgumentError(
      "sweep plan",
      "--shards",
      `an integer from 1 to the number of tasks (${p.tasks.length})`,
      values.shards,
    );
  }
  writePlan(values.out, p);
  const summary = { dir: values.out, hash: p.hash, task: p.task, tasks: p.tasks.length, shards: p.shards };
  io.out(
    values.json
      ? toJson(summary)
      : `planned ${p.tasks.length} ${p.task} tasks in ${p.shards} shards into ${values.out} (plan ${p.hash.slice(0, 12)})`,
  );
  return 0;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      workers: { type: "string" },
      shard: { type: "string", multiple: true },
      backend: { type: "string" },
      dtype: { type: "string" },
      "accept-code-change": { type: "boolean" },
      json: { type: "boolean" },
    },
    allowPositionals: true,
  });
  const dir = dirArgument("run", positionals);
  const acceptCodeChange = values["accept-code-change"] ?? false;
  const shards = (values.shard ?? []).map((s) =>
    numberOption("sweep run", "shard", s, { integer: true, min: 0 }),
  );
  // Made (or chosen by auto) here first, so an unknown name or a missing GPU adapter is refused
  // once, with the fix, before any shard starts; the child processes get the chosen name.
  const dtype = values.dtype === undefined ? {} : { dtype: values.dtype };
  const { backend, choice } = await chooseSweepBackend(
    "sweep run",
    dir,
    values.backend ?? "auto",
    shards[0],
    dtype,
  );
  if (choice) io.err(choice.summary);
  if (values.shard) {
    const summaries = [];
    for (const shard of shards) {
      summaries.push(
        await runShard(dir, shard, {
          backend,
          acceptCodeChange,
          onFallback: (loss) => io.err(`shard ${shard}: ${loss.message}; going on with the cpu backend`),
        }),
      );
    }
    releaseBackend(backend);
    io.out(
      values.json
        ? toJson(choice ? { backendChoice: choice, shards: summaries } : summaries)
        : summaries
            .map((s) => `shard ${s.shard}: ran ${s.ran} (${s.failed} failed), skipped ${s.skipped} finished`)
            .join("\n"),
    );
    return 0;
  }
  const workers =
    values.workers === undefined
      ? undefined
      : numberOption("sweep run", "workers", values.workers, { integer: true, min: 1 });
  releaseBackend(backend);
  const summary = await runSweep(dir, {
    backend: backend.name,
    ...dtype,
    acceptCodeChange,
    ...(workers === undefined ? {} : { workers }),
  });
  const crashed = summary.processes.filter((p) => p.exitCode !== 0);
  if (values.json)
    io.out(
      toJson({
        ...summary,
        backend: backend.name,
        dtype: backend.dtype,
        ...(choice ? { backendChoice: choice } : {}),
      }),
    );
  else {
    io.out(
      `${summary.tasks} tasks: ${summary.finishedBefore} finished before, ${summary.ran} run now, ` +
        `${summary.failedTasks} failed, ${summary.missing} missing`,
    );
  }
  for (const p of crashed) {
    const said = p.stderr.trim().split("\n").slice(-3).join(" | ");
    io.err(
      p.exitCode === SHARD_LOCKED_EXIT
        ? said
        : `shard ${p.shard} exited with ${p.exitCode ?? p.signal}: ${said}`,
    );
  }
  return crashed.length > 0 || summary.missing > 0 ? 1 : 0;
}

async function merge(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" } },
    allowPositionals: true,
  });
  const dir = dirArgument("merge", positionals);
  const m = mergeSweep(dir);
  if (values.json)
    io.out(toJson({ ...m.counts, complete: m.complete, json: mergedJsonPath(dir), csv: mergedCsvPath(dir) }));
  else {
    io.out(
      `merged ${m.counts.ok + m.counts.failed}/${m.counts.tasks} tasks (${m.counts.failed} failed) into ` +
        `${mergedJsonPath(dir)} and ${mergedCsvPath(dir)}`,
    );
  }
  if (m.code.length > 1) {
    io.err(
      `results of ${m.code.length} code versions are merged: ${m.code.map((v) => `${v.tasks} tasks by ${codeLabel(v)}`).join("; ")}`,
    );
  }
  if (!m.complete) {
    io.err(`${m.counts.missing} tasks unfinished; to finish them: ${resumeCommand(dir, sweepStatus(dir))}`);
  }
  return m.complete ? 0 : 1;
}

async function sbatch(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      partition: { type: "string" },
      account: { type: "string" },
      time: { type: "string" },
      mem: { type: "string" },
      cpus: { type: "string" },
      "max-concurrent": { type: "string" },
      node: { type: "string" },
      backend: { type: "string" },
      dtype: { type: "string" },
      setup: { type: "string", multiple: true },
      "accept-code-change": { type: "boolean" },
    },
    allowPositionals: true,
  });
  const dir = dirArgument("sbatch", positionals);
  const path = writeSbatch(dir, {
    ...(values.setup ? { setup: values.setup } : {}),
    ...(values["accept-code-change"] ? { acceptCodeChange: true } : {}),
    ...(values.partition ? { partition: values.partition } : {}),
    ...(values.account ? { account: values.account } : {}),
    ...(values.time ? { time: slurmTimeOption(values.time) } : {}),
    ...(values.mem ? { memory: values.mem } : {}),
    ...(values.node ? { node: values.node } : {}),
    ...(values.backend ? { backend: values.backend } : {}),
    ...(values.dtype ? { dtype: values.dtype } : {}),
    ...(values.cpus
      ? { cpusPerTask: numberOption("sweep sbatch", "cpus", values.cpus, { integer: true, min: 1 }) }
      : {}),
    ...(values["max-concurrent"]
      ? {
          maxConcurrent: numberOption("sweep sbatch", "max-concurrent", values["max-concurrent"], {
            integer: true,
            min: 1,
          }),
        }
      : {}),
  });
  io.out(`wrote ${path}; submit with: sbatch ${path}`);
  return 0;
}

/**
 * A Slurm time limit in one of the forms sbatch accepts: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S
 * (minutes, seconds below 60; hours below 24 after days), or UNLIMITED.
 */
export function slurmTimeOption(text: string): string {
  const m = /^(?:(\d+)-(\d+)(?::(\d+)(?::(\d+))?)?|(\d+)(?::(\d+)(?::(\d+))?)?|UNLIMITED|INFINITE)$/.exec(
    text,
  );
  const [, , dayHours, dayMinutes, daySeconds, , second, third] = m ?? [];
  const below = (limit: number, ...xs: (string | undefined)[]) =>
    xs.every((x) => x === undefined || Number(x) < limit);
  const ok =
    m !== null &&
    below(24, dayHours) &&
    below(60, dayMinutes, daySeconds, third) &&
    // M:S has seconds second; H:M:S has minutes second.
    below(60, second);
  if (!ok) {
    throw new InvalidArgumentError(
      "sweep sbatch",
      "--time",
      "a Slurm time limit: MINUTES, M:S, H:M:S, D-H, D-H:M or D-H:M:S (e.g. 90, 02:00:00, 1-12:00:00)",
      text,
    );
  }
  return text;
}

async function status(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" } },
    allowPositionals: true,
  });
  const dir = dirArgument("status", positionals);
  const s = sweepStatus(dir, loadPlan(dir));
  const resume = resumeCommand(dir, s);
  if (values.json) io.out(toJson({ ...s, resume }));
  else {
    const shards = Object.keys(s.unfinished);
    io.out(
      `${s.finished}/${s.tasks} tasks finished (${s.failed} failed), ${s.missing} missing` +
        (shards.length ? ` in shards ${arrayRanges(shards.map(Number))}` : ""),
    );
    for (const [id, why] of Object.entries(s.invalid)) {
      io.err(
        `task ${id}: ${resultPath(dir, Number(id))} is not a complete result (${why}); it will run again`,
      );
    }
    if (resume) io.out(`to run the rest: ${resume}`);
    const change = s.missing > 0 ? codeChange(dir) : null;
    if (change) io.err(`note: ${change}`);
  }
  return s.missing > 0 ? 1 : 0;
}

async function tasks(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { rule: { type: "string" } } });
  const lines: string[] = [];
  const list = (t: SweepTask) => {
    lines.push(`${t.name}: ${t.description}`);
    for (const p of t.parameters)
      lines.push(`  ${p.name}${p.required ? "" : " (optional)"}: ${p.description}`);
  };
  if (values.rule !== undefined) {
    const rule = { ref: values.rule, text: networkRuleSource(values.rule).text };
    for (const make of Object.values(ruleSweepTasks)) list(make(rule));
  } else {
    for (const t of Object.values(sweepTasks)) list(t);
    for (const name of Object.keys(ruleSweepTasks)) {
      lines.push(
        `${name}: runs of the network rule given with --rule (built-in or a file): final errors, q, Lyapunov exponent, failures`,
      );
      lines.push(
        "  the rule's sizes, parameters and choices (learndyn sweep tasks --rule RULE lists them), epochs, lyapunov (optional)",
      );
    }
  }
  io.out(lines.join("\n"));
  return 0;
}
