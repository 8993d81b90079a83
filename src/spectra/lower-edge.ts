/**
 * The lower edge of μ ⊞ ν (atomic μ, free compound Poisson ν) from the critical point of the
 * Blue transform B(w) = B_μ(w) + R_ν(w) (seed 001, eqs. 113 and 125), written in the
 * subordination variable ω = B_μ(w) so that everything is rational:
 *   x(ω) = ω + R_ν(G_μ(ω)),   x'(ω) = 1 + R_ν'(G_μ(ω)) G_μ'(ω).
 * For real ω on the principal branch, ω ∈ (−∞, ω_end), where ω_end is the smallest atom of μ or,
 * if ν has negative jumps, the point where G_μ(ω) reaches the nearest pole 1/t of R_ν, x(ω) is
 * the inverse of G on (−∞, lower edge). x increases from −∞; the lower edge is its maximum,
 * x(ω_c) with x'(ω_c) = 0. If x' stays positive up to ω_end = a_min (possible only without
 * negative jumps), G reaches −∞ at a_min: the edge is the atom of μ ⊞ ν at a_min.
 *
 * x' has at most one zero on (−∞, ω_end) for the laws of seed 001 (checked on a grid of c, α_h,
 * α_r, and by comparing warm-started with cold solutions in the tests), so a bracketed root
 * finder on the scan variable s = log(ω_end − ω) finds it; the warm start only moves where the
 * bracket search begins.
 */
import { type AtomicLaw, atomicBlueBelow } from "./atomic-law.ts";
import { type CompoundPoissonLaw, compoundPoissonAtomAtZero } from "./compound-poisson.ts";

export type LowerEdgeResult =
  | {
      ok: true;
      /** The lower edge of the support. */
      edge: number;
      /**
       * "square-root": a critical point of x(ω); "atom": an atom of μ ⊞ ν at the smallest atom of
       * μ (positive mass); "hard": G → −∞ at the smallest atom of μ without an atom there (the
       * density diverges like 1/√, e.g. the Marchenko-Pastur law at ratio 1).
       */
      kind: "square-root" | "atom" | "hard";
      /** The critical point ω_c (ω_end for an atom). */
      omega: number;
      /** G at the edge, G_μ(ω_c) (−∞ for an atom). */
      g: number;
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

/** Precomputed data for repeated evaluation of x(ω) and x'(ω). */
interface EdgeProblem {
  a: Float64Array;
  p: Float64Array;
  t: Float64Array;
  q: Float64Array;
  rate: number;
  omegaEnd: number;
  /** ω_end is the smallest atom (no negative jumps). */
  endIsAtom: boolean;
  /** Mass of μ ⊞ ν at the smallest atom of μ: μ({a_min}) + ν({0}) − 1 (Bercovici-Voiculescu). */
  atomMass: number;
}

function prepare(mu: AtomicLaw, nu: CompoundPoissonLaw): EdgeProblem {
  const jumps = nu.jumps.atoms.map((t, j) => [t, nu.jumps.weights[j]!] as const).filter(([t]) => t !== 0);
  const negative = jumps.filter(([t]) => t < 0).map(([t]) => t);
  const amin = mu.atoms[0]!;
  let omegaEnd = amin;
  if (negative.length > 0) omegaEnd = atomicBlueBelow(mu, Math.max(...negative.map((t) => 1 / t)));
  return {
    a: Float64Array.from(mu.atoms),
    p: Float64Array.from(mu.weights),
    t: Float64Array.from(jumps.map(([t]) => t)),
    q: Float64Array.from(jumps.map(([, q]) => q)),
    rate: nu.rate,
    omegaEnd,
    endIsAtom: negative.length === 0,
    atomMass: mu.weights[0]! + compoundPoissonAtomAtZero(nu) - 1,
  };
}

/** x'(ω) = 1 + R_ν'(G_μ(ω)) G_μ'(ω). */
function xPrime(e: EdgeProblem, omega: number): number {
  let g = 0;
  let dg = 0;
  for (let i = 0; i < e.a.length; i++) {
    const r = 1 / (omega - e.a[i]!);
    g += e.p[i]! * r;
    dg -= e.p[i]! * r * r;
  }
  let dr = 0;
  for (let j = 0; j < e.t.length; j++) {
    const t = e.t[j]!;
    const d = 1 / (1 - t * g);
    dr += e.q[j]! * t * t * d * d;
  }
  return 1 + e.rate * dr * dg;
}

/** x(ω) = ω + R_ν(G_μ(ω)) and G_μ(ω). */
function xValue(e: EdgeProblem, omega: number): { x: number; g: number } {
  let g = 0;
  for (let i = 0; i < e.a.length; i++) g += e.p[i]! / (omega - e.a[i]!);
  let r = 0;
  for (let j = 0; j < e.t.length; j++) r += (e.q[j]! * e.t[j]!) / (1 - e.t[j]! * g);
  return { x: omega + e.rate * r, g };
}

/**
 * The lower edge of μ ⊞ ν. Never guesses: when the bracket search or the root finder exceeds
 * its evaluation bound, or x' is not finite, the result is `{ ok: false, reason }`.
 */
export function lowerEdge(mu: AtomicLaw, nu: CompoundPoissonLaw, options: LowerEdgeOptions = {}): LowerEdgeResult {
  const e = prepare(mu, nu);
  const maxEvaluations = options.maxEvaluations ?? 400;
  let evaluations = 0;
  const f = (s: number) => {
    evaluations++;
    return xPrime(e, e.omegaEnd - Math.exp(s));
  };
  const spread = e.a[e.a.length - 1]! - e.a[0]! + Math.sqrt(e.rate * e.t.reduce((acc, t, j) => acc + e.q[j]! * t * t, 0));
  // Far left, x' = 1 − κ₂/ω² + O(ω⁻³) > 0 once |ω − ω_end| exceeds a few spreads.
  let sHigh = Math.log(10 * (1 + spread + Math.abs(e.omegaEnd)));
  // Below this the point ω_end − e^s is not distinct from ω_end in float64.
  const sLow = Math.log(64 * Number.EPSILON * (1 + Math.abs(e.omegaEnd)));
  let fHigh = f(sHigh);
  while (!(fHigh > 0)) {
    if (!Number.isFinite(fHigh) || evaluations > 60) {
      return { ok: false, reason: `x'(ω) is not positive far below the support (s = ${sHigh})`, evaluations };
    }
    sHigh += 1;
    fHigh = f(sHigh);
  }
  // Bracket search downward in s, starting at the warm start when it lies in range.
  const step = 0.5;
  let s0 = sHigh;
  let f0 = fHigh;
  if (options.warmStart !== undefined && options.warmStart + step < sHigh && options.warmStart > sLow) {
    const sw = options.warmStart + step;
    const fw = f(sw);
    if (fw > 0) {
      s0 = sw;
      f0 = fw;
    }
  }
  let s1 = s0;
  let f1 = f0;
  while (f1 > 0) {
    if (evaluations >= maxEvaluations) return { ok: false, reason: "bracket search exceeded its evaluation bound", evaluations };
    if (s1 <= sLow) {
      if (e.endIsAtom) {
        const kind = e.atomMass > 0 ? "atom" : "hard";
        return { ok: true, edge: e.omegaEnd, kind, omega: e.omegaEnd, g: Number.NEGATIVE_INFINITY, s: sLow, evaluations };
      }
      return { ok: false, reason: "no critical point before the pole of R_ν", evaluations };
    }
    s0 = s1;
    f0 = f1;
    s1 = Math.max(sLow, s1 - step);
    f1 = f(s1);
    if (Number.isNaN(f1)) return { ok: false, reason: `x'(ω) is NaN at s = ${s1}`, evaluations };
  }
  // Illinois regula falsi on [s1, s0] with f(s1) ≤ 0 < f(s0).
  let a = s1;
  let fa = f1;
  let b = s0;
  let fb = f0;
  let side = 0;
  while (Math.abs(b - a) > 4 * Number.EPSILON * (1 + Math.abs(a))) {
    if (evaluations >= maxEvaluations) return { ok: false, reason: "root finder exceeded its evaluation bound", evaluations };
    const s = (a * fb - b * fa) / (fb - fa);
    const fs = f(s);
    if (fs === 0) {
      a = s;
      b = s;
      break;
    }
    if (fs < 0) {
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
    if (Math.abs(b - a) < 1e-14 * (1 + Math.abs(a))) break;
  }
  const s = 0.5 * (a + b);
  const omega = e.omegaEnd - Math.exp(s);
  const { x, g } = xValue(e, omega);
  if (!Number.isFinite(x)) return { ok: false, reason: `x(ω) is not finite at ω = ${omega}`, evaluations };
  return { ok: true, edge: x, kind: "square-root", omega, g, s, evaluations };
}
