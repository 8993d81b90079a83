/**
 * Free compound Poisson laws ν with rate λ and atomic jump law τ = Σ_j q_j δ_{t_j}: the law whose
 * R-transform is R_ν(w) = λ Σ_j q_j t_j / (1 − t_j w). The limiting spectrum of W1ᵀ D2 W1 with
 * W1 ∈ R^{N×M} iid N(0, 1/M), c = M/N, is this law with λ = 1/c and τ the law of D2's diagonal
 * (for D2 = I it is the Marchenko-Pastur law of seed 001, eqs. 109-110).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { AtomicLaw } from "./atomic-law.ts";
import { type Complex, cdiv } from "./complex.ts";

export interface CompoundPoissonLaw {
  readonly kind: "compound-poisson";
  /** λ > 0. */
  readonly rate: number;
  /** The jump law τ. */
  readonly jumps: AtomicLaw;
}

export function freeCompoundPoisson(rate: number, jumps: AtomicLaw): CompoundPoissonLaw {
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw new InvalidArgumentError("freeCompoundPoisson", "rate", "a finite number > 0", rate);
  }
  return { kind: "compound-poisson", rate, jumps };
}

/** R_ν(w) and R_ν'(w) for real w away from the poles 1/t_j. */
export function compoundPoissonRReal(nu: CompoundPoissonLaw, w: number): { r: number; dr: number } {
  let r = 0;
  let dr = 0;
  const { atoms, weights } = nu.jumps;
  for (let j = 0; j < atoms.length; j++) {
    const t = atoms[j]!;
    const d = 1 / (1 - t * w);
    r += weights[j]! * t * d;
    dr += weights[j]! * t * t * d * d;
  }
  return { r: nu.rate * r, dr: nu.rate * dr };
}

/** R_ν(w) for complex w. */
export function compoundPoissonR(nu: CompoundPoissonLaw, w: Complex): Complex {
  let re = 0;
  let im = 0;
  const { atoms, weights } = nu.jumps;
  for (let j = 0; j < atoms.length; j++) {
    const t = atoms[j]!;
    const term = cdiv({ re: weights[j]! * t, im: 0 }, { re: 1 - t * w.re, im: -t * w.im });
    re += term.re;
    im += term.im;
  }
  return { re: nu.rate * re, im: nu.rate * im };
}

/** The Blue transform B_ν(w) = 1/w + R_ν(w) (real w ≠ 0 away from the poles 1/t_j). */
export function compoundPoissonBlueReal(nu: CompoundPoissonLaw, w: number): number {
  return 1 / w + compoundPoissonRReal(nu, w).r;
}

/** Free cumulant κ_k = λ E_τ[t^k] (k ≥ 1). */
export function compoundPoissonCumulant(nu: CompoundPoissonLaw, k: number): number {
  return nu.rate * nu.jumps.atoms.reduce((s, t, j) => s + nu.jumps.weights[j]! * t ** k, 0);
}

/** Mass of the atom of ν at 0: max(0, 1 − λ(1 − τ({0}))) (jumps at 0 do nothing). */
export function compoundPoissonAtomAtZero(nu: CompoundPoissonLaw): number {
  const k = nu.jumps.atoms.indexOf(0);
  const nonzero = 1 - (k >= 0 ? nu.jumps.weights[k]! : 0);
  return Math.max(0, 1 - nu.rate * nonzero);
}
