/**
 * The figure of a one-parameter bifurcation diagram: one state against the parameter, stable
 * parts of the branches solid and unstable parts dashed, and each located bifurcation as a
 * marker labelled with its kind and parameter value.
 */
import type { BifurcationDiagram } from "../analysis/continuation/diagram.ts";
import type { TwoParameterCurve } from "../analysis/continuation/two-parameter.ts";
import type { Figure, Series } from "./figure.ts";

/** The diagram drawn in state `state` (default the first). */
export function bifurcationFigure(d: BifurcationDiagram, state = d.states[0]!): Figure {
  const k = d.states.indexOf(state);
  const stable: [number[], number[]] = [[], []];
  const unstable: [number[], number[]] = [[], []];
  for (const b of d.branches) {
    for (let i = 1; i < b.points.length; i++) {
      const a = b.points[i - 1]!;
      const c = b.points[i]!;
      const into = a.stable && c.stable ? stable : unstable;
      into[0].push(a.p, c.p, Number.NaN);
      into[1].push(a.x[k]!, c.x[k]!, Number.NaN);
    }
  }
  const series: Series[] = [
    { x: stable[0], y: stable[1], color: "#1f77b4", label: "stable" },
    { x: unstable[0], y: unstable[1], color: "#d62728", dashed: true, label: "unstable" },
  ];
  const colors: Record<string, string> = {
    fold: "#000000",
    transcritical: "#2ca02c",
    pitchfork: "#9467bd",
    hopf: "#ff7f0e",
    "neutral saddle": "#7f7f7f",
    flip: "#8c564b",
  };
  for (const e of d.bifurcations)
    series.push({
      x: [e.p],
      y: [e.x[k]!],
      markers: true,
      markersOnly: true,
      color: colors[e.kind] ?? "#000000",
      label: `${e.kind} ${d.param} = ${+e.p.toPrecision(6)}`,
    });
  const others = Object.entries(d.params)
    .map(([n, v]) => `${n} = ${v}`)
    .join(", ");
  return {
    title: `${d.rule}: fixed points against ${d.param}${others ? ` (${others})` : ""}`,
    xLabel: d.param,
    yLabel: state,
    xRange: d.range,
    series,
  };
}

/** Curves of folds and Hopf points in the parameter plane, with their codimension-two points. */
export function twoParameterFigure(rule: string, curves: readonly TwoParameterCurve[]): Figure {
  const series: Series[] = curves.map((c) => ({
    x: c.points.map((q) => q.p),
    y: c.points.map((q) => q.q),
    color: c.kind === "fold" ? "#000000" : "#ff7f0e",
    label: `${c.kind} curve`,
  }));
  for (const c of curves)
    for (const e of c.codim2)
      series.push({
        x: [e.p],
        y: [e.q],
        markers: true,
        markersOnly: true,
        color: "#d62728",
        label: `${e.kind} (${[e.p, e.q].map((v) => +(Math.abs(v) < 1e-12 ? 0 : v).toPrecision(4)).join(", ")})`,
      });
  const [p, q] = curves[0]?.params ?? ["p", "q"];
  return { title: `${rule}: bifurcation curves in (${p}, ${q})`, xLabel: p, yLabel: q, series };
}
