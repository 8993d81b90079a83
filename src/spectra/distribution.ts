/**
 * The cumulative distribution function of μ ⊞ ν from its support and Stieltjes-inversion density,
 * for comparing with empirical spectra (Kolmogorov-Smirnov, Wasserstein-1).
 */
import type { FreeSum } from "./free-convolution.ts";
import { freeSumDensity } from "./free-convolution.ts";
import type { SupportDescription } from "./support.ts";

export interface SpectralDistribution {
  /** F(x) = (μ ⊞ ν)((−∞, x]). */
  cdf(x: number): number;
  /** Mass of the continuous part (1 − total atom mass, up to quadrature error). */
  continuousMass: number;
}

/**
 * Tabulates the CDF. On each support interval [a, b] the density is integrated in the variable
 * θ with x = (a + b)/2 − (b − a)/2 cos θ, whose Jacobian (b − a)/2 sin θ cancels the square-root
 * (or inverse square-root) behaviour at the edges, by the trapezoid rule on `nodes` points;
 * between nodes F is interpolated linearly in θ.
 */
export function spectralDistribution(
  sum: FreeSum,
  support: SupportDescription,
  nodes = 400,
): SpectralDistribution {
  return spectralDistributionOf((x) => freeSumDensity(sum, x, 1e-12 * (1 + Math.abs(x))), support, nodes);
}

/**
 * x(θ) on [a, b] for θ ∈ [0, π] and dx/dθ: "cosine" x = (a + b)/2 − (b − a)/2 cos θ (contact of
 * order 2 at the ends: square-root and inverse square-root edges), or "cubic" x = a + (b − a)w,
 * w = τ³/(τ³ + (1 − τ)³), τ = θ/π (contact of order 3: dx ~ τ² dτ also cancels a density
 * ~ |x − edge|^{−2/3}, the hard edge of free products such as Fuss-Catalan's at 0).
 */
function edgeSubstitution(kind: "cosine" | "cubic", a: number, b: number, t: number): [number, number] {
  if (kind === "cosine") return [(a + b) / 2 - ((b - a) / 2) * Math.cos(t), ((b - a) / 2) * Math.sin(t)];
  const tau = t / Math.PI;
  const p = tau ** 3;
  const q = (1 - tau) ** 3;
  const dw = (3 * tau ** 2 * q + 3 * (1 - tau) ** 2 * p) / (p + q) ** 2;
  return [a + ((b - a) * p) / (p + q), ((b - a) * dw) / Math.PI];
}

/** θ with x(θ) = x for {@link edgeSubstitution} (bisection for "cubic": w is increasing). */
function edgeAngle(kind: "cosine" | "cubic", a: number, b: number, x: number): number {
  if (kind === "cosine") return Math.acos(Math.min(1, Math.max(-1, ((a + b) / 2 - x) / ((b - a) / 2))));
  const w = (x - a) / (b - a);
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    const p = mid ** 3;
    if (p / (p + (1 - mid) ** 3) < w) lo = mid;
    else hi = mid;
  }
  return Math.PI * 0.5 * (lo + hi);
}

/**
 * The same from any density of the continuous part, its intervals and its atoms; `substitution`
 * "cubic" for laws with edges where the density diverges like |x − edge|^{−2/3}.
 */
export function spectralDistributionOf(
  density: (x: number) => number,
  support: Pick<SupportDescription, "intervals" | "atoms">,
  nodes = 400,
  substitution: "cosine" | "cubic" = "cosine",
): SpectralDistribution {
  const tables = support.intervals.map(([a, b]) => {
    const theta = Array.from({ length: nodes + 1 }, (_, k) => (Math.PI * k) / nodes);
    const f = theta.map((t) => {
      if (t === 0 || t === Math.PI) return 0;
      const [x, dx] = edgeSubstitution(substitution, a, b, t);
      return density(x) * dx;
    });
    const cum = [0];
    for (let k = 1; k <= nodes; k++) cum.push(cum[k - 1]! + ((f[k - 1]! + f[k]!) / 2) * (Math.PI / nodes));
    return { a, b, cum };
  });
  const continuousMass = tables.reduce((s, t) => s + t.cum[nodes]!, 0);
  const cdf = (x: number) => {
    let F = 0;
    for (const atom of support.atoms) if (atom.location <= x) F += atom.mass;
    for (const { a, b, cum } of tables) {
      if (x >= b) F += cum[nodes]!;
      else if (x > a) {
        const t = edgeAngle(substitution, a, b, x);
        const u = (t / Math.PI) * nodes;
        const k = Math.min(nodes - 1, Math.floor(u));
        F += cum[k]! + (u - k) * (cum[k + 1]! - cum[k]!);
      }
    }
    return F;
  };
  return { cdf, continuousMass };
}

/**
 * sup_x |F_emp(x) − F(x)| for ascending samples, checked on both sides of every jump: at each
 * distinct sample value x (j samples ≤ x, i < x), F(x) against j/n and F(x−) against i/n. Tied
 * samples (eigenvalues on an atom) are one jump of the empirical CDF, as the law's atom is one of
 * F; F(x−) is read at x − 1e-12 (1 + |x|).
 */
export function kolmogorovSmirnov(sortedSamples: ArrayLike<number>, cdf: (x: number) => number): number {
  const n = sortedSamples.length;
  let d = 0;
  for (let i = 0; i < n; ) {
    const x = sortedSamples[i]!;
    let j = i + 1;
    while (j < n && sortedSamples[j] === x) j++;
    const F = cdf(x);
    const below = j - i > 1 ? cdf(x - 1e-12 * (1 + Math.abs(x))) : F;
    d = Math.max(d, Math.abs(F - j / n), Math.abs(below - i / n));
    i = j;
  }
  return d;
}

/**
 * Wasserstein-1 distance ∫ |F_emp(x) − F(x)| dx between ascending samples and a CDF whose
 * support lies in [lo, hi]: exact for the step function F_emp, with F integrated by the midpoint
 * rule on `sub` pieces between consecutive break points. Robust to the rounding of eigenvalues
 * that sit exactly on an atom (unlike Kolmogorov-Smirnov).
 */
export function wasserstein1(
  sortedSamples: ArrayLike<number>,
  cdf: (x: number) => number,
  lo: number,
  hi: number,
  sub = 8,
): number {
  const n = sortedSamples.length;
  const points = [
    Math.min(lo, sortedSamples[0]!),
    ...Array.from(sortedSamples),
    Math.max(hi, sortedSamples[n - 1]!),
  ];
  let w = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (b <= a) continue;
    const Femp = Math.min(1, i / n);
    const h = (b - a) / sub;
    for (let k = 0; k < sub; k++) w += Math.abs(Femp - cdf(a + (k + 0.5) * h)) * h;
  }
  return w;
}
