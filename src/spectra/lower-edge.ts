/**
 * The lower edge of μ ⊞ ν (atomic μ, free compound Poisson ν) from the critical point of the
 * Blue transform B(w) = B_μ(w) + R_ν(w) (seed 001, eqs. 113 and 125), written in the
 * subordination variable ω = B_μ(w) so that everything is rational:
 *   x(ω) = ω + R_ν(G_μ(ω)),   x'(ω) = 1 + R_ν'(G_μ(ω)) G_μ'(ω).
 * For real ω on the principal branch, ω ∈ (−∞, ω_end), where ω_end is the smallest atom a_min
 * of μ or, if ν has negative jumps, the point where G_μ(ω) reaches the nearest pole 1/t of R_ν,
 * x(ω) is the inverse of G on (−∞, lower edge). x increases from −∞; the lower edge is its
 * maximum x(ω_c), x'(ω_c) = 0.
 *
 * Without negative jumps ν lives on [0, ∞), so μ ⊞ ν lives on [a_min, ∞): if μ ⊞ ν has an atom
 * at a_min (μ({a_min}) + ν({0}) > 1, Bercovici-Voiculescu) that atom is the edge. If x' stays
 * positive all the way to a_min without an atom, G → −∞ there: a hard edge at a_min.
 *
 * x' has at most one zero on (−∞, ω_end) for the laws of seed 001 (checked on a grid of c, α_h,
 * α_r, and by comparing warm-started with cold solutions in the tests), so a bracketed root
 * finder in the scan variable s = log(ω_end − ω) finds it; a warm start only moves where the
 * bracket search begins. The root is located to |Δs| ≤ 1e-10; since x'(ω_c) = 0 the edge then
 * errs by ½|x''| (ω_end − ω_c)² 1e-20, below float64 rounding.
 */
import type { AtomicLaw } from "./atomic-law.ts";
import { type CompoundPoissonLaw, compoundPoissonAtomAtZero } from "./compound-poisson.ts";

export type LowerEdgeResult =
  | {
      ok: true;
      /** The lower edge of the support. */
      edge: number;
      /**
       * "square-root": a critical point of x(ω); "atom": an atom of μ ⊞ ν at a_min (positive
       * mass); "hard": G → −∞ at a_min without an atom (density ~ 1/√, e.g. MP at ratio 1).
       */
      kind: "square-root" | "atom" | "hard";
      /** The critical point ω_c (ω_end for an atom or a hard edge). */
      omega: number;
      /** s = log(ω_end − ω_c), for warm starts. */
      s: number;
      /** Evaluations of x'. */
      evaluations: number;
    }
  | { ok: false; reason: string; evaluations: number };

export interface LowerEdgeOptions {
  /** A previous solution's s, to start the bracket search there. */
  warmStart?: number;
  /** Bound on evaluations of x' (default 400). */
  maxEvaluations?: number;
}

/**
 * Reusable storage for one (μ, ν) pair, so that maps over many parameter points allocate
 * nothing per point. Fill it with {@link setLaws} or {@link setSignLaws}.
 */
export class LowerEdgeProblem {
  a = new Float64Array(2);
  p = new Float64Array(2);
  t = new Float64Array(2);
  q = new Float64Array(2);
  nAtoms = 0;
  nJumps = 0;
  rate = 1;
  /** Smallest atom of μ with positive mass. */
  amin = 0;
  omegaEnd = 0;
  /** ν has a negative jump (so R_ν has a pole at negative w). */
  hasNegativeJump = false;
  /** μ({a_min}) + ν({0}) − 1. */
  atomMass = 0;

  /** Uses the laws μ and ν (atoms ascending, zero jumps ignored). */
  setLaws(mu: AtomicLaw, nu: CompoundPoissonLaw): this {
    const jumps = nu.jumps.atoms.map((t, j) => [t, nu.jumps.weights[j]!] as const).filter(([t]) => t !== 0);
    if (this.a.length < mu.atoms.length) {
      this.a = new Float64Array(mu.atoms.length);
      this.p = new Float64Array(mu.atoms.length);
    }
    if (this.t.length < jumps.length) {
      this.t = new Float64Array(jumps.length);
      this.q = new Float64Array(jumps.length);
    }
    this.a.set(mu.atoms);
    this.p.set(mu.weights);
    this.nAtoms = mu.atoms.length;
    jumps.forEach(([t, q], j) => {
      this.t[j] = t;
      this.q[j] = q;
    });
    this.nJumps = jumps.length;
    this.rate = nu.rate;
    this.amin = mu.atoms[0]!;
    this.atomMass = mu.weights[0]! + compoundPoissonAtomAtZero(nu) - 1;
    return this.finish();
  }

  /**
   * μ = (1 − α_h) δ_{scale} + α_h δ_{−scale}, ν with rate λ and jumps (1 − α_r) δ_1 + α_r δ_{−1}
   * (the laws of seed 001, appendix B.4), without allocating. Arguments are assumed checked.
   */
  setSignLaws(scale: number, alphaH: number, rate: number, alphaR: number): this {
    this.nAtoms = 0;
    if (alphaH > 0) {
      this.a[this.nAtoms] = -scale;
      this.p[this.nAtoms++] = alphaH;
    }
    if (alphaH < 1) {
      this.a[this.nAtoms] = scale;
      this.p[this.nAtoms++] = 1 - alphaH;
    }
    this.nJumps = 0;
    if (alphaR > 0) {
      this.t[this.nJumps] = -1;
      this.q[this.nJumps++] = alphaR;
    }
    if (alphaR < 1) {
      this.t[this.nJumps] = 1;
      this.q[this.nJumps++] = 1 - alphaR;
    }
    this.rate = rate;
    this.amin = this.a[0]!;
    this.atomMass = this.p[0]! + Math.max(0, 1 - rate) - 1;
    return this.finish();
  }

  private finish(): this {
    let pole = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < this.nJumps; j++) if (this.t[j]! < 0) pole = Math.max(pole, 1 / this.t[j]!);
    this.hasNegativeJump = pole > Number.NEGATIVE_INFINITY;
    this.omegaEnd = this.hasNegativeJump ? this.blueBelow(pole) : this.amin;
    return this;
  }

  /** G_μ(ω) = w for w < 0 on the branch ω < a_min: closed form for one or two atoms, else bisection. */
  private blueBelow(w: number): number {
    if (this.nAtoms === 1) return this.a[0]! + 1 / w;
    if (this.nAtoms === 2) {
      // w(ω − a1)(ω − a2) = p1(ω − a2) + p2(ω − a1): the smaller root of this quadratic
      // (seed 001, eq. 106), in the cancellation-free form.
      const a1 = this.a[0]!;
      const a2 = this.a[1]!;
      const p1 = this.p[0]!;
      const p2 = this.p[1]!;
      const B = -(w * (a1 + a2) + 1);
      const C = w * a1 * a2 + p1 * a2 + p2 * a1;
      const disc = Math.sqrt(B * B - 4 * w * C);
      // Roots (−B ± disc)/(2w); w < 0, so the smaller root takes +disc.
      const big = -B - Math.sign(B || 1) * disc;
      const r1 = big / (2 * w);
      const r2 = (2 * C) / big;
      return Math.min(r1, r2);
    }
    let lo = this.amin + 1 / w - (this.a[this.nAtoms - 1]! - this.amin) - 1;
    let hi = this.amin;
    for (let k = 0; k < 200 && hi - lo > 2 * Number.EPSILON * (1 + Math.abs(hi)); k++) {
      const mid = 0.5 * (lo + hi);
      if (this.g(mid) > w) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  }

  private g(omega: number): number {
    let g = 0;
    for (let i = 0; i < this.nAtoms; i++) g += this.p[i]! / (omega - this.a[i]!);
    return g;
  }

  /** x'(ω) = 1 + R_ν'(G_μ(ω)) G_μ'(ω). */
  xPrime(omega: number): number {
    let g = 0;
    let dg = 0;
    for (let i = 0; i < this.nAtoms; i++) {
      const r = 1 / (omega - this.a[i]!);
      g += this.p[i]! * r;
      dg -= this.p[i]! * r * r;
    }
    let dr = 0;
    for (let j = 0; j < this.nJumps; j++) {
      const t = this.t[j]!;
      const d = 1 / (1 - t * g);
      dr += this.q[j]! * t * t * d * d;
    }
    return 1 + this.rate * dr * dg;
  }

  /** x(ω) = ω + R_ν(G_μ(ω)). */
  x(omega: number): number {
    const g = this.g(omega);
    let r = 0;
    for (let j = 0; j < this.nJumps; j++) r += (this.q[j]! * this.t[j]!) / (1 - this.t[j]! * g);
    return omega + this.rate * r;
  }

  /** A scale of the spread of μ and ν, for the far-left starting point. */
  spread(): number {
    let k2 = 0;
    for (let j = 0; j < this.nJumps; j++) k2 += this.q[j]! * this.t[j]! ** 2;
    return this.a[this.nAtoms - 1]! - this.amin + Math.sqrt(this.rate * k2);
  }
}

/** The lower edge of μ ⊞ ν. See {@link lowerEdgeOfProblem}. */
export function lowerEdge(
  mu: AtomicLaw,
  nu: CompoundPoissonLaw,
  options: LowerEdgeOptions = {},
): LowerEdgeResult {
  return lowerEdgeOfProblem(new LowerEdgeProblem().setLaws(mu, nu), options);
}

/**
 * The lower edge for a prepared problem. Never guesses: when the bracket search or the root
 * finder exceeds its evaluation bound, or x' is not finite, the result is `{ ok: false, reason }`.
 */
export function lowerEdgeOfProblem(e: LowerEdgeProblem, options: LowerEdgeOptions = {}): LowerEdgeResult {
  if (!e.hasNegativeJump && e.atomMass > 0) {
    return {
      ok: true,
      edge: e.amin,
      kind: "atom",
      omega: e.amin,
      s: Number.NEGATIVE_INFINITY,
      evaluations: 0,
    };
  }
  const maxEvaluations = options.maxEvaluations ?? 400;
  const end = e.omegaEnd;
  let evaluations = 0;
  const f = (s: number) => {
    evaluations++;
    return e.xPrime(end - Math.exp(s));
  };
  // Below this the point ω_end − e^s is not distinct from ω_end in float64.
  const sLow = Math.log(64 * Number.EPSILON * (1 + Math.abs(end)));
  // Far left, x' = 1 − κ₂/ω² + O(ω⁻³) > 0 once |ω − ω_end| exceeds a few spreads.
  let sHigh = Math.log(10 * (1 + e.spread() + Math.abs(end)));
  let s0 = sHigh;
  let f0 = Number.NaN;
  let s1 = sHigh;
  let f1 = Number.NaN;
  // Warm start: a bracket of width 0.1 around the previous solution, widened by doubling.
  const warm = options.warmStart;
  if (warm !== undefined && Number.isFinite(warm) && warm < sHigh && warm > sLow) {
    let h = 0.05;
    let hi = Math.min(sHigh, warm + h);
    let lo = Math.max(sLow, warm - h);
    let fhi = f(hi);
    let flo = f(lo);
    while (!(fhi > 0 && flo <= 0) && hi < sHigh && evaluations < 40) {
      h *= 2;
      if (!(fhi > 0)) {
        hi = Math.min(sHigh, warm + h);
        fhi = f(hi);
      }
      if (!(flo <= 0) && lo > sLow) {
        lo = Math.max(sLow, warm - h);
        flo = f(lo);
      }
      if (lo <= sLow && !(flo <= 0)) break;
    }
    if (fhi > 0 && flo <= 0) {
      s0 = hi;
      f0 = fhi;
      s1 = lo;
      f1 = flo;
    }
  }
  if (!(f1 <= 0)) {
    // Cold: from far left, step down in s until x' ≤ 0.
    f0 = f(sHigh);
    while (!(f0 > 0)) {
      if (!Number.isFinite(f0) || evaluations > 60) {
        return {
          ok: false,
          reason: `x'(ω) is not positive far below the support (s = ${sHigh})`,
          evaluations,
        };
      }
      sHigh += 1;
      f0 = f(sHigh);
    }
    s0 = sHigh;
    s1 = sHigh;
    f1 = f0;
    while (f1 > 0) {
      if (evaluations >= maxEvaluations) {
        return { ok: false, reason: "bracket search exceeded its evaluation bound", evaluations };
      }
      if (s1 <= sLow) {
        if (!e.hasNegativeJump)
          return { ok: true, edge: e.amin, kind: "hard", omega: e.amin, s: sLow, evaluations };
        return { ok: false, reason: "no critical point before the pole of R_ν", evaluations };
      }
      s0 = s1;
      f0 = f1;
      s1 = Math.max(sLow, s1 - 0.5);
      f1 = f(s1);
      if (Number.isNaN(f1)) return { ok: false, reason: `x'(ω) is NaN at s = ${s1}`, evaluations };
    }
  }
  // Illinois regula falsi on [s1, s0], f(s1) ≤ 0 < f(s0).
  let a = s1;
  let fa = f1;
  let b = s0;
  let fb = f0;
  let side = 0;
  while (b - a > 1e-10) {
    if (evaluations >= maxEvaluations) {
      return { ok: false, reason: "root finder exceeded its evaluation bound", evaluations };
    }
    let s = (a * fb - b * fa) / (fb - fa);
    if (!(s > a && s < b)) s = 0.5 * (a + b);
    const fs = f(s);
    if (fs <= 0) {
      a = s;
      fa = fs;
      if (side === -1) fb /= 2;
      side = -1;
    } else {
      b = s;
      fb = fs;
      if (side === 1) fa /= 2;
      side = 1;
    }
  }
  const s = 0.5 * (a + b);
  const omega = end - Math.exp(s);
  const edge = e.x(omega);
  if (!Number.isFinite(edge)) return { ok: false, reason: `x(ω) is not finite at ω = ${omega}`, evaluations };
  return { ok: true, edge, kind: "square-root", omega, s, evaluations };
}
