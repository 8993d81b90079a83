/**
 * Spectral edges from the real branch of the operator-valued fixed point. Outside the support
 * G = G_p(x) is real and strictly decreasing in x, so below the support x is a function of
 * t = G₀₀ ∈ (G(edge), 0): solving Φ(G) = G with G₀₀ = t fixed for the other needed entries
 * and x, x(t) increases from −∞ as t decreases from 0⁻, and the lower edge is where it stops:
 * dx/dt = 0 (a square-root edge, where the fixed point's Jacobian is singular), or t → −∞ (G
 * diverges: an atom or a hard edge). Symmetrically above the support with t ∈ (0, G(edge)).
 *
 * In s = log|t|, f(s) = ∓dx/ds > 0 before the edge; the branch is followed by predictor
 * (dv/ds from the implicit function theorem, with the Newton matrix) and corrector (Newton) steps
 * of at most 0.25 in s (larger steps let the corrector land on another real branch with the same
 * G₀₀ past the fold, seen on seed 001's model at c ≈ 0.07; up to 2 in the divergent tail, where
 * |G₀₀| > 1, f falls and the exponential predictor holds to 1%) until f changes sign, and the root
 * of f is located by the Illinois method to |Δs| ≤ 1e-7.
 * Since f = 0 there, x errs by ½|x''|Δs² ≈ 1e-14|x''|, and the closer of the bracket's ends
 * to f = 0 is returned.
 */
import { NumericFailureError } from "../../util/errors.ts";
import { solveReal } from "./dense-linear.ts";
import { solveFixedPoint } from "./fixed-point.ts";
import type { OperatorCauchyProblem } from "./operator-cauchy.ts";

/** A point of the real branch: s = log|G₀₀|, the other needed entries and x, and f(s). */
export interface BranchPoint {
  s: number;
  /** Needed entries of G (entry 0 = G₀₀ = σe^s). */
  u: Float64Array;
  x: number;
  /** ∓dx/ds (positive before the edge). */
  f: number;
  /** du/ds and dx/ds. */
  du: Float64Array;
  dx: number;
}

export type EdgeSide = "lower" | "upper";

export interface BranchEdge {
  side: EdgeSide;
  x: number;
  /** "square-root": dx/dt = 0; "divergent": G → ∓∞ (an atom or a hard edge) before |t| reached its bound. */
  kind: "square-root" | "divergent";
  /** The branch point far outside the support where the march began (a start for nearby problems). */
  start: BranchPoint;
  /** Newton iterations spent. */
  iterations: number;
}

const S_MAX = 40; // |t| up to e^40 ≈ 2e17 before G is called divergent
/** Relative residual of the march's points: the predictor and the bracket need no more (the edge is
 * polished to 1e-14, the bracket's points solved to 1e-14); 1e-8 against 1e-10 saves 15% of the
 * Newton iterations of seed 001's maps and moves their edges by at most 1.1e-12 (60 × 60 grids). */
const MARCH_TOL = 1e-8;

class BranchSolver {
  readonly n: number;
  private phiRe: Float64Array;
  private jRe: Float64Array;
  private dzRe: Float64Array;
  private a: Float64Array;
  private b: Float64Array;
  /** The predictor's entries (scratch of {@link step}). */
  private predicted: Float64Array;
  iterations = 0;
  /** ‖Φ(u, x) − u‖∞ at the last evaluation of {@link solve} (Infinity where Φ was singular). */
  residual = Number.NaN;
  /** The last point Newton evaluated: x and G₀₀. */
  lastX = Number.NaN;
  lastG00 = Number.NaN;

  constructor(
    readonly problem: OperatorCauchyProblem,
    readonly sigma: number,
  ) {
    const n = problem.size;
    this.n = n;
    this.phiRe = new Float64Array(n);
    this.jRe = new Float64Array(n * n);
    this.dzRe = new Float64Array(n);
    this.a = new Float64Array(n * n);
    this.b = new Float64Array(n);
    this.predicted = new Float64Array(n);
  }

  /**
   * Newton on F(v) = Φ(u, x) − u with u₀ = σe^s, unknowns v = (u₁, …, x) starting from (u, x)
   * (overwritten). Returns the branch point with derivatives, or null when Newton fails.
   */
  solve(s: number, u: Float64Array, x0: number, tol = 1e-14): BranchPoint | null {
    const { n, problem } = this;
    const t = this.sigma * Math.exp(s);
    u[0] = t;
    let x = x0;
    let last = Number.POSITIVE_INFINITY;
    let first = Number.POSITIVE_INFINITY;
    for (let it = 0; it < 30; it++) {
      this.iterations++;
      this.lastX = x;
      this.lastG00 = t;
      this.residual = Number.POSITIVE_INFINITY;
      const ok = problem.evaluateReal(x, u, this.phiRe, this.jRe, this.dzRe);
      if (!ok) return null;
      let r = 0;
      let scale = 1;
      for (let q = 0; q < n; q++) {
        r = Math.max(r, Math.abs(this.phiRe[q]! - u[q]!));
        scale = Math.max(scale, Math.abs(u[q]!));
      }
      this.residual = r;
      if (!Number.isFinite(r)) return null;
      this.assemble();
      // Converged, or stalled at rounding (near an atom the entries cancel: 1e-16/|x − atom|).
      const converged = r <= tol * scale || (it > 1 && r <= 1e-9 * scale && r >= 0.5 * last);
      if (converged) return this.point(s, u, x);
      if (it === 0) first = r;
      if ((it > 4 && r > 2 * last) || (it >= 8 && r > 1e-3 * first)) return null;
      last = r;
      for (let q = 0; q < n; q++) this.b[q] = u[q]! - this.phiRe[q]!;
      if (!solveReal(n, this.a, this.b)) return null;
      for (let q = 1; q < n; q++) u[q]! += this.b[q]!;
      x += this.b[0]!;
    }
    return null;
  }

  /** A = ∂F/∂(x, u₁, …): column 0 is ∂Φ/∂x, column q ≥ 1 is ∂Φ/∂u_q − e_q. */
  private assemble(): void {
    const n = this.n;
    for (let p = 0; p < n; p++) {
      this.a[p * n] = this.dzRe[p]!;
      for (let q = 1; q < n; q++) this.a[p * n + q] = this.jRe[p * n + q]! - (p === q ? 1 : 0);
    }
  }

  /** The converged point with dv/ds = −A⁻¹ ∂F/∂s, ∂F/∂s = (∂Φ/∂u₀ − e₀) t. */
  private point(s: number, u: Float64Array, x: number): BranchPoint | null {
    const n = this.n;
    const t = u[0]!;
    for (let p = 0; p < n; p++) this.b[p] = -(this.jRe[p * n]! - (p === 0 ? 1 : 0)) * t;
    if (!solveReal(n, this.a, this.b)) return null;
    const du = new Float64Array(n);
    du[0] = t;
    for (let q = 1; q < n; q++) du[q] = this.b[q]!;
    const dx = this.b[0]!;
    return { s, u: u.slice(), x, f: this.sigma === -1 ? dx : -dx, du, dx };
  }

  /**
   * The point at s predicted from p and corrected by Newton; null when Newton fails or the
   * correction of x exceeds a quarter of its predicted change plus 1e-6, or that of an entry half
   * its predicted change plus 5% (the corrector would otherwise be free to land on another branch
   * with the same G₀₀; entries may grow like e^s, which the linear predictor underestimates). Inside an established edge bracket
   * the check is off: near the fold x barely changes while the corrector still moves.
   * The predictor: with `prev`, the point before p on the branch, x and the entries follow Taylor
   * polynomials of degree 2 with second derivatives from the change of their first ones between
   * prev and p, and the predicted change of x counts the quadratic term (near the fold, where
   * dx/ds → 0, the change of x is that term, and a linear yardstick would reject every step).
   * Otherwise x(s) → x∞ − Ce^{−s}, the divergent tail (a linear predictor would land on the
   * pole; for small h the two agree to O(h²)), and the entries linearly.
   */
  step(
    p: BranchPoint,
    s: number,
    checkCorrection = true,
    tol = 1e-14,
    prev?: BranchPoint,
  ): BranchPoint | null {
    const h = s - p.s;
    const n = this.n;
    const u = this.predicted;
    const k = prev ? (0.5 * h * h) / (p.s - prev.s) : 0;
    for (let q = 0; q < n; q++) u[q] = p.u[q]! + h * p.du[q]! + (prev ? k * (p.du[q]! - prev.du[q]!) : 0);
    const quadratic = prev ? k * (p.dx - prev.dx) : 0;
    const xPred = prev ? p.x + h * p.dx + quadratic : p.x + exponentialChange(h, 1) * p.dx;
    const change = Math.abs(h * p.dx) + Math.abs(quadratic);
    const next = this.solve(s, u.slice(), xPred, tol);
    if (!next || !checkCorrection) return next;
    const predicted = u;
    if (Math.abs(next.x - xPred) > 0.25 * change + 1e-6 * (1 + Math.abs(xPred))) return null;
    for (let q = 1; q < n; q++)
      if (
        Math.abs(next.u[q]! - predicted[q]!) >
        0.5 * Math.abs(h * p.du[q]!) + 0.05 * Math.abs(predicted[q]!)
      )
        return null;
    return next;
  }
}

export interface EdgeOptions {
  /**
   * The far start of a nearby problem (same pencil shape, `start` of its edge): Newton starts
   * there instead of solving the fixed point from scratch. Only the far point is reused, where
   * the real branch is unique; the march to the edge is always done.
   */
  farStart?: BranchPoint;
  /** A bound on ‖p‖ (the start lies at ∓(1.5·scale + 1)). */
  scale: number;
  /** Bound on Newton iterations (default 2000). */
  maxIterations?: number;
}

/** (1 − e^{−κh})/κ: the change of x over h per unit dx/ds where x − x∞ ∝ e^{−κs} (h for h ≤ 0). */
function exponentialChange(h: number, kappa: number): number {
  return h > 0 ? -Math.expm1(-kappa * h) / kappa : h;
}

/** The decay rate κ of dx/ds between two points (NaN unless it falls in magnitude, same sign). */
function decayRate(a: BranchPoint, b: BranchPoint): number {
  return a.dx * b.dx > 0 && Math.abs(a.dx) > Math.abs(b.dx)
    ? Math.log(a.dx / b.dx) / (b.s - a.s)
    : Number.NaN;
}

function geometricTail(a: BranchPoint | null, b: BranchPoint | null, c: BranchPoint): boolean {
  if (!a || !b) return false;
  const k1 = decayRate(a, b);
  const k2 = decayRate(b, c);
  return k1 > 0 && k2 > 0 && Math.abs(k1 - k2) <= 0.1 * k2;
}

/** x∞ from x − x∞ ≈ A e^{−κs}, κ = log(dx₁/dx₂)/(s₂ − s₁) from two points (κ = 1 without a previous one). */
function limitOf(prev: BranchPoint | null, p: BranchPoint): number {
  let kappa = 1;
  if (prev) kappa = decayRate(prev, p);
  // Within 5% of 1 the estimate is rounding noise around a simple pole.
  if (!(kappa > 0.1 && kappa < 10) || Math.abs(kappa - 1) < 0.05) kappa = 1;
  return p.x + p.dx / kappa;
}

/** The first branch point outside the support, far from it: from `farStart` if Newton converges there. */
function farPoint(
  solver: BranchSolver,
  problem: OperatorCauchyProblem,
  side: EdgeSide,
  options: EdgeOptions,
): BranchPoint {
  const x0 = (side === "lower" ? -1 : 1) * (1.5 * options.scale + 1);
  const warm = options.farStart;
  if (warm) {
    // Accepted only where the physical branch is pinned: |x| > ‖p‖ ≥ spectral radius gives
    // G₀₀ = ∫ρ(λ)/(x − λ) between 1/(x + ‖p‖) and 1/(x − ‖p‖).
    const p = solver.solve(warm.s, warm.u.slice(), warm.x);
    const r = options.scale;
    if (p && p.f > 0 && Math.abs(p.x) >= 1.25 * r) {
      const g = p.u[0]!;
      const [lo, hi] = [1 / (p.x + r), 1 / (p.x - r)].sort((a, b) => a - b) as [number, number];
      if (g >= lo && g <= hi) return p;
    }
  }
  const sol = solveFixedPoint(problem, { re: x0, im: 0 }, { scale: options.scale });
  const imag = Math.max(...sol.im.map(Math.abs));
  if (imag > 1e-8)
    throw new NumericFailureError("spectralEdge", "the fixed point is not real far outside the support", {
      x: x0,
      imag,
    });
  const u = Float64Array.from(sol.re);
  const p = solver.solve(Math.log(Math.abs(u[0]!)), u, x0);
  if (!p)
    throw new NumericFailureError("spectralEdge", "no real branch point far outside the support", { x: x0 });
  return p;
}

/**
 * The lower or upper edge of the support (the outermost one on that side). Throws
 * NumericFailureError with the branch point and the reason when the branch cannot be followed.
 */
export function spectralEdge(
  problem: OperatorCauchyProblem,
  side: EdgeSide,
  options: EdgeOptions,
): BranchEdge {
  const fn = "spectralEdge";
  const sigma = side === "lower" ? -1 : 1;
  const solver = new BranchSolver(problem, sigma);
  const maxIterations = options.maxIterations ?? 2000;
  // Every failure names the last point Newton evaluated and its residual ‖Φ(u, x) − u‖∞.
  const fail = (reason: string, where: Record<string, unknown>): never => {
    const r = solver.residual;
    throw new NumericFailureError(fn, reason, {
      side,
      residual: Number.isFinite(r) ? r : `${r} (Φ singular)`,
      newtonAt: { x: solver.lastX, G00: solver.lastG00 },
      ...where,
    });
  };
  const budget = () => {
    if (solver.iterations > maxIterations) fail(`more than ${maxIterations} Newton iterations`, {});
  };
  let a: BranchPoint | null = null; // f > 0
  let b: BranchPoint | null = null; // f ≤ 0
  let startPoint: BranchPoint | null = null;
  {
    let p = farPoint(solver, problem, side, options);
    const start = p;
    let prev: BranchPoint | null = null;
    let prev2: BranchPoint | null = null;
    if (!(p.f > 0)) fail("x(t) is not monotone far outside the support", { x: p.x, f: p.f });
    let h = 0.25;
    let inTail = false;
    for (;;) {
      budget();
      // x(s) → x∞ with x − x∞ ≈ A e^{−κs} where G diverges (κ = 1 at an atom, G ~ m/(x − x∞);
      // κ = 3/2 at a hard edge with ρ ~ |x − x∞|^{−1/3}, …): κ is read from dx/ds at the last two
      // points and x∞ = x + (dx/ds)/κ. Stop at |dx/ds| ≤ 1e-6 (error O(dx²) at an atom):
      // further out x loses digits to cancellation.
      // dx/ds also vanishes at a fold: divergence needs dx/ds falling geometrically as well, the
      // decay rates over the last two steps agreeing to 10% (near a fold it falls linearly).
      if (
        p.s > S_MAX ||
        (p.s > 0 && Math.abs(p.dx) <= 1e-6 * (1 + Math.abs(p.x)) && geometricTail(prev2, prev, p))
      )
        return { side, x: limitOf(prev, p), kind: "divergent", start, iterations: solver.iterations };
      // Where f reaches 0 if it keeps falling at its last rate (secant of the last two points):
      // the step aims 25% past that root, so that the bracket closes in one step instead of
      // halving towards the fold (outside the divergent tail, where f falls without a root).
      if (prev && !inTail && prev.f > p.f)
        h = Math.min(h, (1.25 * ((p.s - prev.s) * p.f)) / (prev.f - p.f) + 1e-4);
      const next = solver.step(p, p.s + h, true, MARCH_TOL, inTail ? undefined : (prev ?? undefined));
      if (!next || !Number.isFinite(next.x)) {
        // Near an atom x − x∞ ~ e^{−s} is resolved only to relative 1e-16 e^{s}, and Newton stalls
        // there: once x(s) has settled to 1e-5, extrapolate (edge error O(dx²) ≲ 1e-10).
        if (p.s > 0 && Math.abs(p.dx) <= 1e-5 * (1 + Math.abs(p.x)) && geometricTail(prev2, prev, p)) {
          return { side, x: limitOf(prev, p), kind: "divergent", start, iterations: solver.iterations };
        }
        h /= 2;
        if (h < 1e-6) fail("the real branch cannot be continued", { s: p.s, x: p.x, G00: p.u[0] });
        continue;
      }
      if (next.f > 0) {
        // Steps grow past 0.25 only in the divergent tail: |G₀₀| > 1, f falling, and the
        // exponential predictor right to 1% of the change in x.
        const tail =
          next.s > 0 &&
          next.f < p.f &&
          Math.abs(next.x - p.x - exponentialChange(h, 1) * p.dx) <= 0.01 * Math.abs(next.x - p.x);
        prev2 = prev;
        prev = p;
        p = next;
        inTail = tail;
        h = Math.min(tail ? 2 : 0.25, h * 2);
        continue;
      }
      a = p;
      b = next;
      break;
    }
    startPoint = start;
  }
  // Illinois on f over [a.s, b.s].
  let fa = a.f;
  let fb = b.f;
  let side0 = 0;
  while (b.s - a.s > 1e-7 * Math.max(1, Math.abs(a.s))) {
    budget();
    let s = (a.s * fb - b.s * fa) / (fb - fa);
    if (!(s > a.s && s < b.s)) s = 0.5 * (a.s + b.s);
    const from = s - a.s < b.s - s ? a : b;
    const p = solver.step(from, s, false);
    if (!p) fail("Newton failed inside the edge bracket", { s, bracket: [a.s, b.s] });
    if (p!.f > 0) {
      a = p!;
      fa = p!.f;
      if (side0 === 1) fb /= 2;
      side0 = 1;
    } else {
      b = p!;
      fb = p!.f;
      if (side0 === -1) fa /= 2;
      side0 = -1;
    }
  }
  // March points were solved to 1e-10 only: polish the result to full precision.
  const closer = Math.abs(a.f) < Math.abs(b.f) ? a : b;
  const best =
    solver.solve(closer.s, closer.u.slice(), closer.x) ??
    fail("Newton failed polishing the edge", { s: closer.s });
  return { side, x: best.x, kind: "square-root", start: startPoint!, iterations: solver.iterations };
}
