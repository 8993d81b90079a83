/**
 * The figure of an expression's sampled stability boundary (src/phase/expression-sampled-boundary.ts):
 * x (e.g. c) horizontally, the lowest eigenvalue vertically; for each size the mean λ_min over
 * seeds with a band of one standard error; the analytic lower edge of the limiting law; zero; the
 * analytic x* and the extrapolated crossing (with its error bar on the zero line) as vertical marks.
 */
import type { ExpressionSampledBoundary } from "../phase/expression-sampled-boundary.ts";
import { SERIES_COLORS } from "./colormap.ts";
import type { Band, Figure, Series } from "./figure.ts";

export function expressionSampledFigure(
  b: ExpressionSampledBoundary,
  /** The analytic lower edge on a fine grid of x. */
  edge: { readonly x: readonly number[]; readonly edge: readonly (number | null)[] },
  title: string,
): Figure {
  const series: Series[] = [];
  const bands: Band[] = [];
  const values: number[] = [];
  b.sizes.forEach((s, k) => {
    const color = SERIES_COLORS[k % SERIES_COLORS.length]!;
    const pts = s.points.filter((p) => p.mean !== null);
    const se = (p: (typeof pts)[number]) => p.standardError ?? 0;
    series.push({
      x: pts.map((p) => p.x),
      y: pts.map((p) => p.mean!),
      label: `${b.sizeName} = ${s.size} (side ${s.points[0]!.side}-${s.points[s.points.length - 1]!.side})`,
      color,
      markers: true,
    });
    bands.push({
      x: pts.map((p) => p.x),
      lower: pts.map((p) => p.mean! - se(p)),
      upper: pts.map((p) => p.mean! + se(p)),
      color,
    });
    values.push(...pts.map((p) => p.mean!));
  });
  const finiteEdge = edge.edge.map((e) => e ?? Number.NaN);
  series.push({ x: edge.x, y: finiteEdge, label: "analytic lower edge", color: "#000000", dashed: true });
  values.push(...finiteEdge.filter(Number.isFinite));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const xs = edge.x;
  series.push({ x: [xs[0]!, xs[xs.length - 1]!], y: [0, 0], color: "#969696" });
  if (b.analytic.value !== null)
    series.push({
      x: [b.analytic.value, b.analytic.value],
      y: [lo, hi],
      label: `analytic ${b.x}* = ${b.analytic.value.toPrecision(4)}`,
      color: "#000000",
    });
  if (b.extrapolated !== null) {
    const { value, error } = b.extrapolated;
    series.push({
      x: [value, value],
      y: [lo, hi],
      label: `extrapolated ${b.x}* = ${value.toPrecision(4)} ± ${error.toPrecision(2)}`,
      color: "#e7298a",
      dashed: true,
    });
    series.push({ x: [value - error, value + error], y: [0, 0], color: "#e7298a" });
  }
  return {
    title,
    xLabel: b.x,
    yLabel: "lowest eigenvalue of the sampled matrix (mean ± s.e.)",
    series,
    bands,
  };
}
