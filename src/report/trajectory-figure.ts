/**
 * The figure of a scalar rule's trajectories (src/sim/rule-trajectories.ts): for two states a
 * phase portrait (state 2 against state 1) with the starts and the fixed points marked; for any
 * other number of states every state against time, one colour per state, one line style per start.
 */
import type { RuleTrajectories } from "../sim/rule-trajectories.ts";
import type { Figure, Series } from "./figure.ts";

/** A fixed point to mark: numeric coordinates by state name, and its class. */
export interface MarkedPoint {
  value: Record<string, number>;
  label: string;
}

// Trajectories that run away are cut at this multiple of the region the starts and fixed points
// span, so that one escaping solution does not shrink the rest of the figure to a dot.
const VIEW = 1.6;

/** The figure described in the module comment. */
export function trajectoryFigure(r: RuleTrajectories, fixedPoints: readonly MarkedPoint[]): Figure {
  const time = r.kind === "flow" ? "t" : "iteration k";
  if (r.states.length === 2) {
    const [a, b] = r.states as [string, string];
    const reach = Math.max(
      ...r.trajectories.flatMap((t) => t.start.map(Math.abs)),
      ...fixedPoints.flatMap((p) => [Math.abs(p.value[a] ?? 0), Math.abs(p.value[b] ?? 0)]),
    );
    const lim = VIEW * reach;
    const series: Series[] = r.trajectories.map((t, k) => ({
      x: t.y.map((y) => y[0]!),
      y: t.y.map((y) => y[1]!),
      ...(k === 0 ? { label: "trajectories" } : {}),
      color: "#1f77b4",
    }));
    series.push({
      x: r.trajectories.map((t) => t.start[0]!),
      y: r.trajectories.map((t) => t.start[1]!),
      label: "starts",
      color: "#7f7f7f",
      markers: true,
      markersOnly: true,
    });
    const classes = [...new Set(fixedPoints.map((p) => p.label))];
    const palette = ["#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
    classes.forEach((cls, i) => {
      const pts = fixedPoints.filter((p) => p.label === cls);
      series.push({
        x: pts.map((p) => p.value[a]!),
        y: pts.map((p) => p.value[b]!),
        label: `fixed: ${cls}`,
        color: palette[i % palette.length]!,
        markers: true,
        markersOnly: true,
      });
    });
    return {
      title: `${r.rule}: trajectories in the (${a}, ${b}) plane`,
      xLabel: a,
      yLabel: b,
      xRange: [-lim, lim],
      yRange: [-lim, lim],
      series,
      width: 700,
      height: 560,
    };
  }
  const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];
  const series: Series[] = r.trajectories.flatMap((t, k) =>
    r.states.map((s, i) => ({
      x: t.t,
      y: t.y.map((y) => y[i]!),
      ...(k === 0 ? { label: s } : {}),
      color: colors[i % colors.length]!,
      dashed: k % 2 === 1,
    })),
  );
  const reach = Math.max(1, ...r.trajectories.flatMap((t) => t.start.map(Math.abs)));
  const finite = r.trajectories.flatMap((t) => t.y.flat()).filter((v) => Math.abs(v) <= VIEW * 4 * reach);
  return {
    title: `${r.rule}: states against ${r.kind === "flow" ? "time" : "iterations"} from ${r.trajectories.length} starts`,
    xLabel: time,
    yLabel: "state",
    xRange: [0, r.horizon],
    yRange: [Math.min(...finite), Math.max(...finite)],
    series,
  };
}
