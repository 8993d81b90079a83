/**
 * `learndyn simulate RULE ...`: runs of any network rule (a built-in name or a rule file) on a
 * backend, printing the errors at log-spaced epochs, q, the Lyapunov exponent and the other
 * observables (src/sim/simulate.ts), or integrating the continuous-time limit of a flow rule
 * (src/sim/continuous.ts).
 */
import { parseArgs } from "node:util";
import { backendOptionNames, chooseBackend } from "../../backend/choose-backend.ts";
import { classifyBindings } from "../../ir/bind.ts";
import { DormandPrince54 } from "../../ode/dormand-prince54.ts";
import { PIController } from "../../ode/pi-controller.ts";
import { loadNetworkRule } from "../../rules/load.ts";
import { builtinNetworkRuleNames } from "../../rules/network/builtin-network-rules.ts";
import { calibrationWorkload } from "../../sim/calibration-workload.ts";
import { integrateRun } from "../../sim/continuous.ts";
import { ModelCache } from "../../sim/rule-run.ts";
import { simulateRuns } from "../../sim/simulate.ts";
import { simulationArrays } from "../../sim/simulation-arrays.ts";
import { simulationProgress } from "../../sim/simulation-progress.ts";
import { InvalidArgumentError, requireOneOf } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { type NdArray, writeNpz } from "../../util/npy.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { outputFileOption } from "../output-path.ts";
import { ruleValues, TWO_LAYER_OPTIONS } from "../rule-bindings.ts";

const twoLayerLines = Object.entries(TWO_LAYER_OPTIONS)
  .map(([option, o]) => `  --${`${option} x`.padEnd(17)}${o.name}: ${o.help}`)
  .join("\n");

const usage = `usage: learndyn simulate RULE [options]

Runs of a network rule: a built-in one or a rule file.
built-in: ${builtinNetworkRuleNames().join(", ")}
Each run draws its teachers, data, fixed random tensors and initial states from its seed, steps
the rule over minibatches for the given epochs, and measures the rule's error over the training
and test sets, q (seed 001 eq. 15) over all states, the weight autocorrelation and PCA over the
final 20% of the epochs, and the largest Lyapunov exponent (a twin run, all states).

options:
  --set NAME=VALUE   a size, parameter or choice the rule declares (repeatable), e.g.
                     --set M=20 --set alpha1=0.3 --set phi=tanh; other names are refused
  --epochs E         epochs (default 1000)
  --seed S           seed (default 0)
  --seeds K          run seeds S, S+1, ..., S+K-1 as one batch (default 1)
  --no-lyapunov      skip the Lyapunov exponent (halves the work)
  --mode m           discrete (default) | continuous: the continuous-time limit of a flow rule
                     (time in epochs, dW/dt = lr times the update over the whole training set,
                     renormalization as projection on each state's sphere), integrated with
                     Dormand-Prince 5(4) and a PI controller; needs --rtol and --atol, gives errors
                     only (no q or Lyapunov exponent), one seed at a time
  --rtol r, --atol a tolerances of the continuous mode (refused in the discrete one; the
                     continuous mode refuses --seeds, --backend, --dtype, --no-lyapunov and the
                     minibatch)
  --backend name     ${backendOptionNames().join(" | ")} (default auto: the fastest backend that
                     passes a check against the float64 interpreter on this run's rule and
                     sizes, timed on it, or the cached choice for that shape on this machine)
  --dtype d          float64 | float32: the element type a named backend computes in (default
                     its own; cpu-wasm and cpu-threads take both, and float32 runs compiled rules
                     in f32x4)
  --out FILE         also write the JSON to FILE (an existing FILE is refused without --force)
  --force            replace the file of --out if it exists
  --npz FILE         also write the arrays as a NumPy .npz archive: seeds, epochs,
                     trainError and testError [runs, epochs], q, lyapunov, failedAtEpoch,
                     autocorrelation, pc1, pc2 (src/sim/simulation-arrays.ts); in the continuous
                     mode epochs, trainError, testError
  --json             print JSON (otherwise a short text summary)

options of seed 001's two-layer rules (gradient-descent, curl-descent, feedback-alignment), each
the --set of the name shown; refused for a rule that does not declare that name:
${twoLayerLines}

JSON: {"rule", "sizes", "choices", "params", "backend", "backendChoice" (with auto: the
candidates, their ms per epoch, the check's deviations), "engine" (compiled or the fused
student-teacher kernel), "epochs", "trainError", "testError", "q", "lyapunov", ...}, with one
object per seed under "runs" when --seeds > 1; "notes" says what a rule cannot report (no error
declared: null errors; no data: the error of the states as trainError, no testError).`;

export const simulateCommand: Command = {
  name: "simulate",
  summary: "simulate runs of a network rule: errors, q, Lyapunov exponent, on a chosen backend",
  usage,
  async run(argv, io) {
    const fn = "simulate";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        set: { type: "string", multiple: true },
        ...Object.fromEntries(Object.keys(TWO_LAYER_OPTIONS).map((o) => [o, { type: "string" as const }])),
        epochs: { type: "string" },
        seed: { type: "string" },
        seeds: { type: "string" },
        "no-lyapunov": { type: "boolean" },
        mode: { type: "string" },
        rtol: { type: "string" },
        atol: { type: "string" },
        backend: { type: "string" },
        dtype: { type: "string" },
        out: { type: "string" },
        npz: { type: "string" },
        force: { type: "boolean" },
        json: { type: "boolean" },
      },
    });
    if (positionals.length !== 1) {
      throw new InvalidArgumentError(
        fn,
        "rule",
        `one network rule (${builtinNetworkRuleNames().join(", ")} or a rule file)`,
        positionals.join(" ") || "nothing",
      );
    }
    if (values.out !== undefined) outputFileOption(fn, "--out", values.out, values.force === true);
    // The two-layer options are declared from a table, so their keys are not typed one by one.
    const given = values as Record<string, string | boolean | string[] | undefined>;
    const ref = positionals[0]!;
    const rule = loadNetworkRule(ref);
    const twoLayer = Object.fromEntries(
      Object.keys(TWO_LAYER_OPTIONS).map((o) => [o, given[o] as string | undefined]),
    );
    const bindings = classifyBindings(rule, ruleValues(fn, rule, values.set ?? [], twoLayer), fn);
    const seed = numberOption(fn, "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }, 0);
    const seeds = numberOption(fn, "seeds", values.seeds, { integer: true, min: 1, max: 10_000 }, 1);
    const epochs = numberOption(fn, "epochs", values.epochs, { integer: true, min: 1 }, 1000);
    const mode = requireOneOf(fn, "--mode", values.mode ?? "discrete", ["discrete", "continuous"] as const);
    // Options of the other mode would be ignored: refuse them by name.
    const minibatch = typeof rule.minibatch?.size === "string" ? rule.minibatch.size : undefined;
    const otherMode =
      mode === "continuous"
        ? (["seeds", "backend", "dtype", "batch", "no-lyapunov"] as const)
        : (["rtol", "atol"] as const);
    const ignored = otherMode.find((name) => given[name] !== undefined);
    if (ignored !== undefined) {
      throw new InvalidArgumentError(
        fn,
        `--${ignored}`,
        `absent with --mode ${mode}`,
        String(given[ignored]),
        mode === "continuous"
          ? "the continuous mode runs one seed on the CPU without minibatches or a Lyapunov exponent"
          : "--rtol and --atol set the tolerances of --mode continuous",
      );
    }
    if (
      mode === "continuous" &&
      minibatch !== undefined &&
      bindings.sizes?.[minibatch] !== undefined &&
      rule.samples?.train !== minibatch
    ) {
      throw new InvalidArgumentError(
        fn,
        `--set ${minibatch}`,
        "absent with --mode continuous",
        bindings.sizes[minibatch],
        `${minibatch} is the minibatch of rule "${rule.name}"; the continuous limit has none`,
      );
    }
    const model = new ModelCache(rule).model(bindings);
    const shared = {
      rule: rule.name,
      file: ref,
      mode,
      sizes: model.compiled.sizes,
      choices: model.compiled.choices,
    };

    if (mode === "continuous") {
      const rtol = numberOption(fn, "rtol", values.rtol, { greaterThan: 0, max: 0.1 });
      const atol = numberOption(fn, "atol", values.atol, { greaterThan: 0 });
      const started = performance.now();
      const r = integrateRun(
        { model, params: bindings.params ?? {}, seed },
        { epochs, solver: DormandPrince54, controller: PIController({ rtol, atol }) },
      );
      const report = {
        ...shared,
        params: r.params,
        seed,
        epochs: r.epochs,
        trainError: r.trainError,
        testError: r.testError,
        q: null,
        lyapunov: null,
        failure: r.failure,
        stats: r.stats,
        notes: r.notes,
        seconds: (performance.now() - started) / 1000,
      };
      if (values.out) writeJson(values.out, report);
      if (values.npz) {
        // One run: errors as [1, epochs], as in the discrete mode.
        const arrays: Record<string, NdArray> = { epochs: { data: r.epochs, shape: [r.epochs.length] } };
        if (r.trainError) arrays.trainError = { data: r.trainError, shape: [1, r.trainError.length] };
        if (r.testError) arrays.testError = { data: r.testError, shape: [1, r.testError.length] };
        writeNpz(values.npz, arrays);
      }
      if (values.json) io.out(toJson(report));
      else io.out(`continuous: ${finalErrors(r.trainError, r.testError)}  (${r.stats.accepted} steps)`);
      for (const note of r.notes) io.err(`simulate: ${note}`);
      if (r.failure) io.err(`simulate: integration failed at epoch ${r.failure.epoch}: ${r.failure.message}`);
      return r.failure ? 1 : 0;
    }

    if (values.dtype !== undefined && (values.backend ?? "auto") === "auto") {
      throw new InvalidArgumentError(
        fn,
        "--dtype",
        "a named --backend with it (e.g. --backend cpu-wasm --dtype float32); auto chooses among float64 engines",
        values.dtype,
      );
    }
    const runs = Array.from({ length: seeds }, (_, k) => ({
      model,
      params: bindings.params ?? {},
      seed: seed + k,
    }));
    const lyapunov = values["no-lyapunov"] !== true;
    const { backend, choice } = await chooseBackend(
      fn,
      values.backend ?? "auto",
      () => calibrationWorkload(runs, lyapunov),
      values.dtype === undefined ? {} : { dtype: values.dtype },
    );
    if (choice) (values.json ? io.err : io.out)(choice.summary);
    const progress = simulationProgress("simulate");
    const started = performance.now();
    const results = await simulateRuns(backend, runs, { epochs, lyapunov, onProgress: progress.onProgress });
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    const first = results[0]!;
    const perRun = results.map(
      ({ rule: _r, sizes: _s, choices: _c, params: _p, engine: _e, notes: _n, ...run }) => run,
    );
    const meta = {
      ...shared,
      params: first.params,
      backend: backend.name,
      dtype: backend.dtype,
      ...(choice ? { backendChoice: choice } : {}),
      // One model and one parameter set: every run is in one batch, on one engine.
      engine: first.engine,
      notes: first.notes,
      seconds,
      secondsPerEpochPerRun: seconds / epochs / seeds,
    };
    const report = seeds === 1 ? { ...meta, ...perRun[0]! } : { ...meta, runs: perRun };
    if (values.out) writeJson(values.out, report);
    if (values.npz) writeNpz(values.npz, simulationArrays(results));
    if (values.json) {
      io.out(toJson(report));
    } else {
      io.out(`${rule.name} on ${backend.name} (${first.engine})`);
      for (const r of results) {
        const fail = r.failedAtEpoch === null ? "" : `  FAILED at epoch ${r.failedAtEpoch}`;
        io.out(
          `seed ${r.seed}: ${finalErrors(r.trainError, r.testError)}  q ${r.q.toPrecision(3)}` +
            `  lyapunov ${r.lyapunov === null ? "n/a" : r.lyapunov.toExponential(3)}${fail}`,
        );
      }
    }
    for (const note of first.notes) io.err(`simulate: ${note}`);
    for (const r of results) {
      if (r.failedAtEpoch !== null) {
        io.err(
          `simulate: seed ${r.seed} failed at epoch ${r.failedAtEpoch} (a state norm not finite, or 0 for a renormalized state); the other runs went on`,
        );
      }
    }
    return 0;
  },
};

/** "final train x  test y" with what exists. */
function finalErrors(train: number[] | null, test: number[] | null): string {
  if (!train) return "no error declared";
  const f = (xs: number[]) => xs.at(-1)?.toExponential(3);
  return `final train ${f(train)}${test ? `  test ${f(test)}` : ""}`;
}
