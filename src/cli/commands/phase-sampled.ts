/**
 * `learndyn phase RULE --sampled`: the stability boundary of any network rule from sampled
 * Jacobians (src/phase/sampled-boundary.ts) over a grid of a ratio (first grid axis, e.g. c) and
 * a curve parameter (second axis, e.g. a flip fraction), at one or several sizes, with error bars
 * over seeds and the extrapolation of the crossing in size^(-2/3) (EDGE_EXPONENT); the analytic
 * boundary of the rule's teacher-point law, derived from the rule file, is drawn over it where the
 * law derives and the grid is over its c (analyticBoundary). Writes sampled-<rule>.{json,csv,svg,png}. With `from`, the crossings and
 * the extrapolation are estimated again from a recorded run's samples, without sampling.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import {
  EDGE_EXPONENT,
  extrapolateCrossings,
  type FieldKind,
  type SampledPoint,
  sampledCrossing,
  sampledStabilityCurve,
} from "../../phase/sampled-boundary.ts";
import { applyDerivations, type Derivation, parseDerivation, symbolsOf } from "../../phase/sweep/derive.ts";
import { type GridAxis, parseGrid } from "../../phase/sweep/grid.ts";
import type { ParamValue } from "../../phase/sweep/task.ts";
import { teacherPointPrediction } from "../../phase/teacher-point/law-prediction.ts";
import { writeFigure } from "../../report/figure.ts";
import { sampledBoundaryFigure } from "../../report/sampled-boundary-figure.ts";
import type { NetworkRuleSpec } from "../../rules/network/spec.ts";
import { lowerEdgeZeroCrossing } from "../../spectra/free/critical-parameter.ts";
import { parseMatrixExpression } from "../../spectra/free/expression-parse.ts";
import { InvalidArgumentError, LearndynError } from "../../util/errors.ts";
import { toJson, writeCsv, writeJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import type { CliIO } from "../command.ts";

export interface SampledPhaseOptions {
  /** Grid axes; ignored with `from`. */
  readonly grid: readonly string[];
  /** `NAME=v1|v2|...`: a constant taking one value per size (e.g. T = M + N). */
  readonly sizes?: string;
  readonly set: Readonly<Record<string, ParamValue>>;
  readonly derive: readonly string[];
  readonly seeds: number;
  readonly seed: number;
  readonly field?: FieldKind;
  /** The size whose inverse power is the extrapolation's abscissa (default M when the rule has it). */
  readonly extrapolateIn?: string;
  /** The power of 1/size the crossings are extrapolated in (default EDGE_EXPONENT = 2/3). */
  readonly extrapolateExponent?: number;
  /** A recorded run (sampled-<rule>.json) whose samples are estimated again instead of sampling. */
  readonly from?: string;
  readonly out: string;
  readonly json: boolean;
}

/** One curve value's samples: per size, the grid points. */
interface CurveSamples {
  readonly y: number;
  readonly perSize: readonly { readonly size: number; readonly points: readonly SampledPoint[] }[];
}

/** What the estimation and the files need beyond the samples (from the options or a recorded run). */
interface RunFrame {
  readonly xName: string;
  readonly yName: string | null;
  readonly sizeName: string | null;
  readonly derive: readonly string[];
  readonly set: Readonly<Record<string, ParamValue>>;
  readonly seeds: readonly number[];
  /** Rule sizes at the first grid point, and the realized ratio there (for the analytic law). */
  readonly firstSizes: Record<string, number>;
  readonly firstRatio: number;
  readonly ratioRange: readonly [number, number];
}

/**
 * The analytic c* for a curve value from the rule's teacher-point law derived from its rule file
 * (src/phase/teacher-point), when the x axis is c and that c is the law's (the input's size over
 * the first layer's rows, checked at the first grid point to 1e-9 of the integer sizes' ratio),
 * the curve axis a param of the law (or absent), and the law self-adjoint; null otherwise. The
 * crossing is sought on the grid's ratio range widened by 4 each way.
 */
function analyticBoundary(spec: NetworkRuleSpec, frame: RunFrame): ((v: number) => number | null) | null {
  const { xName: x, yName: y, firstSizes: sizes, set } = frame;
  if (x !== "c") return null;
  const params: Record<string, number> = {};
  const choices: Record<string, string> = {};
  for (const [k, v] of Object.entries(set)) {
    if (spec.params.some((p) => p.name === k) && typeof v === "number") params[k] = v;
    else if (spec.choices.some((c) => c.name === k)) choices[k] = String(v);
  }
  const prediction = teacherPointPrediction(spec, sizes, params, choices);
  if (prediction.kind !== "derived" || prediction.measure !== "spectral law") return null;
  const law = prediction.law;
  if (y !== null && !(y in law.params)) return null;
  const firstC = prediction.params.c;
  const firstRatio = frame.firstRatio;
  if (firstC === undefined || !(Math.abs(firstC - firstRatio) <= 1e-9 * firstRatio)) return null;
  const [lo, hi] = frame.ratioRange;
  return (v) => {
    const family = (c: number) =>
      parseMatrixExpression(law.matrixFile, {
        params: { ...prediction.params, c, ...(y !== null ? { [y]: v } : {}) },
      }).expression;
    try {
      return lowerEdgeZeroCrossing(family, lo / 4, hi * 4, 24).value;
    } catch (e) {
      if (e instanceof LearndynError) return null;
      throw e;
    }
  };
}

export async function sampledPhase(
  spec: NetworkRuleSpec,
  o: SampledPhaseOptions,
  io: CliIO,
): Promise<number> {
  const fn = "phase --sampled";
  const exponent = o.extrapolateExponent ?? EDGE_EXPONENT;
  if (!(exponent > 0 && Number.isFinite(exponent)))
    throw new InvalidArgumentError(fn, "--extrapolate-exponent", "a finite number > 0", exponent);
  const started = performance.now();
  const { frame, curves, seconds } =
    o.from !== undefined ? recordedRun(spec, o.from) : { ...sampleRun(spec, o), seconds: null };
  const { xName, yName, sizeName } = frame;
  const derivations: Derivation[] = frame.derive.map(parseDerivation);
  const extrapolateIn = o.extrapolateIn ?? (spec.sizes.some((s) => s.name === "M") ? "M" : undefined);
  const analyticAt = analyticBoundary(spec, frame);
  const rows = curves.map(({ y, perSize }) => {
    const estimated = perSize.map(({ size, points }) => {
      const crossing = sampledCrossing(points);
      const sizeAtCrossing =
        crossing.value !== null && extrapolateIn !== undefined
          ? Number(
              applyDerivations(
                {
                  ...frame.set,
                  [xName]: crossing.value,
                  ...(yName ? { [yName]: y } : {}),
                  ...(sizeName ? { [sizeName]: size } : {}),
                },
                derivations,
              )[extrapolateIn] ?? Number.NaN,
            )
          : Number.NaN;
      return { size, points, crossing, sizeAtCrossing };
    });
    const extrapolated = sizeName ? extrapolateCrossings(estimated, exponent) : null;
    return { y, perSize: estimated, extrapolated, analytic: analyticAt ? analyticAt(y) : null };
  });
  const base = join(o.out, o.from !== undefined ? basename(o.from, ".json") : `sampled-${spec.name}`);
  // The analytic boundary on a fine grid over the curve values' range.
  const analyticCurve = () => {
    if (!analyticAt || !yName) return undefined;
    const ysOfRows = curves.map((c) => c.y);
    const lo = Math.min(...ysOfRows);
    const hi = Math.max(...ysOfRows);
    if (lo === hi) {
      // One curve value: its c* as a vertical mark across the lanes the sizes are drawn in (the
      // figure offsets each size's marker vertically), so each marker compares with c*(that value).
      const at = analyticAt(lo);
      return { x: [at ?? Number.NaN, at ?? Number.NaN], y: [lo - 0.05, lo + 0.05] };
    }
    const ys = Array.from({ length: 41 }, (_, k) => lo + ((hi - lo) * k) / 40);
    const xs = ys.map(analyticAt);
    return { x: xs.map((v) => v ?? Number.NaN), y: ys };
  };
  const exponentText = Math.abs(exponent - 2 / 3) < 1e-12 ? "2/3" : String(exponent);
  const result = {
    rule: spec.name,
    file: spec.file,
    x: xName,
    y: yName,
    sizeAxis: sizeName,
    crossingEstimate:
      "root of a quadratic least-squares fit of the samples at the 8 grid points nearest the sign change (fewer where a quadratic does not describe their means), delta-method standard error",
    extrapolatedIn: extrapolateIn ? `${extrapolateIn}^(-${exponentText}) at the crossing` : null,
    extrapolationExponent: exponent,
    ...(o.from !== undefined ? { estimatedFrom: o.from } : {}),
    seeds: frame.seeds,
    derive: frame.derive,
    set: frame.set,
    seconds: seconds ?? (performance.now() - started) / 1000,
    rows: rows.map((r) => ({
      [yName ?? "curve"]: r.y,
      analytic: r.analytic,
      extrapolated: r.extrapolated,
      sizes: r.perSize.map((s) => ({
        [sizeName ?? "size"]: Number.isNaN(s.size) ? null : s.size,
        crossing: s.crossing,
        [`${extrapolateIn ?? "size"}AtCrossing`]: Number.isNaN(s.sizeAtCrossing) ? null : s.sizeAtCrossing,
        points: s.points,
      })),
    })),
  };
  writeJson(`${base}.json`, result);
  const curveName = yName ?? "curve";
  const sizeColumn = sizeName ?? "size";
  writeCsv(
    `${base}.csv`,
    [
      curveName,
      sizeColumn,
      "status",
      "cStar",
      "error",
      "low",
      "high",
      "analytic",
      "extrapolated",
      "extrapolatedError",
    ],
    rows.flatMap((r) =>
      r.perSize.map((s) => ({
        [curveName]: r.y,
        [sizeColumn]: s.size,
        status: s.crossing.status,
        cStar: s.crossing.value,
        error: s.crossing.error,
        low: s.crossing.low,
        high: s.crossing.high,
        analytic: r.analytic,
        extrapolated: r.extrapolated?.value ?? null,
        extrapolatedError: r.extrapolated?.error ?? null,
      })),
    ),
  );
  const figure = writeFigure(
    base,
    sampledBoundaryFigure(
      spec.name,
      xName,
      yName ?? "",
      rows.map((r) => ({
        y: Number.isNaN(r.y) ? 0 : r.y,
        crossings: r.perSize.map((s) => ({
          size: sizeName ? `${sizeName} = ${s.size}` : "sampled",
          ...s.crossing,
        })),
        extrapolated: r.extrapolated,
      })),
      analyticCurve(),
      frame.ratioRange,
    ),
  );
  const files = [`${base}.json`, `${base}.csv`, figure.svg, figure.png];
  if (o.json) io.out(toJson({ ...result, files }));
  else {
    io.out(
      `${spec.name}: sampled stability boundary over ${xName}${yName ? ` for each ${yName}` : ""} (${frame.seeds.length} seeds)`,
    );
    for (const r of rows) {
      const parts = r.perSize.map((s) => {
        const c = s.crossing;
        const at = sizeName ? `${sizeName} = ${s.size}: ` : "";
        return c.value === null
          ? `${at}${c.status}`
          : `${at}${c.value.toPrecision(4)} ± ${c.error?.toPrecision(2) ?? "?"}`;
      });
      const ext = r.extrapolated
        ? `; extrapolated ${r.extrapolated.value.toPrecision(4)} ± ${r.extrapolated.error.toPrecision(2)}`
        : "";
      const ana = r.analytic !== null ? `; analytic ${r.analytic.toPrecision(4)}` : "";
      io.out(`  ${yName ? `${yName} = ${r.y}: ` : ""}${parts.join("; ")}${ext}${ana}`);
    }
    io.out(`written: ${files.join(", ")}`);
  }
  return 0;
}

/** Samples the rule on the options' grid. */
function sampleRun(
  spec: NetworkRuleSpec,
  o: SampledPhaseOptions,
): { frame: RunFrame; curves: CurveSamples[] } {
  const fn = "phase --sampled";
  const axes: GridAxis[] = o.grid.flatMap((g) => parseGrid(g));
  if (axes.length < 1 || axes.length > 2) {
    throw new InvalidArgumentError(
      fn,
      "--grid",
      "a ratio axis and at most one curve axis, e.g. --grid 'c=0.1:1:10,alphaH=0.2|0.5'",
      axes.map((a) => a.name),
    );
  }
  const [xAxis, yAxis] = axes as [GridAxis, GridAxis | undefined];
  const numeric = (a: GridAxis) =>
    a.values.map((v) => {
      if (typeof v !== "number") throw new InvalidArgumentError(fn, `--grid ${a.name}`, "numbers", v);
      return v;
    });
  const ratios = numeric(xAxis);
  const curve = yAxis ? numeric(yAxis) : [Number.NaN];
  const sizeAxis = o.sizes ? parseGrid(o.sizes)[0]! : null;
  const sizeValues = sizeAxis ? numeric(sizeAxis) : [Number.NaN];
  const derivations: Derivation[] = o.derive.map(parseDerivation);
  const declared = new Set([
    ...spec.sizes.map((s) => s.name),
    ...spec.params.map((p) => p.name),
    ...spec.choices.map((c) => c.name),
  ]);
  const bindingsAt = (ratio: number, y: number, size: number) => {
    const scope = applyDerivations(
      {
        ...o.set,
        [xAxis.name]: ratio,
        ...(yAxis ? { [yAxis.name]: y } : {}),
        ...(sizeAxis ? { [sizeAxis.name]: size } : {}),
      },
      derivations,
    );
    const sizes: Record<string, number> = {};
    const params: Record<string, number> = {};
    const choices: Record<string, string> = {};
    for (const [k, v] of Object.entries(scope)) {
      if (spec.sizes.some((s) => s.name === k)) sizes[k] = Math.round(Number(v));
      else if (spec.params.some((p) => p.name === k)) params[k] = Number(v);
      else if (spec.choices.some((c) => c.name === k)) choices[k] = String(v);
    }
    return { sizes, params, choices, scope };
  };
  // Every name set, derived or on the grid must be read by the rule or by a derivation.
  const readByDerivations = new Set(derivations.flatMap((d) => [d.name, ...symbolsOf(d.expression, d.name)]));
  for (const name of [
    ...Object.keys(o.set),
    xAxis.name,
    ...(yAxis ? [yAxis.name] : []),
    ...(sizeAxis ? [sizeAxis.name] : []),
  ]) {
    if (!declared.has(name) && !readByDerivations.has(name)) {
      throw new InvalidArgumentError(
        fn,
        name,
        `a size, parameter or choice of rule "${spec.name}" or a name a --derive reads`,
        name,
      );
    }
  }
  const xName = xAxis.name;
  const realized = (sizes: Readonly<Record<string, number>>, nominal: number) =>
    xName === "c" && sizes.M !== undefined && sizes.N !== undefined ? sizes.M / sizes.N : nominal;
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  const bar = progressBar("phase --sampled", ratios.length * curve.length * sizeValues.length * seeds.length);
  const curves = curve.map((y) => ({
    y,
    perSize: sizeValues.map((size) => ({
      size,
      points: sampledStabilityCurve(spec, {
        ratios,
        sizesAt: (r) => bindingsAt(r, y, size).sizes,
        params: bindingsAt(ratios[0]!, y, size).params,
        choices: bindingsAt(ratios[0]!, y, size).choices,
        seeds,
        ...(o.field ? { field: o.field } : {}),
        onSample: () => bar.tick(1),
      }).map((p) => ({ ...p, ratio: realized(p.sizes, p.ratio) })),
    })),
  }));
  bar.done();
  return {
    frame: {
      xName,
      yName: yAxis?.name ?? null,
      sizeName: sizeAxis?.name ?? null,
      derive: o.derive,
      set: o.set,
      seeds,
      firstSizes: bindingsAt(ratios[0]!, curve[0]!, sizeValues[0]!).sizes,
      firstRatio: curves[0]!.perSize[0]!.points[0]!.ratio,
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    },
    curves,
  };
}

/** A recorded run of `phase --sampled` (its JSON), checked enough to be estimated again. */
function recordedRun(
  spec: NetworkRuleSpec,
  file: string,
): { frame: RunFrame; curves: CurveSamples[]; seconds: number | null } {
  const fn = "phase --sampled";
  let run: {
    rule?: unknown;
    x?: unknown;
    y?: unknown;
    sizeAxis?: unknown;
    derive?: unknown;
    set?: unknown;
    seeds?: unknown;
    seconds?: unknown;
    rows?: unknown;
  };
  try {
    run = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InvalidArgumentError(
      fn,
      "--from",
      "a readable JSON file written by phase --sampled",
      file,
      (e as Error).message,
    );
  }
  if (run.rule !== spec.name)
    throw new InvalidArgumentError(
      fn,
      "--from",
      `a run of rule "${spec.name}"`,
      `a run of ${JSON.stringify(run.rule)}`,
    );
  if (
    typeof run.x !== "string" ||
    !Array.isArray(run.rows) ||
    !Array.isArray(run.derive) ||
    !Array.isArray(run.seeds)
  )
    throw new InvalidArgumentError(
      fn,
      "--from",
      "a run with x, derive, seeds and rows (phase --sampled --json)",
      file,
    );
  const yName = typeof run.y === "string" ? run.y : null;
  const sizeName = typeof run.sizeAxis === "string" ? run.sizeAxis : null;
  const curves: CurveSamples[] = (run.rows as Record<string, unknown>[]).map((row, i) => {
    const sizes = row.sizes;
    if (!Array.isArray(sizes) || sizes.some((s) => !Array.isArray((s as { points?: unknown }).points)))
      throw new InvalidArgumentError(fn, "--from", `rows[${i}].sizes[].points`, file);
    return {
      y: yName ? Number(row[yName]) : Number.NaN,
      perSize: (sizes as Record<string, unknown>[]).map((s) => ({
        size: sizeName ? Number(s[sizeName]) : Number.NaN,
        points: s.points as SampledPoint[],
      })),
    };
  });
  const ratios = curves.flatMap((c) => c.perSize.flatMap((s) => s.points.map((p) => p.ratio)));
  const first = curves[0]?.perSize[0]?.points[0];
  if (!first) throw new InvalidArgumentError(fn, "--from", "a run with at least one grid point", file);
  return {
    frame: {
      xName: run.x,
      yName,
      sizeName,
      derive: run.derive as string[],
      set: (run.set ?? {}) as Record<string, ParamValue>,
      seeds: run.seeds as number[],
      firstSizes: { ...first.sizes },
      firstRatio: first.ratio,
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    },
    curves,
    seconds: typeof run.seconds === "number" ? run.seconds : null,
  };
}
