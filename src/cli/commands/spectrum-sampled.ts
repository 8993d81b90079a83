/**
 * `learndyn spectrum RULE --sampled --sizes 'M=50|100|200'`: the empirical spectrum of any network
 * rule's Jacobian at its teacher point (src/phase/sampled-spectrum-network.ts) over seeds at each
 * size: the histogram of the nonzero eigenvalues' real parts, the rightmost eigenvalue's mean and
 * standard error, its extrapolation in 1/size; with the population field, the prediction of the
 * rule's teacher-point law derived from the rule file (src/phase/teacher-point: the rightmost
 * eigenvalue in the limit and, for a self-adjoint law, the density) beside it, or why there is
 * none. Writes spectrum-<rule>.{json,svg,png} and spectrum-<rule>-histogram.{svg,png}.
 */
import { join } from "node:path";
import type { FieldKind } from "../../phase/sampled-boundary.ts";
import { sampledNetworkSpectrum } from "../../phase/sampled-spectrum-network.ts";
import { applyDerivations, parseDerivation } from "../../phase/sweep/derive.ts";
import { parseGrid } from "../../phase/sweep/grid.ts";
import type { ParamValue } from "../../phase/sweep/task.ts";
import { teacherPointPrediction } from "../../phase/teacher-point/law-prediction.ts";
import { writeFigure } from "../../report/figure.ts";
import type { NetworkRuleSpec } from "../../rules/network/spec.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson, writeJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import type { CliIO } from "../command.ts";

export interface SampledSpectrumOptions {
  readonly sizes: string;
  readonly set: Readonly<Record<string, ParamValue>>;
  readonly derive: readonly string[];
  readonly seeds: number;
  readonly seed: number;
  readonly field?: FieldKind;
  readonly bins?: number;
  readonly out?: string;
  readonly json: boolean;
}

export async function sampledSpectrum(
  spec: NetworkRuleSpec,
  o: SampledSpectrumOptions,
  io: CliIO,
): Promise<number> {
  const fn = "spectrum --sampled";
  const axis = parseGrid(o.sizes);
  if (axis.length !== 1)
    throw new InvalidArgumentError(fn, "--sizes", "one size with its values, e.g. M=50|100|200", o.sizes);
  const { name, values } = axis[0]!;
  const derivations = o.derive.map(parseDerivation);
  const series = values.map((v) => {
    if (typeof v !== "number") throw new InvalidArgumentError(fn, `--sizes ${name}`, "numbers", v);
    const scope = applyDerivations({ ...o.set, [name]: v }, derivations);
    const sizes: Record<string, number> = {};
    for (const [k, x] of Object.entries(scope))
      if (spec.sizes.some((s) => s.name === k)) sizes[k] = Math.round(Number(x));
    return { size: v, sizes };
  });
  const params: Record<string, number> = {};
  const choices: Record<string, string> = {};
  for (const [k, x] of Object.entries(o.set)) {
    if (spec.params.some((p) => p.name === k)) params[k] = Number(x);
    else if (spec.choices.some((c) => c.name === k)) choices[k] = String(x);
  }
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  const bar = progressBar("spectrum --sampled", series.length * seeds.length);
  const result = sampledNetworkSpectrum(spec, {
    sizes: series,
    params,
    choices,
    seeds,
    ...(o.field ? { field: o.field } : {}),
    ...(o.bins ? { bins: o.bins } : {}),
    onSample: () => bar.tick(1),
  });
  bar.done();
  // The prediction of the rule's derived teacher-point law at the largest size (population field).
  const last = result.series.at(-1)!;
  const prediction =
    last.field === "population"
      ? teacherPointPrediction(spec, last.sizes, params, choices)
      : ({
          kind: "refused",
          reason: "the training-set field is not the population field the law is derived for",
        } as const);
  const analytic =
    prediction.kind === "derived"
      ? {
          measure: prediction.measure,
          params: prediction.params,
          rightmost: prediction.rightmost,
          scalars: prediction.law.scalars,
          law: prediction.law.matrixFile,
        }
      : null;
  const report = {
    rule: spec.name,
    file: spec.file,
    size: name,
    seeds,
    set: o.set,
    derive: o.derive,
    ...result,
    analytic,
    ...(prediction.kind === "refused" ? { analyticRefused: prediction.reason } : {}),
  };
  const files: string[] = [];
  if (o.out) {
    const base = join(o.out, `spectrum-${spec.name}`);
    writeJson(`${base}.json`, report);
    files.push(`${base}.json`);
    const pts = result.series.filter((s) => s.rightmostMean !== null);
    const fit = result.extrapolation;
    const xs = pts.map((s) => 1 / s.size);
    const fig = writeFigure(base, {
      title: `${spec.name}: rightmost nonzero Jacobian eigenvalue at the teacher point`,
      xLabel: `1/${name}`,
      yLabel: "rightmost eigenvalue (mean over seeds)",
      xRange: [0, Math.max(...xs) * 1.1],
      series: [
        {
          x: xs,
          y: pts.map((s) => s.rightmostMean!),
          label: "sampled",
          markers: true,
          markersOnly: true,
          color: "#1b9e77",
        },
        ...pts.map((s) => ({
          x: [1 / s.size, 1 / s.size],
          y: [s.rightmostMean! - s.rightmostStandardError!, s.rightmostMean! + s.rightmostStandardError!],
          color: "#1b9e77",
        })),
        ...(fit
          ? [
              {
                x: [0, Math.max(...xs)],
                y: [fit.intercept, fit.intercept + fit.slope * Math.max(...xs)],
                label: "fit a + b/size",
                color: "#000000",
                dashed: true,
              },
            ]
          : []),
        ...(analytic
          ? [
              {
                x: [0, Math.max(...xs) * 1.1],
                y: [analytic.rightmost, analytic.rightmost],
                label: `free probability (${analytic.measure})`,
                color: "#d95f02",
              },
            ]
          : []),
      ],
    });
    files.push(fig.svg, fig.png);
    if (last.histogram) {
      const h = last.histogram;
      // The predicted density of the nonzero eigenvalues (a self-adjoint law only).
      const density = prediction.kind === "derived" ? prediction.density : undefined;
      const predicted = density
        ? (() => {
            const lo = h.edges[0]!;
            const hi = h.edges.at(-1)!;
            const xs = Array.from({ length: 400 }, (_, k) => lo + ((hi - lo) * (k + 0.5)) / 400);
            return { x: xs, y: xs.map(density), label: "free probability (derived law)", color: "#d95f02" };
          })()
        : null;
      const hist = writeFigure(`${base}-histogram`, {
        title: `${spec.name}: nonzero Jacobian eigenvalues at ${name} = ${last.size} (${seeds.length} seeds)`,
        xLabel: "real part",
        yLabel: "density",
        series: [
          {
            x: h.density.flatMap((_, k) => [h.edges[k]!, h.edges[k + 1]!]),
            y: h.density.flatMap((d) => [d, d]),
            label: "sampled",
            color: "#1b9e77",
          },
          ...(predicted ? [predicted] : []),
        ],
      });
      files.push(hist.svg, hist.png);
    }
  }
  if (o.json) io.out(toJson({ ...report, files }));
  else {
    io.out(
      `${spec.name}: rightmost nonzero eigenvalue of the Jacobian at the teacher point (${seeds.length} seeds)`,
    );
    for (const s of result.series) {
      io.out(
        `  ${name} = ${s.size}: ${s.rightmostMean?.toPrecision(5) ?? "—"} ± ${s.rightmostStandardError?.toPrecision(2) ?? "—"} (${s.field} field, rank ${s.samples[0]?.rank ?? "—"})`,
      );
    }
    if (result.extrapolation)
      io.out(
        `  extrapolated in 1/${name}: ${result.extrapolation.intercept.toPrecision(5)} ± ${result.extrapolation.interceptError.toPrecision(2)}`,
      );
    if (analytic)
      io.out(
        `  free probability (the law derived from the rule, ${Object.entries(analytic.params)
          .map(([k, v]) => `${k} = ${v.toPrecision(4)}`)
          .join(", ")}): ${analytic.rightmost.toPrecision(5)}`,
      );
    else if (prediction.kind === "refused") io.out(`  no free-probability prediction: ${prediction.reason}`);
    if (files.length > 0) io.out(`written: ${files.join(", ")}`);
  }
  return 0;
}
