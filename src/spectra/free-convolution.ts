/**
 * Free additive convolution μ ⊞ ν of an atomic law μ and a free compound Poisson law ν, by
 * subordination: G(z) = G_μ(ω(z)) with ω(z) = z − R_ν(G(z)) (seed 001, eqs. 112-114 written
 * with the subordination function instead of the Blue transform). Clearing denominators, ω is a
 * root of the polynomial
 *   P_z(ω) = (ω − z) A(ω) + B(ω),   A = Π_j L_j,   B = λ Q_μ Σ_j q_j t_j Π_{k≠j} L_k,
 * where G_μ = P_μ/Q_μ and L_j = Q_μ − t_j P_μ, of degree nm + 1 (n atoms of μ, m nonzero jumps).
 * Of its roots the physical one is chosen by the subordination conditions in the upper half
 * plane, Im ω ≥ Im z, Im G ≤ 0 and Im ω₂ ≥ Im z for the second subordination function
 * ω₂ = z + 1/G − ω; no branch is chosen by squaring.
 */
import { NumericFailureError } from "../util/errors.ts";
import { type AtomicLaw, atomicCauchy, atomicCauchyFraction, atomicLaw, atomicMoment } from "./atomic-law.ts";
import { type Complex, cdiv } from "./complex.ts";
import {
  type CompoundPoissonLaw,
  compoundPoissonAtomAtZero,
  compoundPoissonCumulant,
} from "./compound-poisson.ts";
import {
  complexRoots,
  polyAdd,
  polyDerivative,
  polyMul,
  polyScale,
  type RealPolynomial,
} from "./polynomial.ts";

export interface FreeSum {
  readonly mu: AtomicLaw;
  readonly nu: CompoundPoissonLaw;
  /** A and B of P_z(ω) = (ω − z)A + B. */
  readonly A: RealPolynomial;
  readonly B: RealPolynomial;
}

/** The law μ ⊞ ν, prepared for evaluation (the polynomials A and B above). */
export function freeAdditiveConvolution(mu: AtomicLaw, nu: CompoundPoissonLaw): FreeSum {
  const { P, Q } = atomicCauchyFraction(mu);
  const jumps = nu.jumps.atoms.map((t, j) => ({ t, q: nu.jumps.weights[j]! })).filter((e) => e.t !== 0);
  const L = jumps.map(({ t }) => polyAdd(Q, polyScale(P, -t)));
  let A: RealPolynomial = [1];
  for (const l of L) A = polyMul(A, l);
  let S: RealPolynomial = [0];
  jumps.forEach(({ t, q }, j) => {
    let term: RealPolynomial = [q * t];
    L.forEach((l, k) => {
      if (k !== j) term = polyMul(term, l);
    });
    S = polyAdd(S, term);
  });
  const B = polyScale(polyMul(Q, S), nu.rate);
  return { mu, nu, A, B };
}

/** The coefficients of P_z(ω) = ωA − zA + B (real and imaginary parts). */
function subordinationPolynomial(sum: FreeSum, z: Complex): { re: number[]; im: number[] } {
  const wA = [0, ...sum.A];
  const re = polyAdd(polyAdd(wA, polyScale(sum.A, -z.re)), sum.B);
  const im = polyScale(sum.A, -z.im);
  return { re, im };
}

export interface SubordinationValue {
  /** G_{μ⊞ν}(z). */
  G: Complex;
  /** The subordination function ω(z), G = G_μ(ω). */
  omega: Complex;
}

/**
 * G_{μ⊞ν}(z) for Im z > 0 and the subordination function, from the root of P_z that satisfies
 * the subordination conditions (tolerance 1e-9·Im z, plus rounding of the difference for Im ω₂). Throws NumericFailureError
 * with z and the candidates when no root, or several roots with different G, satisfy them.
 */
export function freeSumCauchy(sum: FreeSum, z: Complex): SubordinationValue {
  const { re, im } = subordinationPolynomial(sum, z);
  const roots = complexRoots(re, im);
  const tol = 1e-9 * z.im;
  const ok: SubordinationValue[] = [];
  for (const omega of roots) {
    if (omega.im < z.im - tol) continue;
    const G = atomicCauchy(sum.mu, omega);
    if (G.im > tol) continue;
    const inv = cdiv({ re: 1, im: 0 }, G);
    const omega2Im = z.im + inv.im - omega.im;
    // Im ω₂ is a difference of terms of size |Im 1/G| and |Im ω|: allow their rounding.
    if (omega2Im < z.im - tol - 64 * Number.EPSILON * (Math.abs(inv.im) + Math.abs(omega.im))) continue;
    ok.push({ G, omega });
  }
  if (ok.length === 0) {
    throw new NumericFailureError("freeSumCauchy", "no root satisfies the subordination conditions", {
      z,
      roots,
    });
  }
  const first = ok[0]!;
  for (const other of ok.slice(1)) {
    const d = Math.hypot(other.G.re - first.G.re, other.G.im - first.G.im);
    if (d > 1e-6 * (1 + Math.hypot(first.G.re, first.G.im))) {
      throw new NumericFailureError("freeSumCauchy", "several roots satisfy the subordination conditions", {
        z,
        candidates: ok,
      });
    }
  }
  return first;
}

/**
 * The density of the absolutely continuous part of μ ⊞ ν at real x by Stieltjes inversion,
 * ρ(x) = −Im G(x + iη)/π, at η = 1e-9·(1 + |x|) by default (smoothing error O(η) in the bulk,
 * O(√η) within η of a square-root edge).
 */
export function freeSumDensity(sum: FreeSum, x: number, eta = 1e-9 * (1 + Math.abs(x))): number {
  return Math.max(0, -freeSumCauchy(sum, { re: x, im: eta }).G.im / Math.PI);
}

/**
 * Atoms of μ ⊞ ν: a + 0 for each atom a of μ with μ({a}) + ν({0}) > 1, of that excess mass
 * (Bercovici-Voiculescu; ν's only possible atom is at 0, of mass max(0, 1 − λ)).
 */
export function freeSumAtoms(sum: FreeSum): { location: number; mass: number }[] {
  const nu0 = compoundPoissonAtomAtZero(sum.nu);
  const out: { location: number; mass: number }[] = [];
  sum.mu.atoms.forEach((a, i) => {
    const mass = sum.mu.weights[i]! + nu0 - 1;
    if (mass > 0) out.push({ location: a, mass });
  });
  return out;
}

/**
 * Moments m1, m2, m3 of μ ⊞ ν from additivity of free cumulants: κ1 = mean, κ2 = variance,
 * κ3 = third central moment for k ≤ 3, each the sum of μ's and ν's.
 */
export function freeSumMoments(sum: FreeSum): [number, number, number] {
  const m1mu = atomicMoment(sum.mu, 1);
  const m2mu = atomicMoment(sum.mu, 2);
  const m3mu = atomicMoment(sum.mu, 3);
  const k1 = m1mu + compoundPoissonCumulant(sum.nu, 1);
  const k2 = m2mu - m1mu ** 2 + compoundPoissonCumulant(sum.nu, 2);
  const k3 = m3mu - 3 * m1mu * m2mu + 2 * m1mu ** 3 + compoundPoissonCumulant(sum.nu, 3);
  return [k1, k2 + k1 ** 2, k3 + 3 * k1 * k2 + k1 ** 3];
}

/**
 * The real polynomial whose real roots ω are the double roots of P_x in ω (after eliminating x):
 * P = 0 and ∂P/∂ω = 0 give x − ω = B/A and A² + AB' − A'B = 0; the edge candidate is then
 * x = ω + B(ω)/A(ω). Equivalently the critical points of the real map ω ↦ ω + R_ν(G_μ(ω)).
 */
export function doubleRootPolynomial(sum: FreeSum): RealPolynomial {
  const { A, B } = sum;
  const dA = polyDerivative(A);
  const dB = polyDerivative(B);
  return polyAdd(polyAdd(polyMul(A, A), polyMul(A, dB)), polyScale(polyMul(dA, B), -1));
}

/**
 * G_ν(z) of a free compound Poisson law alone (Im z > 0): the subordination problem with
 * μ = δ₀, i.e. the physical root of G = 1/(z − R_ν(G)).
 */
export function compoundPoissonCauchy(nu: CompoundPoissonLaw, z: Complex): Complex {
  return freeSumCauchy(freeAdditiveConvolution(atomicLaw([0], [1]), nu), z).G;
}
