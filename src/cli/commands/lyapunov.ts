/**
 * `learndyn lyapunov RULE [--param NAME=V]... [--time T] [--runs R]`: the Lyapunov spectrum of a
 * scalar rule (flow or map) by the QR method, with the Kaplan-Yorke dimension; with R runs from
 * seeded starts, their mean and standard error.
 */
import { parseArgs } from "node:util";
import { classifyBindings } from "../../ir/bind.ts";
import { ruleLyapunovSpectrum } from "../../ode/rule-lyapunov.ts";
import { loadAnyRule, loadNetworkRule, paramValues } from "../../rules/index.ts";
import { networkLyapunovSpectrum } from "../../sim/network-lyapunov.ts";
import { ModelCache } from "../../sim/rule-run.ts";
import { toJson } from "../../util/io.ts";
import { Rng } from "../../util/random.ts";
import { numberOption } from "../args.ts";
import type { Command } from "../command.ts";
import { parseStateValues, ruleWithParams, scalarRuleArgument } from "../param-option.ts";
import { ruleValues } from "../rule-bindings.ts";

const usage = `usage: learndyn lyapunov RULE [options]

The full Lyapunov spectrum of a scalar rule by the QR (Benettin) method and its Kaplan-Yorke
dimension. Finite-time errors: statistical ~ 1/sqrt(T) for chaotic directions, O(1/T) for the
zero exponent of a flow; --runs R gives the spread over R seeded starts.

options:
  --param NAME=V   a parameter's value (repeatable; defaults from the rule)
  --from X=V,...   the start (default 1 for every state); run r > 0 adds normals(0.1) from seed r
  --time T         averaging time of a flow or iterations of a map (default 1000 / 100000)
  --transient T    time or iterations dropped first (default 50 / 1000)
  --dt H           RK4 step for flows (default 0.01)
  --runs R         seeded runs (default 1)
  --json           one JSON object

Network flow rules (e.g. urfb) take the continuous-time limit of their run: --set NAME=VALUE for
sizes and parameters, --seed S, --count K leading exponents (default 4), --time in epochs
(default 100); the tangent vectors move by the rule's Jacobian-vector product.`;

export const lyapunovCommand: Command = {
  name: "lyapunov",
  summary: "Lyapunov spectrum (QR method) and Kaplan-Yorke dimension of a scalar or network flow rule",
  usage,
  async run(argv, io) {
    const fn = "lyapunov";
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: "string", multiple: true },
        from: { type: "string" },
        time: { type: "string" },
        transient: { type: "string" },
        dt: { type: "string" },
        runs: { type: "string" },
        json: { type: "boolean" },
        set: { type: "string", multiple: true },
        seed: { type: "string" },
        count: { type: "string" },
      },
    });
    if (positionals.length === 1 && loadAnyRule(positionals[0]!).kind === "network") {
      const spec = loadNetworkRule(positionals[0]!);
      const bindings = classifyBindings(spec, ruleValues(fn, spec, values.set ?? [], {}), fn);
      const model = new ModelCache(spec).model(bindings);
      const seed = numberOption(fn, "seed", values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }, 0);
      const r = networkLyapunovSpectrum(
        { model, seed, ...(bindings.params ? { params: bindings.params } : {}) },
        {
          time: numberOption(fn, "time", values.time, { greaterThan: 0 }, 100),
          count: numberOption(fn, "count", values.count, { integer: true, min: 1 }, 4),
          transient: numberOption(fn, "transient", values.transient, { min: 0 }, 0),
          dt: numberOption(fn, "dt", values.dt, { greaterThan: 0 }, 0.01),
        },
      );
      const report = {
        rule: spec.name,
        sizes: model.compiled.sizes,
        seed,
        dimension: r.dimension,
        span: r.span,
        exponents: r.exponents,
        kaplanYorke: r.kaplanYorke,
        ...(r.failure ? { failure: r.failure } : {}),
      };
      io.out(
        values.json
          ? `${toJson(report)}\n`
          : `Lyapunov exponents of ${spec.name} (${r.dimension} weights, T = ${r.span} epochs): ${r.exponents.map((e) => e.toExponential(4)).join(", ")}${r.failure ? `\nfailure: ${r.failure}` : ""}\n`,
      );
      return r.failure ? 1 : 0;
    }
    const { rule } = ruleWithParams(fn, scalarRuleArgument(fn, positionals), values.param);
    const params = paramValues(rule);
    const flow = rule.kind === "flow";
    const span = numberOption(
      fn,
      "time",
      values.time,
      { greaterThan: 0, integer: !flow },
      flow ? 1000 : 100_000,
    );
    const transient = numberOption(
      fn,
      "transient",
      values.transient,
      { min: 0, integer: !flow },
      flow ? 50 : 1000,
    );
    const dt = numberOption(fn, "dt", values.dt, { greaterThan: 0 }, 0.01);
    const runs = numberOption(fn, "runs", values.runs, { integer: true, min: 1, max: 1000 }, 1);
    const from = values.from ? parseStateValues(fn, "from", values.from) : {};
    const start = rule.states.map((s) => from[s] ?? 1);
    const results = Array.from({ length: runs }, (_, r) => {
      const noise = r === 0 ? start.map(() => 0) : new Rng(r).normals(start.length);
      const y0 = start.map((v, i) => v + 0.1 * noise[i]!);
      return ruleLyapunovSpectrum(rule, { params, y0, span, transient, dt });
    });
    // statistics over the runs that finished (a start outside the basin escapes: reported)
    const done = results.filter((r) => !r.failure);
    const m = done.length;
    const k = rule.states.length;
    const mean = Array.from({ length: k }, (_, j) => done.reduce((s, r) => s + r.exponents[j]!, 0) / m);
    const sd = Array.from({ length: k }, (_, j) =>
      m > 1
        ? Math.sqrt(done.reduce((s, r) => s + (r.exponents[j]! - mean[j]!) ** 2, 0) / (m - 1))
        : Number.NaN,
    );
    const report = {
      rule: rule.name,
      kind: rule.kind,
      params,
      span,
      transient,
      ...(flow ? { dt } : {}),
      runs,
      finished: m,
      start,
      exponents: mean,
      standardDeviation: sd,
      standardError: sd.map((s) => s / Math.sqrt(m)),
      kaplanYorke: done.map((r) => r.kaplanYorke),
      sum: mean.reduce((a, b) => a + b, 0),
      failures: results.flatMap((r, i) => (r.failure ? [`run ${i}: ${r.failure}`] : [])),
    };
    if (values.json) {
      io.out(`${toJson(report)}\n`);
      return 0;
    }
    const L = [
      `Lyapunov spectrum of ${rule.name} (${rule.kind}, ${flow ? `T = ${span}, dt = ${dt}` : `${span} iterations`}, ${runs} run${runs > 1 ? "s" : ""})`,
      ...mean.map(
        (m, j) =>
          `  lambda_${j + 1} = ${m.toFixed(6)}${runs > 1 ? ` +- ${report.standardError[j]!.toExponential(2)} (sd ${sd[j]!.toExponential(2)})` : ""}`,
      ),
      `  sum = ${report.sum.toFixed(6)}; Kaplan-Yorke dimension ${done[0]?.kaplanYorke?.toFixed(4) ?? "undefined"}`,
      ...report.failures.map((f) => `failure: ${f}`),
    ];
    io.out(`${L.join("\n")}\n`);
    return m === 0 ? 1 : 0;
  },
};
