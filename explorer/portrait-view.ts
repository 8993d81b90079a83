/**
 * pplane-style phase portrait of a two-state rule written in the rule language: direction field,
 * nullclines (zero sets of each component, by marching squares), fixed points with their class
 * (src/analysis, exact where the field is polynomial) and trajectories launched by clicking
 * (Dormand-Prince 5(4), forward and backward in time).
 */
import * as Plot from "@observablehq/plot";
import { fixedPoints } from "../src/analysis/fixed-points.ts";
import { compileExpr } from "../src/expr/evaluate.ts";
import { DormandPrince54 } from "../src/ode/dormand-prince54.ts";
import { integrate } from "../src/ode/integrate.ts";
import { PIController } from "../src/ode/pi-controller.ts";
import { parseRule } from "../src/rules/parse-rule.ts";
import { defaultParams, type RuleSpec } from "../src/rules/spec.ts";
import { onPlotClick } from "./plot-click.ts";

/** The square window of the portrait: [-R, R]². */
export const WINDOW = 2.5;
const GRID = 120;
const ARROWS = 21;
const HORIZON = 12;

type Field = (x: number, y: number) => [number, number];
type Nullcline = { seg: [[number, number], [number, number]]; which: string };

/** The rule and its field at the default parameters; throws the parser's positioned error. */
export function portraitRule(text: string): { rule: RuleSpec; field: Field } {
  const rule = parseRule(text);
  if (rule.states.length !== 2) {
    throw new Error(`a phase portrait needs a rule with two states; ${rule.name} has ${rule.states.length}`);
  }
  if (rule.kind !== "flow") throw new Error(`a phase portrait needs a flow (d/dt); ${rule.name} is a map`);
  const params = defaultParams(rule);
  const names = [...rule.states, ...Object.keys(params)];
  const f = rule.field.map((e) => compileExpr(e, names));
  const point = new Float64Array(names.length);
  Object.values(params).forEach((v, k) => {
    point[2 + k] = v;
  });
  const field: Field = (x, y) => {
    point[0] = x;
    point[1] = y;
    return [f[0]!(point), f[1]!(point)];
  };
  return { rule, field };
}

/** Segments of the zero set of g on the window's grid (marching squares, linear interpolation). */
export function zeroSet(g: (x: number, y: number) => number): [number, number][][] {
  const h = (2 * WINDOW) / GRID;
  const at = (i: number) => -WINDOW + i * h;
  const v = new Float64Array((GRID + 1) * (GRID + 1));
  for (let j = 0; j <= GRID; j++) for (let i = 0; i <= GRID; i++) v[j * (GRID + 1) + i] = g(at(i), at(j));
  const segments: [number, number][][] = [];
  const cross = (x0: number, y0: number, a: number, x1: number, y1: number, b: number): [number, number] => {
    const t = a / (a - b);
    return [x0 + t * (x1 - x0), y0 + t * (y1 - y0)];
  };
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      const c = [v[j * (GRID + 1) + i]!, v[j * (GRID + 1) + i + 1]!, v[(j + 1) * (GRID + 1) + i + 1]!, v[(j + 1) * (GRID + 1) + i]!];
      const p: [number, number][] = [
        [at(i), at(j)],
        [at(i + 1), at(j)],
        [at(i + 1), at(j + 1)],
        [at(i), at(j + 1)],
      ];
      const hits: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = c[e]!;
        const b = c[(e + 1) % 4]!;
        if ((a <= 0 && b > 0) || (a > 0 && b <= 0)) hits.push(cross(p[e]![0], p[e]![1], a, p[(e + 1) % 4]![0], p[(e + 1) % 4]![1], b));
      }
      if (hits.length >= 2) segments.push([hits[0]!, hits[1]!]);
      if (hits.length === 4) segments.push([hits[2]!, hits[3]!]);
    }
  }
  return segments;
}

/** The trajectory through (x, y), backward then forward for HORIZON time units. */
export function trajectory(field: Field, x: number, y: number): [number, number][] {
  const f = (_t: number, s: Float64Array, ds: Float64Array) => {
    const [a, b] = field(s[0]!, s[1]!);
    ds[0] = a;
    ds[1] = b;
  };
  const leg = (t1: number) => {
    const r = integrate(f, DormandPrince54, PIController({ rtol: 1e-6, atol: 1e-9 }), {
      t0: 0,
      t1,
      y0: [x, y],
      saveAt: "steps",
      maxSteps: 4000,
    });
    // Stop where the path leaves a box three times the window (it is clipped anyway).
    const out: [number, number][] = [];
    for (const s of r.ys) {
      if (!(Math.abs(s[0]!) < 3 * WINDOW && Math.abs(s[1]!) < 3 * WINDOW)) break;
      out.push([s[0]!, s[1]!]);
    }
    return out;
  };
  return [...leg(-HORIZON).reverse(), ...leg(HORIZON).slice(1)];
}

/** The portrait figure; clicks call `onLaunch` with the point. */
export function drawPortrait(
  rule: RuleSpec,
  field: Field,
  starts: [number, number][],
  onLaunch: (x: number, y: number) => void,
): HTMLElement | SVGSVGElement {
  const [sx, sy] = rule.states as [string, string];
  const arrows: { x: number; y: number; angle: number; length: number }[] = [];
  for (let j = 0; j < ARROWS; j++) {
    for (let i = 0; i < ARROWS; i++) {
      const x = -WINDOW + ((i + 0.5) * 2 * WINDOW) / ARROWS;
      const y = -WINDOW + ((j + 0.5) * 2 * WINDOW) / ARROWS;
      const [a, b] = field(x, y);
      const n = Math.hypot(a, b);
      if (n > 0 && Number.isFinite(n)) arrows.push({ x, y, angle: (Math.atan2(a, b) * 180) / Math.PI, length: 4 + 6 * Math.tanh(n) });
    }
  }
  const nullclines: Nullcline[] = [0, 1].flatMap((k) =>
    zeroSet((x, y) => field(x, y)[k]!).map((seg) => ({ seg: seg as Nullcline["seg"], which: `d${k === 0 ? sx : sy}/dt = 0` })),
  );
  const fp = fixedPoints(rule);
  const points = fp.fixedPoints
    .filter((p) => p.dimension === 0)
    .map((p) => ({ x: p.value[sx]!, y: p.value[sy]!, label: p.class }));
  const paths = starts.map(([x, y], k) => trajectory(field, x, y).map(([a, b]) => ({ x: a, y: b, k })));
  const plot = Plot.plot({
    width: 460,
    height: 460,
    x: { domain: [-WINDOW, WINDOW], label: sx },
    y: { domain: [-WINDOW, WINDOW], label: sy },
    color: { legend: true, domain: [`d${sx}/dt = 0`, `d${sy}/dt = 0`], range: ["#d95f02", "#1b9e77"] },
    caption: `${rule.name}: direction field, nullclines, fixed points (class), trajectories (click to launch)`,
    marks: [
      Plot.frame(),
      Plot.vector(arrows, { x: "x", y: "y", rotate: "angle", length: "length", stroke: "#999" }),
      Plot.link(nullclines, {
        x1: (d: Nullcline) => d.seg[0][0],
        y1: (d: Nullcline) => d.seg[0][1],
        x2: (d: Nullcline) => d.seg[1][0],
        y2: (d: Nullcline) => d.seg[1][1],
        stroke: "which",
        strokeWidth: 2,
      }),
      ...paths.map((path) => Plot.line(path, { x: "x", y: "y", stroke: "black", strokeWidth: 1.5, clip: true, marker: "arrow" })),
      Plot.dot(points, { x: "x", y: "y", r: 5, fill: "white", stroke: "black", clip: true }),
      Plot.text(points, { x: "x", y: "y", text: "label", dy: -12, clip: true }),
    ],
  });
  onPlotClick(plot, (x, y) => {
    if (Math.abs(x) <= WINDOW && Math.abs(y) <= WINDOW) onLaunch(x, y);
  });
  return plot;
}
