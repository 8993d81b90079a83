/**
 * The phase portrait of a two-state rule (or a 2-D slice of a larger one, the other states held
 * at given values): the vector field on a grid, the nullclines, the fixed points in the window
 * with their class, curves of fixed points (the common factor of the field's components), the
 * stable and unstable manifolds of saddles (integrated from +-delta along the eigenvectors,
 * backward for the stable ones), trajectories from a grid of starts, and separatrices: the level
 * sets of a polynomial invariant I through its critical points on a curve of fixed points (where
 * a level set touches the curve, orbits on one side reach it and orbits on the other side do
 * not; for the curl toy, seed 001 eq. 8, the circle w1^2 + w2^2 = 2s tangent to w1 w2 = s).
 * Maps are refused (their orbits are point sets, not curves).
 */
import { classifyEigenvalues, type PointClass } from "../analysis/classify.ts";
import { eigenvalues } from "../analysis/continuation/linear-algebra.ts";
import { polyField } from "../analysis/field.ts";
import { findInvariants } from "../analysis/invariants.ts";
import { newtonWithDeflation } from "../analysis/newton.ts";
import { numericField } from "../analysis/numeric-field.ts";
import { isPolynomial, type Poly, polyGcd } from "../expr/index.ts";
import { DormandPrince54, integrate, PIController } from "../ode/index.ts";
import type { RuleSpec } from "../rules/index.ts";
import { InvalidArgumentError } from "../util/errors.ts";

export type Segment = [number, number, number, number];

export interface PortraitOptions {
  params: Readonly<Record<string, number>>;
  /** The two states drawn (default the rule's two states). */
  axes?: [string, string];
  /** Values of the other states (a slice); required for rules with more than two states. */
  slice?: Readonly<Record<string, number>>;
  xRange: [number, number];
  yRange: [number, number];
  /** Arrows per side (default 21). */
  arrows?: number;
  /** Starts per side of the trajectory grid (default 4) and integration time (default 20). */
  starts?: number;
  time?: number;
}

export interface PortraitFixedPoint {
  at: [number, number];
  class: PointClass;
  eigenvalues: { re: number; im: number }[];
}

export interface Portrait {
  rule: string;
  axes: [string, string];
  params: Record<string, number>;
  slice: Record<string, number>;
  xRange: [number, number];
  yRange: [number, number];
  /** Unit direction of the field at each grid point, with its speed. */
  arrows: { x: number; y: number; dx: number; dy: number; speed: number }[];
  /** Zero sets of each drawn component of the field. */
  nullclines: { state: string; segments: Segment[] }[];
  fixedPoints: PortraitFixedPoint[];
  /** Curves of fixed points: the common factor of the two components, when there is one. */
  families: { equation: string; segments: Segment[] }[];
  manifolds: { saddle: number; kind: "stable" | "unstable"; points: [number, number][] }[];
  trajectories: [number, number][][];
  separatrices: { invariant: string; level: number; segments: Segment[] }[];
  notes: string[];
}

type Contour = (f: (x: number, y: number) => number, xr: [number, number], yr: [number, number]) => Segment[];

/** Computes the portrait; `contour` draws zero sets (marching squares, from src/report). */
export function phasePortrait(rule: RuleSpec, options: PortraitOptions, contour: Contour): Portrait {
  const fn = "phasePortrait";
  if (rule.kind !== "flow")
    throw new InvalidArgumentError(
      fn,
      "rule",
      "a flow (d/dt rules)",
      `the map "${rule.name}"`,
      "orbits of maps are point sets",
    );
  const axes = options.axes ?? (rule.states.length === 2 ? [rule.states[0]!, rule.states[1]!] : undefined);
  if (!axes)
    throw new InvalidArgumentError(
      fn,
      "--axes",
      `two of the states (${rule.states.join(", ")})`,
      "nothing",
      "a slice needs --axes X,Y and --slice for the others",
    );
  const ix = axes.map((a) => {
    const k = rule.states.indexOf(a);
    if (k < 0)
      throw new InvalidArgumentError(
        fn,
        "--axes",
        `states of rule "${rule.name}" (${rule.states.join(", ")})`,
        a,
      );
    return k;
  });
  const slice: Record<string, number> = {};
  for (const s of rule.states) {
    if (axes.includes(s)) continue;
    const v = options.slice?.[s];
    if (v === undefined)
      throw new InvalidArgumentError(fn, "--slice", `a value for the state ${s}`, "nothing");
    slice[s] = v;
  }
  const nf = numericField(rule);
  const p = nf.paramVector(options.params);
  const full = (x: number, y: number) =>
    rule.states.map((s, k) => (k === ix[0] ? x : k === ix[1] ? y : slice[s]!));
  const F2 = (x: number, y: number) => {
    const f = nf.f(full(x, y), p);
    return [f[ix[0]!]!, f[ix[1]!]!] as [number, number];
  };
  const J2 = (x: number, y: number) => {
    const J = nf.J(full(x, y), p);
    return [0, 1].map((a) => [0, 1].map((b) => J[ix[a]!]![ix[b]!]!));
  };
  const { xRange, yRange } = options;
  const notes: string[] = [];

  const na = options.arrows ?? 21;
  const arrows: Portrait["arrows"] = [];
  for (let j = 0; j < na; j++)
    for (let i = 0; i < na; i++) {
      const x = xRange[0] + ((xRange[1] - xRange[0]) * (i + 0.5)) / na;
      const y = yRange[0] + ((yRange[1] - yRange[0]) * (j + 0.5)) / na;
      const [dx, dy] = F2(x, y);
      const speed = Math.hypot(dx, dy);
      arrows.push({ x, y, dx: speed > 0 ? dx / speed : 0, dy: speed > 0 ? dy / speed : 0, speed });
    }
  const nullclines = axes.map((state, a) => ({
    state,
    segments: contour((x, y) => F2(x, y)[a]!, xRange, yRange),
  }));

  // curves of fixed points and separatrices (polynomial rules, drawn states only)
  const families: Portrait["families"] = [];
  const separatrices: Portrait["separatrices"] = [];
  let family: Poly | undefined;
  if (rule.field.every(isPolynomial)) {
    const pf = polyField(rule, fn);
    const values: Record<string, number> = { ...options.params, ...slice };
    const g = [pf.f[ix[0]!]!.substituteValues(values), pf.f[ix[1]!]!.substituteValues(values)];
    const common = polyGcd(g[0]!, g[1]!);
    if (!common.isConstant()) {
      family = common;
      const f = common.compile(axes);
      families.push({ equation: `${common} = 0`, segments: contour((x, y) => f([x, y]), xRange, yRange) });
    }
    if (family && rule.states.length === 2) {
      const fam = family;
      for (const I of findInvariants(pf)) {
        const Ix = I.substituteValues(options.params);
        if (Ix.isConstant()) continue;
        // critical points of I on the curve: fam = 0 and grad I parallel to grad fam
        const cross = Ix.derivative(axes[0])
          .mul(fam.derivative(axes[1]))
          .sub(Ix.derivative(axes[1]).mul(fam.derivative(axes[0])));
        const eqs = [fam, cross];
        const cf = eqs.map((q) => q.compile(axes));
        const cj = eqs.map((q) => axes.map((a) => q.derivative(a).compile(axes)));
        const { roots } = newtonWithDeflation(
          { n: 2, F: (x) => cf.map((c) => c(x)), J: (x) => cj.map((row) => row.map((c) => c(x))) },
          { starts: 30, seed: 3, scale: Math.max(...xRange.map(Math.abs), ...yRange.map(Math.abs)) },
        );
        const If = Ix.compile(axes);
        const levels: number[] = [];
        for (const r of roots) {
          const level = If(r.point);
          if (!levels.some((l) => Math.abs(l - level) < 1e-8 * (1 + Math.abs(l)))) levels.push(level);
        }
        for (const level of levels)
          separatrices.push({
            invariant: Ix.toString(),
            level,
            segments: contour((x, y) => If([x, y]) - level, xRange, yRange),
          });
      }
    }
  }

  // isolated fixed points in (and near) the window
  const scale = Math.max(xRange[1] - xRange[0], yRange[1] - yRange[0]);
  const { roots } = newtonWithDeflation(
    { n: 2, F: (x) => F2(x[0]!, x[1]!), J: (x) => J2(x[0]!, x[1]!) },
    { starts: 60, seed: 1, scale },
  );
  const famValue = family ? family.compile(axes) : undefined;
  const inside = (x: number, y: number, margin = 0) =>
    x >= xRange[0] - margin && x <= xRange[1] + margin && y >= yRange[0] - margin && y <= yRange[1] + margin;
  const fixedPoints: PortraitFixedPoint[] = [];
  for (const r of roots) {
    const [x, y] = r.point as [number, number];
    if (!inside(x, y)) continue;
    if (famValue && Math.abs(famValue([x, y])) < 1e-8) continue; // on the curve of fixed points
    const ev = eigenvalues(J2(x, y));
    fixedPoints.push({ at: [x, y], class: classifyEigenvalues(ev, rule.kind), eigenvalues: ev });
  }

  const time = options.time ?? 20;
  const field = (_t: number, y: Float64Array, dy: Float64Array) => {
    const [a, b] = F2(y[0]!, y[1]!);
    dy[0] = a;
    dy[1] = b;
  };
  const controller = PIController({ rtol: 1e-8, atol: 1e-10 });
  const margin = 0.5 * scale;
  const orbit = (start: [number, number], t1: number): [number, number][] => {
    const r = integrate(field, DormandPrince54, controller, {
      t0: 0,
      t1,
      y0: start,
      saveAt: "steps",
      maxSteps: 20000,
    });
    const pts: [number, number][] = [];
    for (const y of r.ys) {
      if (!inside(y[0]!, y[1]!, margin)) break;
      pts.push([y[0]!, y[1]!]);
    }
    return pts;
  };
  const manifolds: Portrait["manifolds"] = [];
  fixedPoints.forEach((fp, k) => {
    if (fp.class !== "saddle") return;
    const J = J2(...fp.at);
    for (const z of eigenvalues(J)) {
      // eigenvector of the real eigenvalue z.re: (J - z I) v = 0
      const [a, b] = [J[0]![0]! - z.re, J[0]![1]!];
      const [c, d] = [J[1]![0]!, J[1]![1]! - z.re];
      const v = Math.hypot(a, b) > Math.hypot(c, d) ? [-b, a] : [-d, c];
      const len = Math.hypot(v[0]!, v[1]!);
      const delta = 1e-4 * scale;
      for (const sign of [1, -1]) {
        const start: [number, number] = [
          fp.at[0] + (sign * delta * v[0]!) / len,
          fp.at[1] + (sign * delta * v[1]!) / len,
        ];
        const kind = z.re < 0 ? "stable" : "unstable";
        manifolds.push({
          saddle: k,
          kind,
          points: [fp.at, ...orbit(start, kind === "stable" ? -time : time)],
        });
      }
    }
  });
  const ns = options.starts ?? 4;
  const trajectories: [number, number][][] = [];
  for (let j = 0; j < ns; j++)
    for (let i = 0; i < ns; i++) {
      const x = xRange[0] + ((xRange[1] - xRange[0]) * (i + 0.5)) / ns;
      const y = yRange[0] + ((yRange[1] - yRange[0]) * (j + 0.5)) / ns;
      trajectories.push(orbit([x, y], time));
    }
  if (fixedPoints.length === 0 && families.length === 0) notes.push("no fixed point in the window");
  return {
    rule: rule.name,
    axes,
    params: { ...options.params },
    slice,
    xRange,
    yRange,
    arrows,
    nullclines,
    fixedPoints,
    families,
    manifolds,
    trajectories,
    separatrices,
    notes,
  };
}
