/**
 * `learndyn simulate <rule> ...`: student-teacher learning (seed 001 section 5) on a backend,
 * printing the errors at log-spaced epochs, q, the Lyapunov exponent and the other observables.
 */
import { parseArgs } from "node:util";
import { backendByName, backendNames } from "../../backend/registry.ts";
import { DormandPrince54 } from "../../ode/dormand-prince54.ts";
import { PIController } from "../../ode/pi-controller.ts";
import { simulateContinuous } from "../../sim/continuous.ts";
import { simulate } from "../../sim/simulate.ts";
import { activations, paperSpec, rules, type StudentTeacherSpec } from "../../sim/student-teacher.ts";
import { InvalidArgumentError, requireOneOf } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";

const usage = `usage: learndyn simulate <rule> [options]

Student-teacher learning as in seed 001 section 5: teacher and student two-layer networks
(W1 in R^{N x M}, W2 in R^{1 x N}), inputs x ~ N(0, I/2), learning rate per epoch-sum, each layer
renormalized to its initial Frobenius norm after every update.

rules: ${rules.join(", ")}

options:
  --M n              input dimension (default 110)
  --N n              hidden dimension (default 110)
  --alpha-h a        fraction of flipped input columns D1, in [0, 1] (curl descent; default 0)
  --alpha-r a        fraction of flipped hidden columns D2, in [0, 1] (curl descent; default 0)
  --epochs E         epochs (default 1000)
  --batch b          minibatch size dividing --n-train (default: full batch)
  --n-train P        training samples (default 250)
  --n-test Q         test samples (default 100)
  --lr eta           learning rate per epoch-sum (default 0.1)
  --activation f     ${activations.join(" | ")} (default linear)
  --distribution d   normal | uniform teacher and initial weights (default normal)
  --init-scale s     student initial weight scale (default 1)
  --teacher-scale s  teacher weight scale (default 1)
  --seed S           seed (default 0)
  --seeds K          run seeds S, S+1, ..., S+K-1 as one batch (default 1)
  --no-lyapunov      skip the Lyapunov exponent (halves the work)
  --mode m           discrete (default) | continuous: the continuous-time limit (time in epochs,
                     renormalization as projection on each layer's sphere), integrated with
                     Dormand-Prince 5(4) and a PI controller; needs --rtol and --atol, gives
                     errors only (no q or Lyapunov exponent), one seed at a time
  --rtol r, --atol a tolerances of the continuous mode (refused in the discrete one; the
                     continuous mode refuses --seeds, --backend, --batch and --no-lyapunov)
  --backend name     ${backendNames().join(" | ")} (default cpu)
  --out FILE         also write the JSON to FILE
  --json             print JSON (otherwise a short text summary)

JSON: {"epochs": [...], "trainError": [...], "testError": [...], "q": x, "lyapunov": y, ...}
with one such object per seed under "runs" when --seeds > 1.`;

export const simulateCommand: Command = {
  name: "simulate",
  summary: "simulate student-teacher learning (gradient, curl descent, feedback alignment)",
  usage,
  async run(argv, io) {
    const fn = "simulate";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        M: { type: "string" },
        N: { type: "string" },
        "alpha-h": { type: "string" },
        "alpha-r": { type: "string" },
        epochs: { type: "string" },
        batch: { type: "string" },
        "n-train": { type: "string" },
        "n-test": { type: "string" },
        lr: { type: "string" },
        activation: { type: "string" },
        distribution: { type: "string" },
        "init-scale": { type: "string" },
        "teacher-scale": { type: "string" },
        seed: { type: "string" },
        seeds: { type: "string" },
        "no-lyapunov": { type: "boolean" },
        mode: { type: "string" },
        rtol: { type: "string" },
        atol: { type: "string" },
        backend: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
      },
    });
    if (positionals.length !== 1) {
      throw new InvalidArgumentError(
        fn,
        "rule",
        `one of ${rules.join(", ")}`,
        positionals.join(" ") || "nothing",
      );
    }
    const rule = requireOneOf(fn, "rule", positionals[0], rules);
    const M = numberOption(fn, "M", values.M, { integer: true, min: 1 }, 110);
    const N = numberOption(fn, "N", values.N, { integer: true, min: 1 }, 110);
    const trainCount = numberOption(fn, "n-train", values["n-train"], { integer: true, min: 1 }, 250);
    const seed = numberOption(fn, "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }, 0);
    const seeds = numberOption(fn, "seeds", values.seeds, { integer: true, min: 1, max: 10_000 }, 1);
    const base: Omit<StudentTeacherSpec, "seed"> = paperSpec(M, N, {
      rule,
      activation: requireOneOf(fn, "--activation", values.activation ?? "linear", activations),
      alphaH: numberOption(fn, "alpha-h", values["alpha-h"], { min: 0, max: 1 }, 0),
      alphaR: numberOption(fn, "alpha-r", values["alpha-r"], { min: 0, max: 1 }, 0),
      trainCount,
      testCount: numberOption(fn, "n-test", values["n-test"], { integer: true, min: 1 }, 100),
      batchSize: numberOption(fn, "batch", values.batch, { integer: true, min: 1 }, trainCount),
      learningRate: numberOption(fn, "lr", values.lr, { greaterThan: 0 }, 0.1),
      weightDistribution: requireOneOf(fn, "--distribution", values.distribution ?? "normal", [
        "normal",
        "uniform",
      ] as const),
      initScale: numberOption(fn, "init-scale", values["init-scale"], { min: 0 }, 1),
      teacherScale: numberOption(fn, "teacher-scale", values["teacher-scale"], { min: 0 }, 1),
    });
    const epochs = numberOption(fn, "epochs", values.epochs, { integer: true, min: 1 }, 1000);
    const mode = requireOneOf(fn, "--mode", values.mode ?? "discrete", ["discrete", "continuous"] as const);
    // Options of the other mode would be ignored: refuse them by name.
    const otherMode =
      mode === "continuous"
        ? (["seeds", "backend", "batch", "no-lyapunov"] as const)
        : (["rtol", "atol"] as const);
    const ignored = otherMode.find((name) => values[name] !== undefined);
    if (ignored !== undefined) {
      throw new InvalidArgumentError(
        fn,
        `--${ignored}`,
        `absent with --mode ${mode}`,
        String(values[ignored]),
        mode === "continuous"
          ? "the continuous mode runs one seed on the CPU without minibatches or a Lyapunov exponent"
          : "--rtol and --atol set the tolerances of --mode continuous",
      );
    }
    if (mode === "continuous") {
      const rtol = numberOption(fn, "rtol", values.rtol, { greaterThan: 0, max: 0.1 });
      const atol = numberOption(fn, "atol", values.atol, { greaterThan: 0 });
      const started = performance.now();
      const r = simulateContinuous(
        { ...base, seed },
        { epochs, solver: DormandPrince54, controller: PIController({ rtol, atol }) },
      );
      const report = {
        rule,
        mode,
        spec: { ...base, batchSize: "continuous limit (no minibatches)" },
        seed,
        epochs: r.epochs,
        trainError: r.trainError,
        testError: r.testError,
        q: null,
        lyapunov: null,
        failure: r.failure,
        stats: r.stats,
        seconds: (performance.now() - started) / 1000,
      };
      if (values.out) writeJson(values.out, report);
      if (values.json) io.out(toJson(report));
      else
        io.out(
          `continuous: final train ${r.trainError.at(-1)?.toExponential(3)}  test ${r.testError.at(-1)?.toExponential(3)}  (${r.stats.accepted} steps)`,
        );
      if (r.failure) io.err(`simulate: integration failed at epoch ${r.failure.epoch}: ${r.failure.message}`);
      return r.failure ? 1 : 0;
    }
    const backend = await backendByName(values.backend ?? "cpu");
    const specs = Array.from({ length: seeds }, (_, k) => ({ ...base, seed: seed + k }));
    const bar = progressBar("simulate", epochs);
    let shown = 0;
    const started = performance.now();
    const results = await simulate(backend, specs, {
      epochs,
      lyapunov: values["no-lyapunov"] !== true,
      onProgress: (done) => {
        // Several batches (e.g. rules that cannot share one) each count up to `epochs`.
        if (done > shown) bar.tick(done - shown);
        shown = done;
      },
    });
    bar.done();
    const seconds = (performance.now() - started) / 1000;
    const runs = results.map((r) => ({
      seed: r.spec.seed,
      epochs: r.epochs,
      trainError: r.trainError,
      testError: r.testError,
      q: r.q,
      lyapunov: r.lyapunov,
      peakTestError: r.peakTestError,
      peakTrainError: r.peakTrainError,
      failedAtEpoch: r.failedAtEpoch,
      autocorrelation: r.autocorrelation,
      pca: r.pca,
    }));
    const { seed: _unused, ...shared } = { ...base, seed };
    const meta = {
      rule,
      spec: shared,
      backend: backend.name,
      seconds,
      secondsPerEpochPerRun: seconds / epochs / seeds,
    };
    const report = seeds === 1 ? { ...meta, ...runs[0]! } : { ...meta, runs };
    if (values.out) writeJson(values.out, report);
    if (values.json) {
      io.out(toJson(report));
    } else {
      for (const r of runs) {
        const fail =
          r.failedAtEpoch === null ? "" : `  FAILED at epoch ${r.failedAtEpoch} (non-finite weights)`;
        io.out(
          `seed ${r.seed}: final train ${r.trainError.at(-1)?.toExponential(3)}  test ${r.testError.at(-1)?.toExponential(3)}` +
            `  q ${r.q.toPrecision(3)}  lyapunov ${r.lyapunov === null ? "n/a" : r.lyapunov.toExponential(3)}${fail}`,
        );
      }
    }
    for (const r of runs) {
      if (r.failedAtEpoch !== null)
        io.err(`simulate: seed ${r.seed} diverged at epoch ${r.failedAtEpoch}; the other runs went on`);
    }
    return 0;
  },
};
