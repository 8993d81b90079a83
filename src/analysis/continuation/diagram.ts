/**
 * The one-parameter bifurcation diagram of a rule's fixed points on p in [pMin, pMax]: the
 * branches through the fixed points found at both ends of the range (Newton with deflation) are
 * followed by pseudo-arclength continuation in both directions ({@link continueBranch}); every
 * sign change of a test function is located on its extended system ({@link locate}) and
 * classified (fold, transcritical, pitchfork, Hopf, neutral saddle, flip); at each branch point
 * the other branch is followed too ({@link switchBranch}), up to `maxBranches` branches. Every
 * point carries its eigenvalues and class (flows by real parts, maps by moduli). For a rule whose
 * fixed points form families, give `constraint` (invariants and a point x0): the branches are
 * then those of the fixed points on x0's level set, and the zero eigenvalues along the family
 * are left out of the class.
 */
import { type Expr, isPolynomial } from "../../expr/index.ts";
import type { RuleSpec } from "../../rules/index.ts";
import { BoundExceededError } from "../../util/errors.ts";
import { classifyEigenvalues, type PointClass } from "../classify.ts";
import { newtonWithDeflation } from "../newton.ts";
import { type Branch, continueBranch } from "./branch.ts";
import { switchBranch } from "./branch-switching.ts";
import { eigenvalues, leftNullVector, norm2 } from "./linear-algebra.ts";
import { locate } from "./locate.ts";
import { newtonSolve } from "./newton.ts";
import { type ContinuationProblem, fixedPointProblem } from "./problem.ts";
import { formatBranch, symbolicBranches } from "./symbolic-branches.ts";

export type BifurcationKind = "fold" | "transcritical" | "pitchfork" | "hopf" | "neutral saddle" | "flip";

export interface DiagramPoint {
  p: number;
  x: number[];
  class: PointClass;
  stable: boolean;
  eigenvalues: { re: number; im: number }[];
}

export interface Bifurcation {
  kind: BifurcationKind;
  p: number;
  x: number[];
  /** |extended system residual| at the located point. */
  residual: number;
  eigenvalues: { re: number; im: number }[];
  /** Hopf: the frequency omega of the eigenvalues +-i omega. */
  frequency?: number;
  /** Index of the branch it was found on. */
  branch: number;
}

export interface DiagramBranch {
  points: DiagramPoint[];
  stop: string;
  /** How the branch was started. */
  from: string;
}

export interface BifurcationDiagram {
  rule: string;
  kind: "flow" | "map";
  states: string[];
  param: string;
  range: [number, number];
  /** The other parameters' values. */
  params: Record<string, number>;
  branches: DiagramBranch[];
  bifurcations: Bifurcation[];
  /** Closed-form branches (polynomial rules), e.g. "x = sqrt(mu) where mu >= 0". */
  symbolic?: { branches: string[]; notSolved: string[][] };
  notes: string[];
}

export interface DiagramOptions {
  /** Arclength step (default (pMax - pMin)/100). */
  ds?: number;
  maxBranches?: number;
  maxStepsPerBranch?: number;
  /** Newton starts per end of the range (default 40) and their seed. */
  starts?: number;
  seed?: number;
  constraint?: { invariants: readonly Expr[]; x0: readonly number[] };
}

/** Distinguishes isolated points: two points closer than this are the same (units of |u|). */
const SAME = 1e-6;

/** Eigenvalues of f's Jacobian at u, with the class (the `constraints` zero modes removed). */
function stability(problem: ContinuationProblem, u: readonly number[]) {
  const ev = eigenvalues(problem.Jf(u));
  const kind = problem.rule.kind;
  const neutral = (z: { re: number; im: number }) =>
    kind === "flow" ? Math.hypot(z.re, z.im) : Math.hypot(z.re - 1, z.im);
  const kept = [...ev];
  for (let c = 0; c < problem.constraints; c++) {
    let k = 0;
    kept.forEach((z, i) => {
      if (neutral(z) < neutral(kept[k]!)) k = i;
    });
    kept.splice(k, 1);
  }
  const cls = classifyEigenvalues(kept, kind);
  return { eigenvalues: ev, class: cls, stable: cls === "stable node" || cls === "stable focus" };
}

/** The diagram of `rule` in `param` over [pMin, pMax], the other parameters at `values`. */
export function bifurcationDiagram(
  rule: RuleSpec,
  param: string,
  [pMin, pMax]: [number, number],
  values: Readonly<Record<string, number>>,
  options: DiagramOptions = {},
): BifurcationDiagram {
  const problem = fixedPointProblem(rule, param, values, options.constraint);
  const { n } = problem;
  const maxBranches = options.maxBranches ?? 16;
  const notes: string[] = [];
  const branches: (Branch & { from: string })[] = [];
  const bifurcations: Bifurcation[] = [];
  const branchOptions = {
    pMin,
    pMax,
    ...(options.ds ? { ds: options.ds } : {}),
    ...(options.maxStepsPerBranch ? { maxSteps: options.maxStepsPerBranch } : {}),
  };
  const ds = options.ds ?? (pMax - pMin) / 100;
  /** Branches passing within `tol` of u (distance to the polyline of their points). */
  const branchesThrough = (u: readonly number[], tol: number) =>
    branches.filter((b) =>
      b.points.some((q, k) => k > 0 && segmentDistance(u, b.points[k - 1]!.u, q.u) < tol),
    ).length;
  const pending: { u: number[]; along: number[]; from: string; fromFixedPoint: boolean }[] = [];

  // starting points: fixed points at both ends of the range
  for (const end of [pMin, pMax]) {
    const F = (x: readonly number[]) => problem.H([...x, end]);
    const square = problem.constraints === 0;
    const starts: number[][] = [];
    if (square) {
      const { roots } = newtonWithDeflation(
        { n, F, J: (x) => problem.Hu([...x, end]).map((r) => r.slice(0, n)) },
        { starts: options.starts ?? 40, seed: options.seed ?? 1 },
      );
      starts.push(...roots.map((r) => r.point));
    } else {
      // fixed points on x0's level set: Gauss-Newton from x0 and from seeded perturbations of it
      const x0 = options.constraint!.x0;
      for (let s = 0; s < (options.starts ?? 40); s++) {
        const guess = x0.map((v, i) => v + (s === 0 ? 0 : Math.sin(97 * s + 13 * i) * (1 + s / 4)));
        const r = newtonSolve(F, guess, {
          jacobian: (x) => problem.Hu([...x, end]).map((row) => row.slice(0, n)),
        });
        if (r.ok && !starts.some((q) => norm2(q.map((v, i) => v - r.u[i]!)) < SAME * (1 + norm2(q))))
          starts.push(r.u);
      }
    }
    for (const x of starts) {
      const rank = problem.Hu([...x, end]).slice(0, n);
      const sing = Math.abs(
        eigenvalues(rank.map((r) => r.slice(0, n))).reduce(
          (m, z) => Math.min(m, Math.hypot(z.re, z.im)),
          Infinity,
        ),
      );
      if (square && sing < 1e-9) {
        notes.push(
          `the fixed point (${x.map((v) => v.toPrecision(6)).join(", ")}) at ${param} = ${end} has a singular Jacobian: a family or a bifurcation at the range's end; give invariants and a point (--from) to follow families`,
        );
        continue;
      }
      pending.push({
        u: [...x, end],
        along: [...new Array(n).fill(0), end === pMin ? 1 : -1],
        from: `fixed point at ${param} = ${end}`,
        fromFixedPoint: true,
      });
    }
  }

  const events = (b: Branch, index: number) => {
    for (const d of b.detected) {
      // a fold test changing sign at a branch point (the branch through a pitchfork turns in p
      // there) is the branch point's, not a fold
      if (
        d.test === "fold" &&
        b.detected.some((e) => e.test === "branchPoint" && Math.abs(e.index - d.index) <= 1)
      )
        continue;
      const kind =
        d.test === "fold"
          ? "fold"
          : d.test === "branchPoint"
            ? "branch point"
            : d.test === "hopf"
              ? "hopf"
              : "flip";
      const before = b.points[d.index - 1]!;
      const after = b.points[d.index]!;
      const va = before.tests[d.test]!;
      const vb = after.tests[d.test]!;
      const w = va / (va - vb);
      const guess = before.u.map((v, i) => v + w * (after.u[i]! - v));
      const r = locate(problem, kind, guess);
      if (!r.ok) {
        notes.push(
          `a ${kind} detected near ${param} = ${guess[n]!.toPrecision(6)} was not located (${r.reason})`,
        );
        continue;
      }
      if (bifurcations.some((e) => norm2(e.x.map((v, i) => v - r.u[i]!)) + Math.abs(e.p - r.u[n]!) < SAME))
        continue;
      if (kind === "fold" && !regularFold(problem, r.u)) {
        notes.push(
          `the fold test changed sign near ${param} = ${r.u[n]!.toPrecision(8)} where F_p lies in the range of F_x (a branch point, not a fold)`,
        );
        continue;
      }
      const st = stability(problem, r.u);
      let label: BifurcationKind;
      let frequency: number | undefined;
      if (kind === "branch point") {
        const sw = switchBranch(problem, r.u, after.tangent);
        label = sw.kind;
        if (branches.length + pending.length < maxBranches)
          pending.push({
            u: r.u,
            along: sw.tangent,
            from: `${sw.kind} at ${param} = ${r.u[n]!.toPrecision(8)}`,
            fromFixedPoint: false,
          });
        else notes.push(`branch switching stopped at the bound of ${maxBranches} branches`);
      } else if (kind === "hopf") {
        const pair = st.eigenvalues.filter(
          (z) => Math.abs(z.re) < 1e-6 * (1 + Math.abs(z.im)) && z.im > 1e-8,
        );
        label = pair.length > 0 ? "hopf" : "neutral saddle";
        if (pair.length > 0) frequency = pair[0]!.im;
      } else label = kind;
      bifurcations.push({
        kind: label,
        p: r.u[n]!,
        x: r.u.slice(0, n),
        residual: r.residual,
        eigenvalues: st.eigenvalues,
        ...(frequency !== undefined ? { frequency } : {}),
        branch: index,
      });
    }
  };

  while (pending.length > 0) {
    const start = pending.shift()!;
    // a start on a branch already followed is skipped; a branch point's other branch is
    // skipped when two branches already cross there (the corrected points are within O(ds^2)
    // of the curve, so 2 ds bounds the polyline's distance near the crossing)
    if (
      start.fromFixedPoint
        ? branchesThrough(start.u, 1e-6 * (1 + norm2(start.u))) > 0
        : branchesThrough(start.u, 2 * ds) >= 2
    )
      continue;
    if (branches.length >= maxBranches) {
      notes.push(`stopped at the bound of ${maxBranches} branches`);
      break;
    }
    const forward = continueBranch(problem, start.u, start.along, branchOptions);
    const backward = continueBranch(
      problem,
      start.u,
      start.along.map((v) => -v),
      branchOptions,
    );
    // one branch: the backward half reversed, then the forward half (the start point once)
    const points = [...backward.points.slice(1).reverse(), ...forward.points];
    const shift = backward.points.length - 1;
    const detected = [
      ...backward.detected.map((d) => ({ test: d.test, index: backward.points.length - d.index })),
      ...forward.detected.map((d) => ({ test: d.test, index: d.index + shift })),
    ];
    const b = { points, detected, stop: `${backward.stop}; ${forward.stop}`, from: start.from };
    branches.push(b);
    events(b, branches.length - 1);
  }
  let symbolic: BifurcationDiagram["symbolic"];
  if (rule.field.every(isPolynomial) && !options.constraint) {
    try {
      const sb = symbolicBranches(rule);
      symbolic = { branches: sb.branches.map(formatBranch), notSolved: sb.notSolved };
    } catch (e) {
      if (!(e instanceof BoundExceededError)) throw e;
      notes.push(`closed-form branches not attempted further: ${e.message}`);
    }
  }
  return {
    rule: rule.name,
    kind: rule.kind,
    states: [...rule.states],
    param,
    range: [pMin, pMax],
    params: Object.fromEntries(problem.field.params.filter((q) => q !== param).map((q) => [q, values[q]!])),
    branches: branches.map((b) => ({
      from: b.from,
      stop: b.stop,
      points: b.points.map((q) => {
        const st = stability(problem, q.u);
        return { p: q.u[n]!, x: q.u.slice(0, n), ...st };
      }),
    })),
    bifurcations: bifurcations.sort((a, b) => a.p - b.p),
    ...(symbolic ? { symbolic } : {}),
    notes,
  };
}

/** Euclidean distance from u to the segment [a, b]. */
function segmentDistance(u: readonly number[], a: readonly number[], b: readonly number[]): number {
  const d = b.map((v, i) => v - a[i]!);
  const dd = d.reduce((s, v) => s + v * v, 0);
  const w = dd === 0 ? 0 : Math.max(0, Math.min(1, d.reduce((s, v, i) => s + v * (u[i]! - a[i]!), 0) / dd));
  return norm2(u.map((v, i) => v - (a[i]! + w * d[i]!)));
}

/**
 * A fold is regular when F_p is not in the range of F_x: psi . F_p != 0 for the left kernel
 * vector psi (relative to |F_p| and, when F_p = 0, absolutely, at 1e-8: a located point is
 * accurate to ~1e-12, so a regular fold's O(1) value is far from it).
 */
function regularFold(problem: ContinuationProblem, u: readonly number[]): boolean {
  const { n } = problem;
  const Hu = problem.Hu(u).slice(0, n);
  const psi = leftNullVector(Hu.map((r) => r.slice(0, n)));
  const Fp = Hu.map((r) => r[n]!);
  return Math.abs(psi.reduce((s, w, i) => s + w * Fp[i]!, 0)) > 1e-8 * Math.max(1, norm2(Fp));
}
