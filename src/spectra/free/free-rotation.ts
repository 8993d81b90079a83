/**
 * Haar orthogonal matrices in self-adjoint expressions, as free rotations:
 *     p = R + Σ_k c_k U_k X_k U_kᵀ,
 * each U_k Haar orthogonal and written only in its own term, R and the X_k free of Haar letters.
 * A Haar rotation makes U X Uᵀ free from everything independent of U with the law of X
 * (Voiculescu), so law(p) = law(R) ⊞ law(c_1 X_1) ⊞ … : a free additive convolution of laws the
 * Gaussian engine computes (polynomial-spectrum.ts), by analytic subordination (Biane;
 * Belinschi–Bercovici 2007): for z in C⁺ there are ω_1 … ω_K in C⁺ with
 *     G_k(ω_k) = G(z) for every k,   Σ_k ω_k = z + (K − 1)/G(z),
 * solved by Newton's method in the unknowns (ω_1 … ω_K, G) (G' exact for an atomic diagonal, by
 * central differences of the analytic G otherwise), from ω_k = z far from the axis down to the
 * target Im z by continuation.
 *
 * Support: a density scan over the norm bound, each change of sign located by bisection (THRESHOLD),
 * every edge validated by the density on both sides (src/spectra/support.ts); atoms by
 * Bercovici–Voiculescu: μ ⊞ ν has an atom at a + b when μ({a}) + ν({b}) > 1, of that excess (K
 * laws: masses summing to more than K − 1). Edges are exact to about 1e-11 at a square-root edge;
 * at an edge where the density diverges (ρ ≈ A δ^{-1/2}, the arcsine law's) the Lorentzian tail
 * of the bulk outside, about η A δ^{-3/2}, crosses THRESHOLD · peak (the peak itself large there,
 * ~10) at δ ≈ (η A/(THRESHOLD · peak))^{2/3} ≈ 2e-5, and the edge is placed there.
 */
import { BoundExceededError, InvalidArgumentError, NumericFailureError } from "../../util/errors.ts";
import { type Complex, cabs, cadd, cdiv, cmul, csub } from "../complex.ts";
import { type SpectralEdge, supportIntervals, validatedEdge } from "../support.ts";
import { solveComplex } from "./dense-linear.ts";
import { ensemblesOf, identity, type MatrixExpr, product, scale, shapeOf, sum } from "./expression.ts";
import { noncommutativePolynomial } from "./noncommutative-polynomial.ts";
import { operatorSolution, type PolynomialSpectrum, polynomialSpectrum } from "./polynomial-spectrum.ts";
import { type PolynomialSupport, polynomialSupport } from "./polynomial-support.ts";

/** One law of the free sum: its Cauchy transform, a bound on its support, its atoms. */
export interface RotationPart {
  cauchy(w: Complex): Complex;
  /** G'(w), exact where the law is explicit. */
  derivative(w: Complex): Complex;
  readonly scale: number;
  atoms(): { location: number; mass: number }[];
}

/** c D + k with D diagonal of atomic law: G(w) = Σ p_i / (w − c a_i − k), exactly. */
function atomicPart(atoms: readonly number[], weights: readonly number[]): RotationPart {
  return {
    cauchy(w) {
      let re = 0;
      let im = 0;
      atoms.forEach((a, i) => {
        const g = cdiv({ re: weights[i]!, im: 0 }, { re: w.re - a, im: w.im });
        re += g.re;
        im += g.im;
      });
      return { re, im };
    },
    derivative(w) {
      let re = 0;
      let im = 0;
      atoms.forEach((a, i) => {
        // −p / (w − a)²
        const d = { re: w.re - a, im: w.im };
        const sq = { re: d.re * d.re - d.im * d.im, im: 2 * d.re * d.im };
        const g = cdiv({ re: -weights[i]!, im: 0 }, sq);
        re += g.re;
        im += g.im;
      });
      return { re, im };
    },
    scale: Math.max(...atoms.map(Math.abs)),
    atoms: () => atoms.map((a, i) => ({ location: a, mass: weights[i]! })).filter((a) => a.mass > 0),
  };
}

/**
 * A law of the Gaussian engine; its fixed point starts from the last solution where that gives
 * a physical value (Im G ≤ 0 above the axis), from far up otherwise.
 */
function enginePart(s: PolynomialSpectrum): RotationPart {
  let last: { re: Float64Array; im: Float64Array } | undefined;
  const cauchy = (w: Complex): Complex => {
    let u = last ? operatorSolution(s, w, last) : undefined;
    if (!u || !(u.im[0]! <= 0)) u = operatorSolution(s, w);
    last = u;
    return { re: u.re[0]!, im: u.im[0]! };
  };
  return {
    cauchy,
    // Central differences of the analytic G along the real direction (error O(d²), d = 1e-6 (1 + |w|)).
    derivative(w) {
      const d = 1e-6 * (1 + Math.hypot(w.re, w.im));
      const a = cauchy({ re: w.re + d, im: w.im });
      const b = cauchy({ re: w.re - d, im: w.im });
      return { re: (a.re - b.re) / (2 * d), im: (a.im - b.im) / (2 * d) };
    },
    scale: s.scale,
    atoms() {
      try {
        return polynomialSupport(s).atoms;
      } catch (e) {
        if (e instanceof NumericFailureError) return [];
        throw e;
      }
    },
  };
}

export interface FreeRotationSum {
  /** The laws convolved: R and each c_k X_k (constants excluded). */
  readonly parts: readonly RotationPart[];
  /** The multiple of the identity in p (a shift of the law). */
  readonly shift: number;
  /** ‖p‖ ≤ scale. */
  readonly scale: number;
}

/** Most freely rotated summands (each adds an unknown to the subordination system). */
export const MAX_ROTATED = 6;

const hasHaar = (e: MatrixExpr) => [...ensemblesOf(e).values()].some((x) => x.kind === "haar");

/** The terms of a sum, with their coefficients (scale and nested sums flattened). */
function terms(e: MatrixExpr, c = 1): { c: number; e: MatrixExpr }[] {
  if (e.kind === "sum") return e.terms.flatMap((t) => terms(t, c));
  if (e.kind === "scale") return terms(e.arg, c * e.coefficient);
  return [{ c, e }];
}

/** U X Uᵀ with U Haar: X (the identity for U Uᵀ), else null. */
function rotated(e: MatrixExpr): { name: string; inner: MatrixExpr } | null {
  if (e.kind !== "product") return null;
  const flat = (f: MatrixExpr): MatrixExpr[] => (f.kind === "product" ? f.factors.flatMap(flat) : [f]);
  const factors = flat(e);
  if (factors.length < 2) return null;
  const first = factors[0]!;
  const last = factors[factors.length - 1]!;
  if (first.kind !== "matrix" || first.ensemble.kind !== "haar") return null;
  if (
    last.kind !== "transpose" ||
    last.arg.kind !== "matrix" ||
    last.arg.ensemble.name !== first.ensemble.name
  )
    return null;
  const middle = factors.slice(1, -1);
  const inner =
    middle.length === 0
      ? identity(first.ensemble.space)
      : middle.length === 1
        ? middle[0]!
        : product(...middle);
  return { name: first.ensemble.name, inner };
}

/**
 * The free rotations of `e`, or null when it has no Haar letter. Throws InvalidArgumentError
 * naming the term when a Haar letter is used otherwise.
 */
export function freeRotationSum(e: MatrixExpr): FreeRotationSum | null {
  const fn = "freeRotationSum";
  if (!hasHaar(e)) return null;
  const rest: MatrixExpr[] = [];
  const inner: MatrixExpr[] = [];
  const seen = new Set<string>();
  for (const t of terms(e)) {
    const r = rotated(t.e);
    if (r && !hasHaar(r.inner) && !seen.has(r.name)) {
      seen.add(r.name);
      inner.push(t.c === 1 ? r.inner : scale(t.c, r.inner));
    } else if (hasHaar(t.e)) {
      throw new InvalidArgumentError(
        fn,
        "expression",
        "Haar matrices only as free rotations U X Uᵀ, each U in one term of the sum, X without Haar letters",
        "a term that uses a Haar matrix otherwise",
      );
    } else rest.push(t.c === 1 ? t.e : scale(t.c, t.e));
  }
  for (const r of rest)
    for (const name of ensemblesOf(r).keys())
      if (seen.has(name))
        throw new InvalidArgumentError(fn, name, "a Haar matrix of one term only", "used in two terms");
  if (inner.length > MAX_ROTATED)
    throw new BoundExceededError(fn, "rotated terms", MAX_ROTATED, inner.length);
  let shift = 0;
  const parts: RotationPart[] = [];
  for (const x of [...(rest.length ? [rest.length === 1 ? rest[0]! : sum(...rest)] : []), ...inner]) {
    const poly = noncommutativePolynomial(x);
    const constant = poly.monomials.filter((m) => m.word.length === 0).reduce((s, m) => s + m.coefficient, 0);
    const letters = poly.monomials.filter((m) => m.word.length > 0);
    if (letters.length === 0) {
      shift += constant;
      continue;
    }
    const only = letters.length === 1 && letters[0]!.word.length === 1 ? letters[0]! : null;
    const ensemble = only ? poly.ensembles.get(only.word[0]!.name) : undefined;
    if (only && ensemble?.kind === "diagonal" && ensemble.law.kind === "atoms") {
      const c = only.coefficient;
      parts.push(
        atomicPart(
          ensemble.law.atoms.map((a) => c * a + constant),
          ensemble.law.weights,
        ),
      );
    } else parts.push(enginePart(polynomialSpectrum(x)));
  }
  shapeOf(e);
  return { parts, shift, scale: Math.abs(shift) + parts.reduce((s, p) => s + p.scale, 0) };
}

/** Newton iterations per solve. */
const NEWTON_ITERATIONS = 60;

interface Subordination {
  readonly omega: Complex[];
  readonly G: Complex;
}

/** x with A x = b (dense-linear.ts's elimination with partial pivoting); null when A is singular. */
function complexSolve(A: Complex[][], b: Complex[]): Complex[] | null {
  const n = b.length;
  const aRe = Float64Array.from(A.flat(), (z) => z.re);
  const aIm = Float64Array.from(A.flat(), (z) => z.im);
  const bRe = Float64Array.from(b, (z) => z.re);
  const bIm = Float64Array.from(b, (z) => z.im);
  if (!solveComplex(n, aRe, aIm, bRe, bIm)) return null;
  return Array.from(bRe, (re, k) => ({ re, im: bIm[k]! }));
}

/**
 * Newton's method on the subordination system written without poles, in the unknowns
 * (ω_1 … ω_K, G):  G_k(ω_k) − G = 0 (k = 1 … K),  G (Σ_k ω_k − z) − (K − 1) = 0. (In terms of
 * h = 1/G − w the equations have poles where a G_k vanishes, which the ω_k reach in a gap of the
 * support, where G(x) is real and crosses 0.) From `start` (the ω; G = G_1(ω_1)); null when it
 * does not converge. Steps are damped so that every Im ω_k stays ≥ Im z and the residual falls.
 */
function newton(
  parts: readonly RotationPart[],
  z: Complex,
  start: Complex[],
  report: { residual: number } = { residual: Number.NaN },
): Subordination | null {
  const K = parts.length;
  let omega = start.map((w) => ({ ...w }));
  let gs: Complex[];
  try {
    gs = omega.map((w, k) => parts[k]!.cauchy(w));
  } catch (e) {
    if (e instanceof NumericFailureError) return null;
    throw e;
  }
  let G = gs[0]!;
  const residual = (om: Complex[], g: Complex[], G: Complex) => {
    const r = g.map((gk) => csub(gk, G));
    const total = om.reduce((acc, w) => cadd(acc, w), { re: -z.re, im: -z.im });
    r.push(csub(cmul(G, total), { re: K - 1, im: 0 }));
    return r;
  };
  const norm = (r: Complex[]) => Math.max(...r.map(cabs));
  let r = residual(omega, gs, G);
  // G_k is a fixed point solved to about 1e-13 relative: the floor of the first K equations is
  // 1e-13 |G|, of the last 1e-13 (K − 1).
  const floor = () => 1e-13 * (K + Math.max(...gs.map(cabs)) * (1 + Math.max(...omega.map(cabs), cabs(z))));
  // At a cusp of the law (ρ ~ |x − x₀|^{1/3}) the Jacobian is singular in the limit and Newton
  // slows to linear convergence: the point is then reported as a failure.
  for (let it = 0; it < NEWTON_ITERATIONS; it++) {
    if (norm(r) <= floor()) return { omega, G };
    const total = omega.reduce((acc, w) => cadd(acc, w), { re: -z.re, im: -z.im });
    const J: Complex[][] = [];
    for (let k = 0; k < K; k++) {
      const row: Complex[] = omega.map(() => ({ re: 0, im: 0 }));
      row[k] = parts[k]!.derivative(omega[k]!);
      row.push({ re: -1, im: 0 });
      J.push(row);
    }
    J.push([...omega.map(() => G), total]);
    const step = complexSolve(
      J,
      r.map((v) => ({ re: -v.re, im: -v.im })),
    );
    if (!step) return null;
    let t = 1;
    for (; t > 1e-6; t /= 2) {
      const next = omega.map((w, k) => cadd(w, { re: t * step[k]!.re, im: t * step[k]!.im }));
      if (next.some((w) => !(w.im >= z.im * (1 - 1e-12)))) continue;
      const nextG = cadd(G, { re: t * step[K]!.re, im: t * step[K]!.im });
      let ng: Complex[];
      try {
        ng = next.map((w, k) => parts[k]!.cauchy(w));
      } catch (e) {
        if (e instanceof NumericFailureError) continue;
        throw e;
      }
      const nr = residual(next, ng, nextG);
      if (norm(nr) < norm(r)) {
        omega = next;
        gs = ng;
        G = nextG;
        r = nr;
        break;
      }
    }
    // No step decreases the residual: converged to its rounding floor, or failed.
    report.residual = norm(r);
    if (t <= 1e-6) return norm(r) <= 1e3 * floor() ? { omega, G } : null;
  }
  report.residual = norm(r);
  return norm(r) <= 1e3 * floor() ? { omega, G } : null;
}

/** G(z) of the free sum with the subordination functions; `warm`: a nearby point's ω. */
export function rotationSumCauchy(s: FreeRotationSum, z: Complex, warm?: Complex[]): Subordination {
  const w = { re: z.re - s.shift, im: z.im };
  if (s.parts.length === 1) return { omega: [w], G: s.parts[0]!.cauchy(w) };
  if (warm) {
    const r = newton(s.parts, w, warm);
    if (r) return r;
  }
  // Continuation from far above the axis, where ω_k ≈ z: η divided by 8 per step, by less where
  // Newton does not converge from the previous solution (down to a factor 1.01).
  let eta = 2 * (1 + s.scale);
  const report = { residual: Number.NaN };
  const fail = (at: number): never => {
    throw new NumericFailureError("rotationSumCauchy", "the subordination equations did not converge", {
      z,
      eta: at,
      residual: report.residual,
    });
  };
  let last =
    newton(
      s.parts,
      { re: w.re, im: eta },
      s.parts.map(() => ({ re: w.re, im: eta })),
      report,
    ) ?? fail(eta);
  let factor = 8;
  while (eta > w.im) {
    const next = Math.max(w.im, eta / factor);
    const r = newton(s.parts, { re: w.re, im: next }, last.omega, report);
    if (r) {
      last = r;
      eta = next;
      factor = Math.min(8, factor * 2);
    } else {
      factor = Math.sqrt(factor);
      if (factor < 1.01) fail(next);
    }
  }
  return last;
}

export function rotationSumDensity(s: FreeRotationSum, x: number, eta = 1e-9 * (1 + Math.abs(x))): number {
  return Math.max(0, -rotationSumCauchy(s, { re: x, im: eta }).G.im / Math.PI);
}

/** The support of a free sum: edges, intervals, atoms and rejected edge candidates, as for a polynomial's law. */
export type RotationSumSupport = PolynomialSupport;

/**
 * Inside the support where ρ > THRESHOLD · peak at η = 1e-12 (1 + |x|): from a square-root edge
 * ρ ≈ C√δ this misplaces the edge by (THRESHOLD peak/C)² ≈ 1e-13, and the Lorentzian tail of the
 * bulk outside, about η C/√δ, falls below it within δ ≈ (η C/(THRESHOLD peak))² ≈ 1e-11 (a
 * threshold of 1e-9 would leave the edge where that tail is, 1e-6 outside).
 */
const THRESHOLD = 1e-6;

/** The support (scan of `scanPoints` over the norm bound) and the atoms. */
export function rotationSumSupport(s: FreeRotationSum, scanPoints = 600): RotationSumSupport {
  // A little beyond the norm bound, which an edge can reach (the arcsine law's ±2).
  const R = 1.02 * s.scale + 1e-3;
  // Bercovici–Voiculescu: one atom of each part with masses summing to more than K − 1.
  const K = s.parts.length;
  let combos: { location: number; mass: number }[] = [{ location: s.shift, mass: 0 }];
  for (const part of s.parts) {
    const atoms = part.atoms();
    combos = combos.flatMap((c) =>
      atoms.map((a) => ({ location: c.location + a.location, mass: c.mass + a.mass })),
    );
  }
  const atoms = combos
    .filter((c) => c.mass > K - 1 + 1e-6)
    .map((c) => ({ location: c.location, mass: c.mass - (K - 1) }));
  // Scan points that fall on an atom move off it by 1e-7 (1 + |x|), where its Lorentzian, which is
  // subtracted, is still resolved to rounding.
  const xs = Array.from({ length: scanPoints + 1 }, (_, k) => {
    const x = s.shift - R + (2 * R * k) / scanPoints;
    return atoms.some((a) => Math.abs(x - a.location) < 1e-7 * (1 + Math.abs(x)))
      ? x + 1e-7 * (1 + Math.abs(x))
      : x;
  });
  // The continuous density: every point from far up (the analytic continuation; a start from the
  // neighbouring point can converge to another root of the equations), less the atoms'
  // Lorentzians m η / (π ((x − a)² + η²)). A point where the equations cannot be solved (NaN:
  // next to a cusp or an edge, where the Jacobian is nearly singular) takes the class of the
  // scan point before it; a bisection step that meets one splits its bracket elsewhere (at 0.3,
  // 0.7, 0.15, 0.85 of it).
  const rho = (x: number) => {
    const eta = 1e-12 * (1 + Math.abs(x));
    let r: Subordination;
    try {
      r = rotationSumCauchy(s, { re: x, im: eta });
    } catch (e) {
      if (e instanceof NumericFailureError) return Number.NaN;
      throw e;
    }
    let v = -r.G.im / Math.PI;
    for (const a of atoms) v -= (a.mass * eta) / (Math.PI * ((x - a.location) ** 2 + eta * eta));
    return Math.max(0, v);
  };
  const step = (2 * R) / scanPoints;
  const values = xs.map((x, k) => {
    let v = rho(x);
    // A failed point moves by a quarter step (either way) before it takes its neighbour's class.
    for (const dx of [0.25 * step, -0.25 * step]) {
      if (!Number.isNaN(v)) break;
      xs[k] = x + dx;
      v = rho(xs[k]!);
    }
    return v;
  });
  const peak = Math.max(...values.filter((v) => !Number.isNaN(v)));
  if (!(peak > 0)) return { edges: [], intervals: [], atoms, rejected: [] };
  const inside: boolean[] = [];
  for (const [k, v] of values.entries())
    inside.push(Number.isNaN(v) ? (inside[k - 1] ?? false) : v > THRESHOLD * peak);
  const bisect = (a: number, b: number, aInside: boolean) => {
    for (let it = 0; it < 60 && b - a > 1e-13 * (1 + Math.abs(a)); it++) {
      let m = 0.5 * (a + b);
      let v = rho(m);
      for (const f of [0.3, 0.7, 0.15, 0.85]) {
        if (!Number.isNaN(v)) break;
        m = a + f * (b - a);
        v = rho(m);
      }
      if (Number.isNaN(v)) break;
      if (v > THRESHOLD * peak === aInside) a = m;
      else b = m;
    }
    return 0.5 * (a + b);
  };
  const candidates: number[] = [];
  for (let k = 1; k <= scanPoints; k++)
    if (inside[k - 1] !== inside[k]) candidates.push(bisect(xs[k - 1]!, xs[k]!, inside[k - 1]!));
  const edges: SpectralEdge[] = [];
  const rejected: number[] = [];
  const density = (y: number, eta: number) => {
    try {
      return rotationSumDensity(s, y, eta);
    } catch (e) {
      if (e instanceof NumericFailureError) return Number.NaN;
      throw e;
    }
  };
  for (const x of candidates) {
    const e = validatedEdge(x, density);
    if (e) edges.push(e);
    else rejected.push(x);
  }
  return { edges, intervals: supportIntervals(edges), atoms, rejected };
}
