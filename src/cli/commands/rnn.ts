/**
 * `learndyn rnn train`: trains a rate RNN of seed 000 on one of its tasks with BPTT or a
 * truncated rule and reports loss, task metric, λ1 of the recurrent-weight Hessian and ρ over
 * training, plus the curvature bounds of Theorem 1 at the end.
 */
import { parseArgs } from "node:util";
import { leadingCurvature } from "../../hessian/rnn-hessian.ts";
import { curvatureBounds } from "../../hessian/stability-bound.ts";
import { initRnnParams } from "../../sim/rnn/network.ts";
import { flattenParams } from "../../sim/rnn/params.ts";
import { saveNetwork } from "../../sim/rnn/saved-network.ts";
import { makeTask, type TaskOptions, taskNames } from "../../sim/rnn/tasks/task.ts";
import {
  learningRateGrid,
  type RuleName,
  ruleNames,
  selectLearningRate,
  trainRnn,
} from "../../sim/rnn/train.ts";
import { InvalidArgumentError, requireOneOf } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { outputFileOption } from "../output-path.ts";

const defaultSteps: Record<string, number> = { pattern: 3000, dms: 1500, seqfashion: 300 };

const usage = `usage: learndyn rnn train --task pattern|dms|seqfashion --rule bptt|eprop|rflo|mdgl
                          [--match-step-length] [--seed S] [--steps K] [--lr X|auto] [--out FILE [--force]] [--json]

Trains the rate RNN of seed 000 (eqs. 10-13) with plain SGD and records loss, task metric
(MSE for pattern, accuracy otherwise), λ1 of the loss Hessian on the recurrent weights, and
ρ = ĝᵀg/gᵀg of truncated rules.

  --task NAME            pattern (N=30, T=50), dms (N=100, T=20), seqfashion (N=128, T=28)
  --rule NAME            bptt (exact), eprop (symmetric feedback), rflo (random feedback), mdgl
  --match-step-length    train BPTT with its recurrent/input step scaled by ρ of --rule
  --cell-types K         mdgl: cell-type approximation with K equal contiguous groups of units
  --seed S               initialisation, task data and RFLO feedback (default 0)
  --steps K              SGD steps (default: pattern 3000, dms 1500, seqfashion 300)
  --lr X|auto            learning rate; auto picks from the seed's grid ${learningRateGrid.join(", ")}
                         by the lowest training loss after --lr-pilot-steps (default auto)
  --lr-pilot-steps K     steps of each pilot run for --lr auto (default: --steps / 4)
  --n N, --T T           number of units and of time steps (defaults: the seed's)
  --batch-size B         seqfashion minibatch (default 64); --train-size M, --eval-size M
  --data DIR             seqfashion: folder of the Fashion-MNIST idx files
                         (default /usr/share/datasets/fashion-mnist)
  --lambda-every K       record λ1 every K steps (default: 10 times per run)
  --out FILE             save the trained network as JSON (input of \`learndyn hessian\`); an
                         existing FILE is refused without --force
  --force                replace the file of --out if it exists
  --json                 print one JSON document instead of a text summary`;

export const rnnCommand: Command = {
  name: "rnn",
  summary: "train the rate RNN of seed 000 with BPTT, e-prop, RFLO or MDGL and track λ1",
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== "train") {
      throw new InvalidArgumentError(
        "rnn",
        "subcommand",
        '"train"',
        sub ?? "nothing",
        "see learndyn rnn --help",
      );
    }
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        task: { type: "string" },
        rule: { type: "string", default: "bptt" },
        "match-step-length": { type: "boolean", default: false },
        "cell-types": { type: "string" },
        seed: { type: "string", default: "0" },
        steps: { type: "string" },
        lr: { type: "string", default: "auto" },
        "lr-pilot-steps": { type: "string" },
        n: { type: "string" },
        T: { type: "string" },
        "batch-size": { type: "string" },
        "train-size": { type: "string" },
        "eval-size": { type: "string" },
        data: { type: "string" },
        "lambda-every": { type: "string" },
        out: { type: "string" },
        force: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
    });
    const cmd = "rnn train";
    if (values.out !== undefined) outputFileOption(cmd, "--out", values.out, values.force);
    if (values.task === undefined)
      throw new InvalidArgumentError(cmd, "--task", `one of ${taskNames.join(", ")}`, "nothing");
    const taskName = requireOneOf(cmd, "--task", values.task, taskNames);
    const rule = requireOneOf(cmd, "--rule", values.rule, ruleNames) as RuleName;
    const seed = numberOption(cmd, "seed", values.seed, { integer: true, min: 0 });
    const int = (name: string, v: string | undefined) =>
      v === undefined ? undefined : numberOption(cmd, name, v, { integer: true, min: 1 });
    const taskOptions: TaskOptions = { seed };
    const n = int("n", values.n);
    const T = int("T", values.T);
    if (n !== undefined) taskOptions.n = n;
    if (T !== undefined) taskOptions.steps = T;
    const bs = int("batch-size", values["batch-size"]);
    const ts = int("train-size", values["train-size"]);
    const es = int("eval-size", values["eval-size"]);
    if (bs !== undefined) taskOptions.batchSize = bs;
    if (ts !== undefined) taskOptions.trainSize = ts;
    if (es !== undefined) taskOptions.evalSize = es;
    if (values.data !== undefined) taskOptions.dataDir = values.data;
    const task = makeTask(taskName, taskOptions);
    const steps = int("steps", values.steps) ?? defaultSteps[taskName]!;
    const lambdaEvery = int("lambda-every", values["lambda-every"]) ?? Math.max(1, Math.floor(steps / 10));
    let cellTypes: Int32Array | undefined;
    if (values["cell-types"] !== undefined) {
      if (rule !== "mdgl") throw new InvalidArgumentError(cmd, "--cell-types", "used with --rule mdgl", rule);
      const k = numberOption(cmd, "cell-types", values["cell-types"], {
        integer: true,
        min: 1,
        max: task.config.n,
      });
      cellTypes = Int32Array.from({ length: task.config.n }, (_, i) => Math.floor((i * k) / task.config.n));
    }
    const theta0 = flattenParams(initRnnParams(task.config, seed));
    const base = { rule, steps, matchStepLength: values["match-step-length"], feedbackSeed: seed, cellTypes };
    let lr: number;
    let lrSelection: unknown;
    if (values.lr === "auto") {
      const pilot = int("lr-pilot-steps", values["lr-pilot-steps"]) ?? Math.max(1, Math.floor(steps / 4));
      const choice = selectLearningRate(task, theta0, { ...base, steps: pilot });
      lr = choice.lr;
      lrSelection = { pilotSteps: pilot, ...choice };
    } else {
      lr = numberOption(cmd, "lr", values.lr, { greaterThan: 0 });
    }
    const bar = progressBar(`rnn train ${taskName} ${rule}`, steps);
    const result = trainRnn(task, theta0, {
      ...base,
      lr,
      lambdaEvery,
      curvature: leadingCurvature(task.config, task.evalBatch, "recurrent"),
      onProgress: () => bar.tick(),
    });
    bar.done();
    const last = result.history[result.history.length - 1]!;
    const truncated = rule !== "bptt" && !values["match-step-length"];
    const rho = values["match-step-length"] || truncated ? (last.rho ?? Number.NaN) : 1;
    const lambda1 = last.lambda1 ?? Number.NaN;
    let theorem1: Record<string, unknown> | undefined;
    if (Number.isFinite(rho) && rho !== 0 && Number.isFinite(lambda1)) {
      const b = curvatureBounds(lr, rho);
      theorem1 = {
        rho,
        lr,
        lambda1,
        printedBound: b.printed,
        stabilityBound: b.stability,
        belowPrintedBound: lambda1 < b.printed,
        belowStabilityBound: lambda1 < b.stability,
      };
    }
    const trainedAs = values["match-step-length"] ? `bptt matched to ${rule}` : rule;
    const report = {
      command: "rnn train",
      task: taskName,
      rule: trainedAs,
      seed,
      lr,
      ...(lrSelection ? { lrSelection } : {}),
      steps,
      sizes: task.sizes,
      metric: task.metric,
      notes: task.notes,
      final: last,
      ...(theorem1 ? { theorem1 } : {}),
      ...(result.diverged ? { diverged: result.diverged } : {}),
      history: result.history,
    };
    if (values.out !== undefined) {
      saveNetwork(values.out, {
        task: taskName,
        taskOptions,
        config: task.config,
        theta: result.theta,
        training: { rule: trainedAs, lr, steps, seed, final: last },
      });
    }
    if (values.json) io.out(toJson(report));
    else {
      io.out(
        [
          `task ${taskName} (${Object.entries(task.sizes)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")}), rule ${trainedAs}, lr ${lr}`,
          ...task.notes.map((s) => `note: ${s}`),
          ...result.history
            .filter((h) => h.lambda1 !== undefined)
            .map(
              (h) =>
                `step ${h.step}: loss ${h.loss.toPrecision(4)}, ${task.metric} ${h.metric.toPrecision(4)}, λ1 ${h.lambda1!.toPrecision(4)}${h.rho !== undefined ? `, ρ ${h.rho.toPrecision(3)}` : ""}`,
            ),
          theorem1
            ? `Theorem 1: λ1 = ${lambda1.toPrecision(4)}; printed bound 1/(|ρ|η) = ${(theorem1.printedBound as number).toPrecision(4)}, stability bound 2/(|ρ|η) = ${(theorem1.stabilityBound as number).toPrecision(4)}`
            : "Theorem 1: not evaluated (no finite λ1 or ρ)",
          ...(result.diverged ? [`diverged at step ${result.diverged.step}: ${result.diverged.reason}`] : []),
          ...(values.out ? [`saved ${values.out}`] : []),
        ].join("\n"),
      );
    }
    return result.diverged ? 1 : 0;
  },
};
