/**
 * `learndyn phase RULE --sampled`: the stability boundary of any network rule from sampled
 * Jacobians (src/phase/sampled-boundary.ts) over a grid of a ratio (first grid axis, e.g. c) and
 * a curve parameter (second axis, e.g. a flip fraction), at one or several sizes, with error bars
 * over seeds and the extrapolation of the crossing in 1/size; seed 001's analytic boundary is
 * drawn over it where it exists (the built-in two-layer curl descent over c and alphaH or
 * alphaR). Writes sampled-<rule>.{json,csv,svg,png}.
 */
import { join } from "node:path";
import { matchStudentTeacher } from "../../backend/fast-path.ts";
import { compileModel } from "../../ir/model.ts";
import { criticalRatio } from "../../phase/boundary.ts";
import {
  extrapolateInverseSize,
  type FieldKind,
  type SampledPoint,
  sampledCrossing,
  sampledStabilityCurve,
} from "../../phase/sampled-boundary.ts";
import { applyDerivations, type Derivation, parseDerivation, symbolsOf } from "../../phase/sweep/derive.ts";
import { type GridAxis, parseGrid } from "../../phase/sweep/grid.ts";
import type { ParamValue } from "../../phase/sweep/task.ts";
import { writeFigure } from "../../report/figure.ts";
import { sampledBoundaryFigure } from "../../report/sampled-boundary-figure.ts";
import type { NetworkRuleSpec } from "../../rules/network/spec.ts";
import { InvalidArgumentError } from "../../util/errors.ts";
import { toJson, writeCsv, writeJson } from "../../util/io.ts";
import { progressBar } from "../../util/progress.ts";
import type { CliIO } from "../command.ts";

export interface SampledPhaseOptions {
  readonly grid: readonly string[];
  /** `NAME=v1|v2|...`: a constant taking one value per size (e.g. T = M + N). */
  readonly sizes?: string;
  readonly set: Readonly<Record<string, ParamValue>>;
  readonly derive: readonly string[];
  readonly seeds: number;
  readonly seed: number;
  readonly field?: FieldKind;
  /** The size whose inverse is the extrapolation's abscissa (default M when the rule has it). */
  readonly extrapolateIn?: string;
  readonly out: string;
  readonly json: boolean;
}

/** Seed 001's analytic c* for a curve value, when the rule and axes are its hidden or readout boundary. */
function analyticBoundary(
  spec: NetworkRuleSpec,
  x: string,
  y: string,
  sizes: Record<string, number>,
): ((v: number) => number | null) | null {
  if (x !== "c" || (y !== "alphaH" && y !== "alphaR")) return null;
  try {
    const match = matchStudentTeacher(compileModel(spec, { sizes }).compiled);
    if (match?.rule !== "curl-descent") return null;
  } catch {
    return null;
  }
  return (v) => criticalRatio(y === "alphaH" ? v : 0, y === "alphaR" ? v : 0).value;
}

export async function sampledPhase(
  spec: NetworkRuleSpec,
  o: SampledPhaseOptions,
  io: CliIO,
): Promise<number> {
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
  const extrapolateIn = o.extrapolateIn ?? (spec.sizes.some((s) => s.name === "M") ? "M" : undefined);
  const realized = (sizes: Readonly<Record<string, number>>, nominal: number) =>
    xName === "c" && sizes.M !== undefined && sizes.N !== undefined ? sizes.M / sizes.N : nominal;
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  const bar = progressBar("phase --sampled", ratios.length * curve.length * sizeValues.length * seeds.length);
  const started = performance.now();
  const rows = curve.map((y) => {
    const perSize = sizeValues.map((size) => {
      const points: SampledPoint[] = sampledStabilityCurve(spec, {
        ratios,
        sizesAt: (r) => bindingsAt(r, y, size).sizes,
        params: bindingsAt(ratios[0]!, y, size).params,
        choices: bindingsAt(ratios[0]!, y, size).choices,
        seeds,
        ...(o.field ? { field: o.field } : {}),
        onSample: () => bar.tick(1),
      }).map((p) => ({ ...p, ratio: realized(p.sizes, p.ratio) }));
      const crossing = sampledCrossing(points);
      const sizeAtCrossing =
        crossing.value !== null && extrapolateIn !== undefined
          ? Number(
              applyDerivations(
                {
                  ...o.set,
                  [xName]: crossing.value,
                  ...(yAxis ? { [yAxis.name]: y } : {}),
                  ...(sizeAxis ? { [sizeAxis.name]: size } : {}),
                },
                derivations,
              )[extrapolateIn] ?? Number.NaN,
            )
          : Number.NaN;
      return { size, points, crossing, sizeAtCrossing };
    });
    const usable = perSize.filter(
      (s) => s.crossing.value !== null && Number.isFinite(s.sizeAtCrossing) && s.crossing.low !== null,
    );
    let extrapolated: { value: number; error: number; slope: number } | null = null;
    if (sizeAxis && usable.length >= 2 && new Set(usable.map((s) => s.sizeAtCrossing)).size >= 2) {
      const fit = extrapolateInverseSize(
        usable.map((s) => ({
          size: s.sizeAtCrossing,
          value: s.crossing.value!,
          error: (s.crossing.high! - s.crossing.low!) / 2,
        })),
      );
      extrapolated = { value: fit.intercept, error: fit.interceptError, slope: fit.slope };
    }
    const analyticAt = analyticBoundary(
      spec,
      xName,
      yAxis?.name ?? "",
      bindingsAt(ratios[0]!, y, sizeValues[0]!).sizes,
    );
    return { y, perSize, extrapolated, analytic: analyticAt ? analyticAt(y) : null };
  });
  bar.done();
  const base = join(o.out, `sampled-${spec.name}`);
  // The analytic boundary on a fine grid over the curve values' range.
  const analyticCurve = () => {
    const at = yAxis
      ? analyticBoundary(spec, xName, yAxis.name, bindingsAt(ratios[0]!, curve[0]!, sizeValues[0]!).sizes)
      : null;
    if (!at) return undefined;
    const lo = Math.min(...curve);
    const hi = Math.max(...curve);
    const ys = Array.from({ length: 41 }, (_, k) => lo + ((hi - lo) * k) / 40);
    const xs = ys.map(at);
    return { x: xs.map((v) => v ?? Number.NaN), y: ys };
  };
  const result = {
    rule: spec.name,
    file: spec.file,
    x: xName,
    y: yAxis?.name ?? null,
    sizeAxis: sizeAxis?.name ?? null,
    extrapolatedIn: extrapolateIn ? `1/${extrapolateIn} at the crossing` : null,
    seeds,
    derive: o.derive,
    set: o.set,
    seconds: (performance.now() - started) / 1000,
    rows: rows.map((r) => ({
      [yAxis?.name ?? "curve"]: r.y,
      analytic: r.analytic,
      extrapolated: r.extrapolated,
      sizes: r.perSize.map((s) => ({
        [sizeAxis?.name ?? "size"]: Number.isNaN(s.size) ? null : s.size,
        crossing: s.crossing,
        [`${extrapolateIn ?? "size"}AtCrossing`]: Number.isNaN(s.sizeAtCrossing) ? null : s.sizeAtCrossing,
        points: s.points,
      })),
    })),
  };
  writeJson(`${base}.json`, result);
  const curveName = yAxis?.name ?? "curve";
  const sizeName = sizeAxis?.name ?? "size";
  writeCsv(
    `${base}.csv`,
    [curveName, sizeName, "status", "cStar", "low", "high", "analytic", "extrapolated", "extrapolatedError"],
    rows.flatMap((r) =>
      r.perSize.map((s) => ({
        [curveName]: r.y,
        [sizeName]: s.size,
        status: s.crossing.status,
        cStar: s.crossing.value,
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
      yAxis?.name ?? "",
      rows.map((r) => ({
        y: Number.isNaN(r.y) ? 0 : r.y,
        crossings: r.perSize.map((s) => ({
          size: sizeAxis ? `${sizeAxis.name} = ${s.size}` : "sampled",
          ...s.crossing,
        })),
        extrapolated: r.extrapolated,
      })),
      analyticCurve(),
      [Math.min(...ratios), Math.max(...ratios)],
    ),
  );
  const files = [`${base}.json`, `${base}.csv`, figure.svg, figure.png];
  if (o.json) io.out(toJson({ ...result, files }));
  else {
    io.out(
      `${spec.name}: sampled stability boundary over ${xName}${yAxis ? ` for each ${yAxis.name}` : ""} (${seeds.length} seeds)`,
    );
    for (const r of rows) {
      const parts = r.perSize.map((s) => {
        const c = s.crossing;
        const at = sizeAxis ? `${sizeAxis.name} = ${s.size}: ` : "";
        return c.value === null
          ? `${at}${c.status}`
          : `${at}${c.value.toPrecision(4)} [${c.low?.toPrecision(4) ?? "?"}, ${c.high?.toPrecision(4) ?? "?"}]`;
      });
      const ext = r.extrapolated
        ? `; extrapolated ${r.extrapolated.value.toPrecision(4)} ± ${r.extrapolated.error.toPrecision(2)}`
        : "";
      const ana = r.analytic !== null ? `; analytic ${r.analytic.toPrecision(4)}` : "";
      io.out(`  ${yAxis ? `${yAxis.name} = ${r.y}: ` : ""}${parts.join("; ")}${ext}${ana}`);
    }
    io.out(`written: ${files.join(", ")}`);
  }
  return 0;
}
