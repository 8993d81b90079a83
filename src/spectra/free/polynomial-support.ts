/**
 * The support of a self-adjoint polynomial's law: its outer edges from the real branch
 * ({@link spectralEdge}), gaps found by a density scan between them and located by bisection on
 * the sign of the density (with a finer scan around every local minimum of the density, where a
 * gap narrower than the step leaves a dip), atoms where G diverges at an outer edge. As in src/spectra/support.ts,
 * every edge is validated by the Stieltjes-inversion density on both sides: ρ at x ± δ,
 * δ = 1e-4(1 + |x|), η = 1e-12(1 + |x|); inside ≈ C√δ, outside O(η/√δ) = 1e-10; an edge needs
 * inside > 1e-7 and outside < 1e-3 · inside.
 */
import { NumericFailureError } from "../../util/errors.ts";
import { type SpectralEdge, supportIntervals, validatedEdge } from "../support.ts";
import {
  operatorSolution,
  type PolynomialSpectrum,
  polynomialCauchy,
  polynomialDensity,
} from "./polynomial-spectrum.ts";
import { spectralEdge } from "./real-branch.ts";

export interface PolynomialSupport {
  /** Validated edges, ascending. */
  edges: SpectralEdge[];
  intervals: [number, number][];
  /** Atoms at outer edges where G diverges, with mass −η Im G(a + iη) at η = 1e-8 (error O(√η) next to a hard edge, O(η) otherwise). */
  atoms: { location: number; mass: number }[];
  /** Edge candidates the density test rejected. */
  rejected: number[];
}

export interface SupportOptions {
  /** Density scan points between the outer edges (default 400). */
  scanPoints?: number;
}

/** Points added around each local minimum of the scanned density, per scan step. */
const REFINE = 16;

function atomMass(s: PolynomialSpectrum, x: number): number {
  const eta = 1e-8 * (1 + Math.abs(x));
  return Math.max(0, -polynomialCauchy(s, { re: x, im: eta }).im * eta);
}

export function polynomialSupport(s: PolynomialSpectrum, options: SupportOptions = {}): PolynomialSupport {
  const lower = spectralEdge(s.problem, "lower", { scale: s.scale });
  const upper = spectralEdge(s.problem, "upper", { scale: s.scale });
  const atoms: { location: number; mass: number }[] = [];
  const candidates: number[] = [lower.x, upper.x];
  for (const e of [lower, upper]) {
    if (e.kind !== "divergent") continue;
    const mass = atomMass(s, e.x);
    if (mass > 1e-6) atoms.push({ location: e.x, mass });
  }
  // Gaps: runs of zero density on the scan, each end located by bisection on ρ > 0.
  const K = options.scanPoints ?? 400;
  const xs = Array.from({ length: K + 1 }, (_, k) => lower.x + ((upper.x - lower.x) * k) / K);
  // The continuous density, less the Lorentzian tails m η/(π((x − a)² + η²)) of the atoms found.
  // A point where the fixed point cannot be solved (right next to an atom) counts as inside.
  // Along the scan Newton starts from the previous point's solution, kept only when physical
  // (Im G₀₀ ≤ 0); otherwise, and in the bisections, the full path from far up is taken.
  let previous: { re: Float64Array; im: Float64Array } | undefined;
  const continuous = (x: number, eta: number, warm = false) => {
    let r: number;
    try {
      const z = { re: x, im: eta };
      let u = warm && previous ? operatorSolution(s, z, previous) : undefined;
      if (!u || u.im[0]! > 0) u = operatorSolution(s, z);
      previous = u;
      r = Math.max(0, -u.im[0]! / Math.PI);
    } catch (e) {
      if (e instanceof NumericFailureError) return Number.POSITIVE_INFINITY;
      throw e;
    }
    for (const a of atoms) r -= (a.mass * eta) / (Math.PI * ((x - a.location) ** 2 + eta * eta));
    return r;
  };
  const coarse = xs.map((x, k) => (k === 0 || k === K ? 0 : continuous(x, 1e-13 * (1 + Math.abs(x)), true)));
  // A gap narrower than the scan's step leaves at most a dip: around every local minimum of the
  // density (inside), REFINE more points between its neighbours (a gap at least 1/REFINE of the
  // step wide is then seen).
  const points = xs.map((x, k) => ({ x, rho: coarse[k]! }));
  for (let k = 1; k < K; k++) {
    if (!(coarse[k]! < coarse[k - 1]! && coarse[k]! < coarse[k + 1]!) || k === 1 || k === K - 1) continue;
    for (let q = 1; q < 2 * REFINE; q++) {
      if (q === REFINE) continue;
      const x = xs[k - 1]! + ((xs[k + 1]! - xs[k - 1]!) * q) / (2 * REFINE);
      points.push({ x, rho: continuous(x, 1e-13 * (1 + Math.abs(x))) });
    }
  }
  points.sort((a, b) => a.x - b.x);
  const rho = points.map((p) => p.rho);
  const peak = Math.max(...rho);
  if (!(peak > 0))
    throw new NumericFailureError("polynomialSupport", "no density between the outer edges", {
      lower: lower.x,
      upper: upper.x,
    });
  const inside = rho.map((r) => r > 1e-8 * peak);
  const last = points.length - 1;
  inside[0] = true;
  inside[last] = true;
  const bisect = (a: number, b: number, aInside: boolean) => {
    for (let it = 0; it < 60 && b - a > 1e-13 * (1 + Math.abs(a)); it++) {
      const m = 0.5 * (a + b);
      if (continuous(m, 1e-13 * (1 + Math.abs(m))) > 1e-9 * peak === aInside) a = m;
      else b = m;
    }
    return 0.5 * (a + b);
  };
  for (let k = 1; k < last; k++) {
    if (inside[k - 1] && !inside[k]) candidates.push(bisect(points[k - 1]!.x, points[k]!.x, true));
    if (!inside[k] && inside[k + 1]) candidates.push(bisect(points[k]!.x, points[k + 1]!.x, false));
  }
  candidates.sort((a, b) => a - b);
  const edges: SpectralEdge[] = [];
  const rejected: number[] = [];
  for (const x of candidates) {
    const e = validatedEdge(x, (y, eta) => polynomialDensity(s, y, eta));
    if (e) edges.push(e);
    else rejected.push(x);
  }
  return { edges, intervals: supportIntervals(edges), atoms, rejected };
}
