/**
 * `learndyn phase FILE.matrix --sampled --grid 'X=LO:HI:N[,Y=a|b]' --sizes 'DIM=s1|s2|...'
 * [--seeds K] [--seed S] [--set NAME=V]... [--extrapolate-exponent P] --out DIR [--json]`: the
 * stability boundary of a self-adjoint random-matrix expression from sampled matrices against the
 * analytic one (src/phase/expression-sampled-boundary.ts), for each value of the optional curve
 * axis Y. Writes sampled-<file>.{json,csv} and one figure per curve value,
 * sampled-<file>[-Y-v].{svg,png}.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import {
  type ExpressionSampledBoundary,
  expressionSampledBoundary,
} from "../../phase/expression-sampled-boundary.ts";
import { type GridAxis, parseGrid } from "../../phase/sweep/grid.ts";
import { expressionSampledFigure } from "../../report/expression-sampled-figure.ts";
import { writeFigure } from "../../report/figure.ts";
import { lowerEdgeOf } from "../../spectra/free/critical-parameter.ts";
import { parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import { InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import { toJson, writeCsv, writeJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import { assignmentOption } from "../args.ts";
import type { CliIO } from "../command.ts";

export interface ExpressionSampledCliOptions {
  readonly grid: readonly string[];
  readonly sizes?: string;
  readonly set: readonly string[];
  readonly seeds: number;
  readonly seed: number;
  readonly exponent?: number;
  readonly out: string;
  readonly json: boolean;
}

const numeric = (fn: string, option: string, a: GridAxis): number[] =>
  a.values.map((v) => {
    if (typeof v !== "number") throw new InvalidArgumentError(fn, `${option} ${a.name}`, "numbers", v);
    return v;
  });

/** The analytic lower edge on 41 points over [lo, hi] (null where the engine fails). */
function edgeCurve(
  text: string,
  file: string,
  params: Record<string, number>,
  x: string,
  lo: number,
  hi: number,
) {
  const xs = Array.from({ length: 41 }, (_, k) => lo + ((hi - lo) * k) / 40);
  const edge = xs.map((v) => {
    try {
      return lowerEdgeOf(
        (u) => parseMatrixExpression(text, { params: { ...params, [x]: u }, source: file }).expression,
        v,
      );
    } catch (e) {
      if (e instanceof LearndynError) return null;
      throw e;
    }
  });
  return { x: xs, edge };
}

export function expressionSampledCommand(file: string, o: ExpressionSampledCliOptions, io: CliIO): number {
  const fn = "phase --sampled";
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InvalidArgumentError(fn, "FILE", "a readable .matrix file", file);
  }
  const axes = o.grid.flatMap((g) => parseGrid(g));
  if (axes.length < 1 || axes.length > 2)
    throw new InvalidArgumentError(
      fn,
      "--grid",
      "an x axis and at most one curve axis, e.g. --grid 'c=0.3:0.5:9,alpha1=0.25|0.5'",
      axes.map((a) => a.name),
    );
  if (o.sizes === undefined)
    throw new InvalidArgumentError(
      fn,
      "--sizes",
      "a dim of the file and its sides, e.g. N1=250|500|1000",
      "nothing",
    );
  const sizeAxes = parseGrid(o.sizes);
  if (sizeAxes.length !== 1)
    throw new InvalidArgumentError(fn, "--sizes", "one dim, e.g. N1=250|500|1000", o.sizes);
  const [xAxis, yAxis] = axes as [GridAxis, GridAxis | undefined];
  const xs = numeric(fn, "--grid", xAxis);
  const curve = yAxis ? numeric(fn, "--grid", yAxis) : [Number.NaN];
  const sizeValues = numeric(fn, "--sizes", sizeAxes[0]!);
  const set: Record<string, number> = {};
  for (const t of o.set) {
    const [k, v] = assignmentOption(fn, "set", t);
    if (typeof v !== "number")
      throw new InvalidArgumentError(fn, "--set", "NAME=NUMBER for an expression's param", t);
    set[k] = v;
  }
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  const bar = progressBar(fn, xs.length * curve.length * sizeValues.length * seeds.length);
  const started = performance.now();
  const rows: { y: number; boundary: ExpressionSampledBoundary }[] = curve.map((y) => ({
    y,
    boundary: expressionSampledBoundary(text, file, {
      x: { name: xAxis.name, values: xs },
      params: { ...set, ...(yAxis ? { [yAxis.name]: y } : {}) },
      size: { name: sizeAxes[0]!.name, values: sizeValues },
      seeds,
      ...(o.exponent !== undefined ? { exponent: o.exponent } : {}),
      onSample: () => bar.tick(1),
    }),
  }));
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  const base = join(o.out, `sampled-${basename(file, ".matrix")}`);
  const yName = yAxis?.name ?? null;
  const figures = rows.flatMap((r) => {
    const suffix = yName ? `-${yName}-${r.y}` : "";
    const b = r.boundary;
    const fig = writeFigure(
      `${base}${suffix}`,
      expressionSampledFigure(
        b,
        edgeCurve(text, file, b.params, b.x, xs[0]!, xs[xs.length - 1]!),
        `${basename(file)}${yName ? `, ${yName} = ${r.y}` : ""}: sampled λ_min over ${b.x} (${seeds.length} seeds)`,
      ),
    );
    return [fig.svg, fig.png];
  });
  const result = {
    source: file,
    x: xAxis.name,
    curve: yName,
    sizeAxis: sizeAxes[0]!.name,
    seeds,
    set,
    crossingEstimate:
      "root of a quadratic least-squares fit of −λ_min at the 8 grid points nearest the sign change of the means (fewer where a quadratic does not describe them), delta-method standard error",
    extrapolatedIn: `side^(-${rows[0]!.boundary.exponent}) at the crossing`,
    seconds,
    rows: rows.map((r) => ({ ...(yName ? { [yName]: r.y } : {}), ...r.boundary })),
  };
  writeJson(`${base}.json`, result);
  writeCsv(
    `${base}.csv`,
    [
      yName ?? "curve",
      "size",
      "status",
      "crossing",
      "error",
      "sideAtCrossing",
      "extrapolated",
      "extrapolatedError",
      "analytic",
      "deviationSigma",
    ],
    rows.flatMap((r) =>
      r.boundary.sizes.map((s) => ({
        [yName ?? "curve"]: yName ? r.y : null,
        size: s.size,
        status: s.crossing.status,
        crossing: s.crossing.value,
        error: s.crossing.error,
        sideAtCrossing: s.sideAtCrossing,
        extrapolated: r.boundary.extrapolated?.value ?? null,
        extrapolatedError: r.boundary.extrapolated?.error ?? null,
        analytic: r.boundary.analytic.value,
        deviationSigma: r.boundary.deviationSigma,
      })),
    ),
  );
  const files = [`${base}.json`, `${base}.csv`, ...figures];
  if (o.json) {
    io.out(toJson({ ...result, files }));
    return 0;
  }
  io.out(
    `${file}: sampled stability boundary over ${xAxis.name} (λ_min of the sampled matrix, ${seeds.length} seeds a point) in ${seconds.toFixed(1)} s`,
  );
  for (const r of rows) {
    const b = r.boundary;
    const parts = b.sizes.map((s) =>
      s.crossing.value === null
        ? `${b.sizeName} = ${s.size}: ${s.crossing.status}`
        : `${b.sizeName} = ${s.size}: ${s.crossing.value.toPrecision(4)} ± ${s.crossing.error?.toPrecision(2) ?? "?"}`,
    );
    const ext = b.extrapolated
      ? `; extrapolated ${b.extrapolated.value.toPrecision(4)} ± ${b.extrapolated.error.toPrecision(2)}`
      : "";
    const ana =
      b.analytic.value !== null
        ? `; analytic ${b.analytic.value.toPrecision(4)}`
        : `; analytic: ${b.analytic.reason}`;
    const dev =
      b.deviationSigma !== null
        ? ` (${b.deviationSigma >= 0 ? "+" : ""}${b.deviationSigma.toFixed(1)}σ)`
        : "";
    const failed = b.failures > 0 ? `; ${b.failures} samples failed (see the JSON)` : "";
    io.out(`  ${yName ? `${yName} = ${r.y}: ` : ""}${parts.join("; ")}${ext}${ana}${dev}${failed}`);
  }
  io.out(`written: ${files.join(", ")}`);
  return 0;
}
