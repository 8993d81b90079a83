/**
 * All isolated complex roots of a square polynomial system F(x) = 0 by total-degree homotopy
 * continuation (A. J. Sommese, C. W. Wampler, "The Numerical Solution of Systems of
 * Polynomials Arising in Engineering and Science", 2005, ch. 8 and 10):
 *
 *     H(x, t) = (1 - t) gamma G(x) + t F(x),   G_i(x) = x_i^(d_i) - 1,   d_i = deg F_i,
 *
 * tracked from the prod d_i roots of G at t = 0 to t = 1. With gamma a random complex number
 * (the gamma trick) every path is smooth for t in [0, 1) with probability one, and the path
 * ends include every isolated root of F (Bezout's theorem counts at most prod d_i of them).
 *
 * Each path: a fourth-order Runge-Kutta predictor on dx/dt = -H_x^(-1) H_t, a Newton corrector
 * (at most 3 iterations, each correction at most half the previous one), and step-size
 * control (halve on failure, double after 3 successes). Near t = 1 the path is first tracked
 * straight to the end; if that fails or ends at a singular point, the Cauchy end game takes
 * over: loops of t around 1 at radius r (8 chords a turn, at most 4 turns) give the winding number c and, by the Cauchy integral
 * formula over the c-fold loop, the endpoint as the mean of equally spaced samples; radii
 * shrink by 4 until two estimates agree (Sommese-Wampler, sec. 10.3.3). Paths whose norm
 * exceeds `divergence` go to a root at infinity.
 *
 * Every path has a step bound and the whole tracking a bound on the total steps; a path that
 * hits one is reported as "failed" with the reason, never dropped. A time budget
 * ({@link Budget}) is checked at every step: when it runs out the tracking stops and returns the
 * paths ended so far with the budget's error (`stoppedBy`).
 */
import { type Budget, BudgetExceededError } from "../util/budget.ts";
import { BoundExceededError } from "../util/errors.ts";
import { Rng } from "../util/random.ts";
import { type CVec, cnorm, evaluateSystem, type PolySystem, solveComplex } from "./poly-system.ts";

export type PathStatus = "regular" | "singular" | "diverged" | "failed";

export interface PathEnd {
  status: PathStatus;
  /** The endpoint (for "diverged" and "failed": where the path was last). */
  x: CVec;
  /** Winding number from the Cauchy end game (1 for a path tracked straight to the end). */
  winding: number;
  /** An estimate of the condition number of F'(x) at the endpoint (Infinity when singular). */
  condition: number;
  /** Why a path failed or was called singular or diverged. */
  reason?: string;
}

export interface HomotopyOptions {
  /** Seed of the random gamma (default 1). */
  seed?: number;
  /** Largest number of paths, prod d_i (default 20000). */
  maxPaths?: number;
  /** Steps per path segment (default 5000). */
  maxSteps?: number;
  /**
   * Predictor-corrector steps over all paths (default 200000): a deterministic bound on the
   * work, reached before the wall-clock one on an idle machine.
   */
  maxTotalSteps?: number;
  /** Norm beyond which a path is taken to diverge (default 1e8). */
  divergence?: number;
  /** Time budget, checked at every step (default: none). */
  budget?: Budget;
  /**
   * Called after each path with its end; returning true stops the tracking (e.g. once as many
   * roots are certified as a Gröbner basis counts). The result then has fewer paths.
   */
  afterPath?: (end: PathEnd) => boolean;
}

export interface HomotopyResult {
  /** The Bezout number prod d_i: the number of paths. */
  bezout: number;
  paths: PathEnd[];
  gamma: { re: number; im: number };
  /** Predictor-corrector steps taken over all paths. */
  steps: number;
  /** The time budget ran out: `paths` holds the paths ended before. */
  stoppedBy?: BudgetExceededError;
}

/**
 * A condition number above this marks a singular endpoint: float64 Newton at a simple root
 * with condition kappa loses log10(kappa) digits, and 1e8 leaves 8 of them, enough to tell
 * the roots the analyses care about apart, while endpoints on a singular root or on a
 * positive-dimensional component have condition ~ 1/(distance to it) >> 1e8.
 */
export const SINGULAR_CONDITION = 1e8;

interface Complex {
  re: number;
  im: number;
}

/** Tracks every path of the total-degree homotopy; see the module comment. */
export function trackTotalDegree(sys: PolySystem, options: HomotopyOptions = {}): HomotopyResult {
  const n = sys.unknowns.length;
  if (sys.equations.length !== n)
    throw new BoundExceededError("trackTotalDegree", "square system", n, sys.equations.length);
  const d = sys.degrees.map((k) => Math.max(1, k));
  const bezout = d.reduce((a, b) => a * b, 1);
  const maxPaths = options.maxPaths ?? 20000;
  if (bezout > maxPaths)
    throw new BoundExceededError("trackTotalDegree", "path", maxPaths, `${bezout} paths (Bezout number)`);
  const rng = new Rng(options.seed ?? 1);
  const angle = 2 * Math.PI * rng.uniform();
  const gamma = { re: Math.cos(angle), im: Math.sin(angle) };
  const maxSteps = options.maxSteps ?? 5000;
  const divergence = options.divergence ?? 1e8;
  const maxTotalSteps = options.maxTotalSteps ?? 200000;
  let totalSteps = 0;

  const evalH = (x: CVec, t: Complex) => {
    const { F, J } = evaluateSystem(sys, x);
    const H: CVec = { re: [], im: [] };
    const Ht: CVec = { re: [], im: [] };
    const Hx = { re: J.re.map((r) => [...r]), im: J.im.map((r) => [...r]) };
    const omt = { re: 1 - t.re, im: -t.im };
    const og = { re: omt.re * gamma.re - omt.im * gamma.im, im: omt.re * gamma.im + omt.im * gamma.re };
    for (let i = 0; i < n; i++) {
      // x_i^d_i and d_i x_i^(d_i - 1)
      let pr = 1;
      let pi = 0;
      for (let k = 0; k < d[i]! - 1; k++)
        [pr, pi] = [pr * x.re[i]! - pi * x.im[i]!, pr * x.im[i]! + pi * x.re[i]!];
      const dr = d[i]! * pr;
      const di = d[i]! * pi;
      const gr = pr * x.re[i]! - pi * x.im[i]! - 1;
      const gi = pr * x.im[i]! + pi * x.re[i]!;
      // H = og G + t F; Ht = F - gamma G; Hx = og G' + t F'
      H.re.push(og.re * gr - og.im * gi + t.re * F.re[i]! - t.im * F.im[i]!);
      H.im.push(og.re * gi + og.im * gr + t.re * F.im[i]! + t.im * F.re[i]!);
      Ht.re.push(F.re[i]! - (gamma.re * gr - gamma.im * gi));
      Ht.im.push(F.im[i]! - (gamma.re * gi + gamma.im * gr));
      for (let j = 0; j < n; j++) {
        const fr = J.re[i]![j]!;
        const fi = J.im[i]![j]!;
        Hx.re[i]![j] = t.re * fr - t.im * fi;
        Hx.im[i]![j] = t.re * fi + t.im * fr;
      }
      Hx.re[i]![i]! += og.re * dr - og.im * di;
      Hx.im[i]![i]! += og.re * di + og.im * dr;
    }
    return { H, Ht, Hx };
  };

  /** dx/du along the segment t = ta + u (tb - ta). */
  const velocity = (x: CVec, t: Complex, dt: Complex): CVec | undefined => {
    const { Ht, Hx } = evalH(x, t);
    const rhs: CVec = {
      re: Ht.re.map((r, i) => -(r * dt.re - Ht.im[i]! * dt.im)),
      im: Ht.im.map((m, i) => -(Ht.re[i]! * dt.im + m * dt.re)),
    };
    return solveComplex(Hx, rhs);
  };
  const axpy = (x: CVec, a: number, v: CVec): CVec => ({
    re: x.re.map((r, i) => r + a * v.re[i]!),
    im: x.im.map((m, i) => m + a * v.im[i]!),
  });
  const at = (ta: Complex, dt: Complex, u: number): Complex => ({
    re: ta.re + u * dt.re,
    im: ta.im + u * dt.im,
  });

  /** Newton at fixed t; the corrected point or undefined if it does not contract. */
  const correct = (x0: CVec, t: Complex, tol: number, stepSize: number): CVec | undefined => {
    let x = x0;
    // the first correction must be small beside the step just predicted: a larger one means
    // the corrector is being pulled toward another path (path jumping)
    let last = 0.25 * stepSize + tol * (1 + cnorm(x0));
    for (let it = 0; it < 3; it++) {
      const { H, Hx } = evalH(x, t);
      const dx = solveComplex(Hx, { re: H.re.map((v) => -v), im: H.im.map((v) => -v) });
      if (!dx) return undefined;
      const size = cnorm(dx);
      if (size > 0.5 * last) return undefined;
      x = axpy(x, 1, dx);
      if (size <= tol * (1 + cnorm(x))) return x;
      last = size;
    }
    return undefined;
  };

  /** Tracks x from t = ta to t = tb along the segment; undefined with a reason on failure. */
  const trackSegment = (
    x0: CVec,
    ta: Complex,
    tb: Complex,
    stepBound = maxSteps,
  ): { x?: CVec; reason?: string } => {
    const dt = { re: tb.re - ta.re, im: tb.im - ta.im };
    let x = x0;
    let u = 0;
    let h = 0.05;
    let successes = 0;
    for (let step = 0; u < 1; step++) {
      if (step > stepBound)
        return { reason: `step bound ${stepBound} exceeded at t = ${fmt(at(ta, dt, u))}` };
      if (++totalSteps > maxTotalSteps) return { reason: `total step bound ${maxTotalSteps} exceeded` };
      options.budget?.check();
      h = Math.min(h, 1 - u);
      const k1 = velocity(x, at(ta, dt, u), dt);
      const k2 = k1 && velocity(axpy(x, h / 2, k1), at(ta, dt, u + h / 2), dt);
      const k3 = k2 && velocity(axpy(x, h / 2, k2), at(ta, dt, u + h / 2), dt);
      const k4 = k3 && velocity(axpy(x, h, k3), at(ta, dt, u + h), dt);
      const xp =
        k1 && k2 && k3 && k4
          ? {
              re: x.re.map((r, i) => r + (h / 6) * (k1.re[i]! + 2 * k2.re[i]! + 2 * k3.re[i]! + k4.re[i]!)),
              im: x.im.map((m, i) => m + (h / 6) * (k1.im[i]! + 2 * k2.im[i]! + 2 * k3.im[i]! + k4.im[i]!)),
            }
          : undefined;
      const xc = xp && correct(xp, at(ta, dt, u + h), 1e-9, cnorm(axpy(xp, -1, x)));
      if (xc) {
        x = xc;
        u = u + h >= 1 - 1e-15 ? 1 : u + h;
        if (++successes >= 3) {
          h = Math.min(2 * h, 0.1);
          successes = 0;
        }
        if (cnorm(x) > divergence) return { x, reason: "diverged" };
      } else {
        h /= 2;
        successes = 0;
        if (h < 1e-13) return { x, reason: `step size underflow at t = ${fmt(at(ta, dt, u))}` };
      }
    }
    return { x };
  };

  /** Newton on F itself at t = 1 and the condition estimate ||J|| ||J^-1|| (max norms). */
  const refine = (x0: CVec): { x: CVec; condition: number } => {
    let x = x0;
    for (let it = 0; it < 4; it++) {
      const { F, J } = evaluateSystem(sys, x);
      const dx = solveComplex(J, { re: F.re.map((v) => -v), im: F.im.map((v) => -v) });
      if (!dx || cnorm(dx) > 1e-3 * (1 + cnorm(x))) break;
      x = axpy(x, 1, dx);
      if (cnorm(dx) <= 1e-15 * (1 + cnorm(x))) break;
    }
    return { x, condition: conditionNumber(sys, x) };
  };

  const cauchy = (x0: CVec, r0: number): PathEnd => {
    const K = 8;
    let r = r0;
    let xr = x0;
    let prev: CVec | undefined;
    let prevSpread: number | undefined;
    for (let round = 0; round < 8; round++) {
      const samples: CVec[] = [];
      let xs = xr;
      let closed = false;
      let c = 0;
      for (c = 1; c <= 4 && !closed; c++) {
        for (let k = 0; k < K; k++) {
          samples.push(xs);
          const ta = {
            re: 1 - r * Math.cos((2 * Math.PI * k) / K),
            im: -r * Math.sin((2 * Math.PI * k) / K),
          };
          const tb = {
            re: 1 - r * Math.cos((2 * Math.PI * (k + 1)) / K),
            im: -r * Math.sin((2 * Math.PI * (k + 1)) / K),
          };
          const seg = trackSegment(xs, ta, tb);
          if (!seg.x || seg.reason)
            return {
              status: "failed",
              x: xs,
              winding: c,
              condition: Infinity,
              reason: `end game: ${seg.reason}`,
            };
          xs = seg.x;
        }
        closed = cnorm(axpy(xs, -1, xr)) <= 1e-6 * (1 + cnorm(xr));
        if (closed) break;
      }
      if (!closed)
        return {
          status: "failed",
          x: xr,
          winding: 4,
          condition: Infinity,
          reason: "end game: loop did not close in 4 turns",
        };
      const est: CVec = {
        re: xr.re.map((_, i) => samples.reduce((s, y) => s + y.re[i]!, 0) / samples.length),
        im: xr.im.map((_, i) => samples.reduce((s, y) => s + y.im[i]!, 0) / samples.length),
      };
      if (cnorm(est) > divergence / 100)
        return {
          status: "diverged",
          x: est,
          winding: c,
          condition: Infinity,
          reason: "end game estimate grows",
        };
      // the loop mean is the constant term of the path's Puiseux series: also finite for a
      // path that diverges (negative powers average out), so the samples must shrink toward it
      const spread = Math.max(...samples.map((y) => cnorm(axpy(y, -1, est))));
      const lastSpread = prevSpread;
      prevSpread = spread;
      if (lastSpread !== undefined && spread > 1.2 * lastSpread && spread > 1e-6 * (1 + cnorm(est)))
        return {
          status: "diverged",
          x: est,
          winding: c,
          condition: Infinity,
          reason: "end game samples grow as the radius shrinks",
        };
      if (prev && cnorm(axpy(est, -1, prev)) <= 1e-8 * (1 + cnorm(est))) {
        if (!(residualRatio(sys, est) <= 1e-8))
          return {
            status: "diverged",
            x: est,
            winding: c,
            condition: Infinity,
            reason: "end game estimate is not a root (path to infinity)",
          };
        const { x, condition } = c === 1 ? refine(est) : { x: est, condition: Infinity };
        const regular = condition < SINGULAR_CONDITION;
        return {
          status: regular ? "regular" : "singular",
          x,
          winding: c,
          condition,
          ...(regular ? {} : { reason: c > 1 ? `winding number ${c}` : "singular Jacobian at the end" }),
        };
      }
      prev = est;
      const seg = trackSegment(xr, { re: 1 - r, im: 0 }, { re: 1 - r / 4, im: 0 });
      if (!seg.x || seg.reason)
        return {
          status: seg.reason === "diverged" ? "diverged" : "failed",
          x: seg.x ?? xr,
          winding: c,
          condition: Infinity,
          reason: `end game: ${seg.reason}`,
        };
      xr = seg.x;
      r /= 4;
    }
    return {
      status: "failed",
      x: prev ?? xr,
      winding: 1,
      condition: Infinity,
      reason: "end game did not converge in 8 radii",
    };
  };

  const paths: PathEnd[] = [];
  const starts = startPoints(d);
  const endgameRadius = 0.05;
  const track = (s: CVec): PathEnd => {
    const seg = trackSegment(s, { re: 0, im: 0 }, { re: 1 - endgameRadius, im: 0 });
    if (!seg.x || seg.reason)
      return {
        status: seg.reason === "diverged" ? "diverged" : "failed",
        x: seg.x ?? s,
        winding: 1,
        condition: Infinity,
        reason: seg.reason!,
      };
    // straight to the end first: a regular root is reached with a well-conditioned Jacobian
    // (a regular end is reached in a few dozen steps; a path that needs more goes to the end game)
    const straight = trackSegment(seg.x, { re: 1 - endgameRadius, im: 0 }, { re: 1, im: 0 }, 100);
    if (straight.x && !straight.reason) {
      const { x, condition } = refine(straight.x);
      if (condition < SINGULAR_CONDITION) return { status: "regular", x, winding: 1, condition };
    }
    // past the divergence norm before t = 1: a root at infinity (or one of norm above the
    // bound, which no completeness count then covers)
    if (straight.reason === "diverged")
      return {
        status: "diverged",
        x: straight.x!,
        winding: 1,
        condition: Infinity,
        reason: "norm above the divergence bound before t = 1",
      };
    return cauchy(seg.x, endgameRadius);
  };
  for (const s of starts) {
    try {
      const end = track(s);
      paths.push(end);
      if (options.afterPath?.(end)) break;
    } catch (e) {
      if (!(e instanceof BudgetExceededError)) throw e;
      return { bezout, paths, gamma, steps: totalSteps, stoppedBy: e };
    }
  }
  return { bezout, paths, gamma, steps: totalSteps };
}

/** The roots of G_i = x_i^(d_i) - 1: every combination of d_i-th roots of unity. */
function startPoints(d: readonly number[]): CVec[] {
  let out: CVec[] = [{ re: [], im: [] }];
  for (const di of d) {
    const next: CVec[] = [];
    for (const p of out)
      for (let k = 0; k < di; k++)
        next.push({
          re: [...p.re, Math.cos((2 * Math.PI * k) / di)],
          im: [...p.im, Math.sin((2 * Math.PI * k) / di)],
        });
    out = next;
  }
  return out;
}

/**
 * max_i |F_i(x)| / (1 + sum of |terms of F_i| at x): the residual relative to the size of the
 * terms that cancel in it, the scale of float64 rounding in F(x).
 */
export function residualRatio(sys: PolySystem, x: CVec): number {
  const { F } = evaluateSystem(sys, x, false);
  const absX = { re: x.re.map((r, i) => Math.hypot(r, x.im[i]!)), im: x.im.map(() => 0) };
  const abs = sys.terms.map((ts) =>
    ts.reduce((s, t) => s + Math.abs(t.coef) * t.exps.reduce((p, e, v) => p * absX.re[v]! ** e, 1), 0),
  );
  return Math.max(0, ...F.re.map((r, i) => Math.hypot(r, F.im[i]!) / (1 + abs[i]!)));
}

/** ||J|| ||J^-1|| in the max-row-sum norm, Infinity when J is singular in float64. */
export function conditionNumber(sys: PolySystem, x: CVec): number {
  const { J } = evaluateSystem(sys, x);
  const n = J.re.length;
  const rowNorm = (re: number[][], im: number[][]) =>
    Math.max(...re.map((r, i) => r.reduce((s, v, j) => s + Math.hypot(v, im[i]![j]!), 0)));
  let invNorm = 0;
  const inv: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const e: CVec = { re: new Array(n).fill(0), im: new Array(n).fill(0) };
    e.re[c] = 1;
    const col = solveComplex(J, e);
    if (!col) return Number.POSITIVE_INFINITY;
    for (let r = 0; r < n; r++) inv[r]![c] = Math.hypot(col.re[r]!, col.im[r]!);
  }
  for (const r of inv)
    invNorm = Math.max(
      invNorm,
      r.reduce((s, v) => s + v, 0),
    );
  return rowNorm(J.re, J.im) * invNorm;
}

function fmt(t: Complex): string {
  return t.im === 0 ? t.re.toPrecision(6) : `${t.re.toPrecision(6)} + ${t.im.toPrecision(6)}i`;
}
