/**
 * `learndyn hessian --net FILE`: spectral tools on the loss Hessian of a saved network
 * (leading eigenvalue by power iteration, top k by subspace iteration with a power-law fit,
 * Hutchinson trace), over all weights or one block.
 */
import { parseArgs } from "node:util";
import { hutchinsonTrace } from "../../hessian/hutchinson.ts";
import { powerIteration } from "../../hessian/power-iteration.ts";
import { fitEigenvalueDecay, powerLawExponentMle } from "../../hessian/power-law.ts";
import { rnnHessianOperator } from "../../hessian/rnn-hessian.ts";
import { subspaceIteration } from "../../hessian/subspace-iteration.ts";
import { evaluate } from "../../sim/rnn/evaluate.ts";
import { blockNames } from "../../sim/rnn/params.ts";
import { loadNetwork } from "../../sim/rnn/saved-network.ts";
import { makeTask } from "../../sim/rnn/tasks/task.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson } from "../../util/io.ts";
import { plainNumber } from "../../util/plain-number.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `usage: learndyn hessian --net FILE [--block recurrent|input|output|all] [--top K]
                        [--trace M] [--tol 1e-6] [--max-iter 1000] [--seed S] [--json]

Spectral analysis of the loss Hessian of a network saved by \`learndyn rnn train --out\`, on the
task's evaluation batch; Hessian-vector products are exact (forward-over-reverse BPTT).

  --net FILE       saved network (JSON)
  --block NAME     ${blockNames.join(", ")} or all (default recurrent, as in seed 000)
  --top K          also the top K eigenvalues (subspace iteration with QR) and their power-law fit
  --trace M        also the trace by Hutchinson's estimator with M probes (with standard error)
  --tol X          relative tolerance on eigenvalues (default 1e-6)
  --max-iter K     iteration cap (default 1000)
  --data DIR       seqfashion: folder of the Fashion-MNIST idx files
  --json           print one JSON document`;

export const hessianCommand: Command = {
  name: "hessian",
  summary: "leading eigenvalue, top-k spectrum, power law and trace of a saved RNN's loss Hessian",
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        net: { type: "string" },
        block: { type: "string", default: "recurrent" },
        top: { type: "string" },
        trace: { type: "string" },
        tol: { type: "string", default: "1e-6" },
        "max-iter": { type: "string", default: "1000" },
        seed: { type: "string", default: "0" },
        data: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    const cmd = "hessian";
    if (values.net === undefined)
      throw new InvalidArgumentError(cmd, "--net", "a saved network file", "nothing");
    const net = loadNetwork(values.net);
    const taskOptions =
      values.data !== undefined ? { ...net.taskOptions, dataDir: values.data } : net.taskOptions;
    const task = makeTask(net.task, taskOptions);
    for (const key of ["n", "nIn", "nOut"] as const) {
      if (task.config[key] !== net.config[key]) {
        throw new InvalidArgumentError(
          cmd,
          "--net",
          `a network whose config.${key} is the ${net.task} task's (${task.config[key]})`,
          `${values.net} with config.${key} = ${net.config[key]}`,
        );
      }
    }
    const batch = task.evalBatch;
    const op = rnnHessianOperator(net.config, net.theta, batch, values.block);
    const tol = numberOption(cmd, "tol", values.tol, { greaterThan: 0, max: 1 });
    const maxIterations = numberOption(cmd, "max-iter", values["max-iter"], { integer: true, min: 1 });
    const seed = numberOption(cmd, "seed", values.seed, { integer: true, min: 0 });
    const ev = evaluate(net.config, net.theta, batch);
    const power = powerIteration(op, { tol, maxIterations, seed });
    const report: Record<string, unknown> = {
      command: "hessian",
      net: values.net,
      task: net.task,
      block: values.block,
      dimension: op.dim,
      loss: ev.loss,
      [task.metric]: ev.metric,
      leading: {
        eigenvalue: power.eigenvalue,
        converged: power.converged,
        iterations: power.iterations,
        residual: power.residual,
        ...(power.dominantPair ? { dominantPair: power.dominantPair, note: power.note } : {}),
      },
    };
    if (values.top !== undefined) {
      const k = numberOption(cmd, "top", values.top, { integer: true, min: 1, max: op.dim });
      const top = subspaceIteration(op, k, { tol, maxIterations, seed });
      const positive = top.eigenvalues.filter((x) => x > 0);
      report.top = {
        eigenvalues: top.eigenvalues,
        converged: top.converged,
        iterations: top.iterations,
        unconverged: top.unconverged,
        ...(positive.length >= 2
          ? { decayFit: fitEigenvalueDecay(positive), powerLawMle: powerLawExponentMle(positive) }
          : {}),
      };
    }
    if (values.trace !== undefined) {
      const m = numberOption(cmd, "trace", values.trace, { integer: true, min: 2 });
      report.trace = hutchinsonTrace(op, m, seed);
    }
    if (values.json) io.out(toJson(report));
    else {
      const lines = [
        `${net.task} network, ${values.block} block (dimension ${op.dim}), loss ${ev.loss.toPrecision(4)}`,
        power.converged
          ? `λ1 = ${plainNumber(power.eigenvalue)} (${power.iterations} iterations, residual ${power.residual.toExponential(2)})`
          : `λ1 not converged: ${power.note}`,
      ];
      const top = report.top as
        | { eigenvalues: number[]; decayFit?: { exponent: number; r2: number } }
        | undefined;
      if (top) {
        lines.push(
          `top ${top.eigenvalues.length}: ${top.eigenvalues.map((x) => x.toPrecision(4)).join(", ")}`,
        );
        if (top.decayFit)
          lines.push(`decay λ_k ∝ k^-${top.decayFit.exponent.toFixed(3)} (R² ${top.decayFit.r2.toFixed(3)})`);
      }
      const tr = report.trace as { trace: number; standardError: number } | undefined;
      if (tr)
        lines.push(
          `trace ≈ ${tr.trace.toPrecision(5)} ± ${tr.standardError.toPrecision(2)} (standard error)`,
        );
      io.out(lines.join("\n"));
    }
    return power.converged ? 0 : 1;
  },
};
