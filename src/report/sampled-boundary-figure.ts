/**
 * The figure of a sampled stability boundary, drawn like the analytic phase diagram (seed 001,
 * Fig. 2): the ratio c horizontally (log scale), the curve parameter (a flip fraction)
 * vertically; for each size, the sampled crossing c* with a horizontal error bar (one standard
 * error, from the local fit of src/phase/crossing-fit.ts); the extrapolation to infinite size
 * with its error bar; and the analytic boundary where one exists.
 */
import type { Figure, Series } from "./figure.ts";

export interface SampledBoundaryFigureRow {
  /** Value of the curve parameter (vertical axis). */
  readonly y: number;
  /** Per size: its label and the crossing with its error bar (null when there is none). */
  readonly crossings: readonly {
    readonly size: string;
    readonly status: string;
    readonly value: number | null;
    readonly low: number | null;
    readonly high: number | null;
  }[];
  /** The extrapolated crossing and its standard error, if computed. */
  readonly extrapolated?: { readonly value: number; readonly error: number } | null;
}

const COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"];

/**
 * `analyticCurve`, when given, is the analytic boundary on a fine grid of the curve parameter.
 * Each size's markers and bars are drawn slightly above or below the curve value (by a fixed
 * fraction of the vertical range) so that overlapping bars stay readable.
 */
export function sampledBoundaryFigure(
  rule: string,
  xName: string,
  yName: string,
  rows: readonly SampledBoundaryFigureRow[],
  analyticCurve?: { readonly x: readonly number[]; readonly y: readonly number[] },
  /** The grid's ratio range: a size with no crossing is marked at its stable (right) or unstable (left) end. */
  ratioRange?: readonly [number, number],
): Figure {
  const sizes = [...new Set(rows.flatMap((r) => r.crossings.map((c) => c.size)))];
  const ys = rows.map((r) => r.y);
  const span = ys.length > 1 ? Math.max(...ys) - Math.min(...ys) : 1;
  const lanes = sizes.length + 1;
  const offset = (k: number) => (k - (lanes - 1) / 2) * 0.025 * span;
  const series: Series[] = [];
  sizes.forEach((size, k) => {
    const color = COLORS[k % COLORS.length]!;
    const points = rows.flatMap((r) =>
      r.crossings
        .filter((c) => c.size === size && c.value !== null)
        .map((c) => ({ y: r.y + offset(k), ...c })),
    );
    series.push({
      x: points.map((p) => p.value!),
      y: points.map((p) => p.y),
      label: size,
      color,
      markers: true,
      markersOnly: true,
    });
    for (const p of points) {
      if (p.low !== null && p.high !== null) series.push({ x: [p.low, p.high], y: [p.y, p.y], color });
    }
  });
  if (ratioRange) {
    const none = rows.flatMap((r) =>
      r.crossings
        .filter((c) => c.status === "stable" || c.status === "unstable")
        .map((c) => ({ y: r.y, status: c.status })),
    );
    for (const status of ["stable", "unstable"] as const) {
      const marks = none.filter((m) => m.status === status);
      if (marks.length === 0) continue;
      series.push({
        x: marks.map(() => (status === "stable" ? ratioRange[1] : ratioRange[0])),
        y: marks.map((m) => m.y),
        label: `${status} over the grid`,
        color: status === "stable" ? "#9ecae1" : "#fdae6b",
        markers: true,
        markersOnly: true,
      });
    }
  }
  const extrapolated = rows.filter((r) => r.extrapolated);
  if (extrapolated.length > 0) {
    const dy = offset(sizes.length);
    series.push({
      x: extrapolated.map((r) => r.extrapolated!.value),
      y: extrapolated.map((r) => r.y + dy),
      label: "size -> infinity",
      color: "#000000",
      markers: true,
      markersOnly: true,
    });
    for (const r of extrapolated) {
      const { value, error } = r.extrapolated!;
      if (Number.isFinite(error))
        series.push({ x: [value - error, value + error], y: [r.y + dy, r.y + dy], color: "#000000" });
    }
  }
  if (analyticCurve && analyticCurve.x.length > 0) {
    series.push({
      x: analyticCurve.x,
      y: analyticCurve.y,
      label: "analytic",
      color: "#555555",
      dashed: true,
    });
  }
  const xs = series.flatMap((s) => s.x).filter((v) => Number.isFinite(v) && v > 0);
  const xRange: [number, number] =
    xs.length > 0 ? [Math.min(...xs) / 1.15, Math.max(...xs) * 1.15] : [0.1, 10];
  const yPad = ys.length > 1 ? 0.1 * span : 0.1;
  return {
    title: `${rule}: sampled stability boundary`,
    xLabel: `${xName} (log scale); stable for ${xName} below the boundary`,
    yLabel: yName,
    xLog: true,
    xRange,
    yRange: [Math.min(...ys) - yPad, Math.max(...ys) + yPad],
    series,
    width: 760,
    height: 500,
  };
}
