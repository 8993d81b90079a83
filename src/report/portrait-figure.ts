/**
 * The figure of a phase portrait ({@link phasePortrait}): arrows of the field (grey, unit length
 * in the grid's spacing), nullclines (dashed), curves of fixed points, separatrices (labelled with
 * their invariant and level), stable and unstable manifolds of saddles, trajectories, and the
 * fixed points as markers labelled with their class. Written as JSON, SVG and PNG.
 */
import { join } from "node:path";
import { type Portrait, type PortraitOptions, phasePortrait, type Segment } from "../phase/phase-portrait.ts";
import type { RuleSpec } from "../rules/index.ts";
import { writeJson } from "../util/io.ts";
import { zeroContour } from "./contour.ts";
import { type Figure, type Series, writeFigure } from "./figure.ts";

/** Polylines as one series, broken between lines by NaN. */
function polylinesSeries(
  lines: readonly (readonly [number, number])[][],
  style: Omit<Series, "x" | "y">,
): Series {
  const x: number[] = [];
  const y: number[] = [];
  for (const line of lines) {
    for (const [a, b] of line) {
      x.push(a);
      y.push(b);
    }
    x.push(Number.NaN);
    y.push(Number.NaN);
  }
  return { x, y, ...style };
}

function segmentsSeries(segments: readonly Segment[], style: Omit<Series, "x" | "y">): Series {
  return polylinesSeries(
    segments.map(([x1, y1, x2, y2]) => [
      [x1, y1],
      [x2, y2],
    ]),
    style,
  );
}

/** The drawing of a computed portrait. */
export function portraitFigure(p: Portrait): Figure {
  const [x0, x1] = p.xRange;
  const [y0, y1] = p.yRange;
  const side = Math.sqrt(p.arrows.length);
  const hx = (0.4 * (x1 - x0)) / side;
  const hy = (0.4 * (y1 - y0)) / side;
  const arrowSegments: Segment[] = [];
  for (const a of p.arrows) {
    if (a.speed === 0) continue;
    const tx = a.x + a.dx * hx;
    const ty = a.y + a.dy * hy;
    arrowSegments.push([a.x - a.dx * hx, a.y - a.dy * hy, tx, ty]);
    // head: two strokes at +-150 degrees from the direction (in the axes' scaled units)
    for (const s of [1, -1]) {
      const c = Math.cos((s * 5 * Math.PI) / 6);
      const n = Math.sin((s * 5 * Math.PI) / 6);
      const ux = a.dx * c - a.dy * n;
      const uy = a.dx * n + a.dy * c;
      arrowSegments.push([tx, ty, tx + 0.35 * ux * hx, ty + 0.35 * uy * hy]);
    }
  }
  const series: Series[] = [segmentsSeries(arrowSegments, { color: "#b0b0b0" })];
  const nullColors = ["#2ca02c", "#9467bd"];
  for (const [k, nc] of p.nullclines.entries())
    series.push(
      segmentsSeries(nc.segments, {
        color: nullColors[k]!,
        dashed: true,
        label: `nullcline d${nc.state}/dt = 0`,
      }),
    );
  for (const f of p.families)
    series.push(segmentsSeries(f.segments, { color: "#000000", label: "fixed-point curve" }));
  for (const s of p.separatrices)
    series.push(segmentsSeries(s.segments, { color: "#d62728", label: "separatrix" }));
  const traj = p.trajectories.filter((t) => t.length > 1);
  if (traj.length > 0) series.push(polylinesSeries(traj, { color: "#ff7f0e", label: "trajectories" }));
  for (const kind of ["stable", "unstable"] as const) {
    const ms = p.manifolds.filter((m) => m.kind === kind);
    if (ms.length > 0)
      series.push(
        polylinesSeries(
          ms.map((m) => m.points),
          { color: kind === "stable" ? "#1f77b4" : "#e377c2", label: `${kind} manifolds` },
        ),
      );
  }
  for (const fp of p.fixedPoints)
    series.push({
      x: [fp.at[0]],
      y: [fp.at[1]],
      markers: true,
      markersOnly: true,
      color: fp.class.startsWith("stable")
        ? "#1f77b4"
        : fp.class === "saddle"
          ? "#8c564b"
          : fp.class === "center"
            ? "#17becf"
            : "#d62728",
      label: `${fp.class} (${fp.at.map((v) => +v.toPrecision(3)).join(", ")})`,
    });
  const params = Object.entries(p.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");
  return {
    title: [
      `${p.rule}${params ? ` (${params})` : ""}`,
      ...p.separatrices.map(
        (s) => `separatrix ${s.invariant.replaceAll("^2", "²")} = ${+s.level.toPrecision(10)}`,
      ),
      ...p.families.map((f) => `fixed points ${f.equation}`),
    ].join("; "),
    xLabel: p.axes[0],
    yLabel: p.axes[1],
    xRange: p.xRange,
    yRange: p.yRange,
    series,
    width: 900,
    height: 640,
  };
}

/** Computes the portrait of `rule` and writes `<outDir>/<name>.{json,svg,png}`. */
export function writePortrait(
  outDir: string,
  name: string,
  rule: RuleSpec,
  options: PortraitOptions,
): { portrait: Portrait; files: string[] } {
  const portrait = phasePortrait(rule, options, (f, xr, yr) => zeroContour(f, xr, yr));
  const base = join(outDir, name);
  writeJson(`${base}.json`, portrait);
  const files = writeFigure(base, portraitFigure(portrait));
  return { portrait, files: [`${base}.json`, files.svg, files.png] };
}
