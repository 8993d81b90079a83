/**
 * Certification of a root of a square polynomial system by the Krawczyk test (R. Krawczyk,
 * Computing 4, 1969; R. E. Moore, "A test for existence of solutions to nonlinear systems",
 * SIAM J. Numer. Anal. 14, 1977), in complex rectangular interval arithmetic with outward
 * rounding. For a box X around an approximate root y and a point matrix Y ~ F'(y)^(-1),
 *
 *     K(X) = y - Y F(y) + (I - Y F'(X)) (X - y).
 *
 * If K(X) lies in the interior of X, F has exactly one root in X (the mean-value form holds
 * for complex rectangles since they are convex, as the real 2n-dimensional statement). The
 * coefficients of F enter as intervals enclosing the exact rationals, so the certificate is
 * about the exact system.
 *
 * A real root is certified in a box symmetric about the real axis: the system has real
 * coefficients, so the conjugate of the unique root in such a box is a root in the box too,
 * hence equal to it: the root is real.
 */
import { Rational } from "../expr/index.ts";
import {
  type CVec,
  cnorm,
  evaluateSystem,
  invertComplex,
  type PolySystem,
  solveComplex,
} from "./poly-system.ts";

/** A closed interval [lo, hi]. */
interface Interval {
  lo: number;
  hi: number;
}
/** A complex rectangle re + i im. */
interface CInterval {
  re: Interval;
  im: Interval;
}

// a float64 operation's rounding error is at most half an ulp, below |result| 2^-53: moving
// each bound by |x| 2^-52 plus the smallest subnormal encloses the exact result
const down = (x: number) => x - Math.abs(x) * 2.220446049250313e-16 - Number.MIN_VALUE;
const up = (x: number) => x + Math.abs(x) * 2.220446049250313e-16 + Number.MIN_VALUE;
const iadd = (a: Interval, b: Interval): Interval => ({ lo: down(a.lo + b.lo), hi: up(a.hi + b.hi) });
const isub = (a: Interval, b: Interval): Interval => ({ lo: down(a.lo - b.hi), hi: up(a.hi - b.lo) });
const imul = (a: Interval, b: Interval): Interval => {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: down(Math.min(...p)), hi: up(Math.max(...p)) };
};
const point = (x: number): Interval => ({ lo: x, hi: x });
const cadd = (a: CInterval, b: CInterval): CInterval => ({ re: iadd(a.re, b.re), im: iadd(a.im, b.im) });
const csub = (a: CInterval, b: CInterval): CInterval => ({ re: isub(a.re, b.re), im: isub(a.im, b.im) });
const cmul = (a: CInterval, b: CInterval): CInterval => ({
  re: isub(imul(a.re, b.re), imul(a.im, b.im)),
  im: iadd(imul(a.re, b.im), imul(a.im, b.re)),
});
const cpoint = (re: number, im: number): CInterval => ({ re: point(re), im: point(im) });
const ZERO = cpoint(0, 0);

/** An interval enclosing the exact rational r. */
function enclose(r: Rational): Interval {
  const x = r.toNumber();
  return Rational.fromNumber(x).equals(r) ? point(x) : { lo: down(x), hi: up(x) };
}

/** Interval values of F and of F' over the box X (complex rectangles per coordinate). */
function intervalSystem(sys: PolySystem, X: readonly CInterval[], withJacobian: boolean) {
  const n = sys.unknowns.length;
  const index = new Map(sys.unknowns.map((v, i) => [v, i]));
  const maxDeg = Math.max(1, ...sys.degrees);
  const pw = X.map((x) => {
    const out = [cpoint(1, 0)];
    for (let k = 1; k <= maxDeg; k++) out.push(cmul(out[k - 1]!, x));
    return out;
  });
  const F: CInterval[] = [];
  const J: CInterval[][] = [];
  for (const p of sys.equations) {
    let f = ZERO;
    const row: CInterval[] = new Array(n).fill(ZERO);
    for (const t of p.terms()) {
      const c: CInterval = { re: enclose(t.coef), im: point(0) };
      const exps = new Array<number>(n).fill(0);
      for (const [v, e] of t.mono) exps[index.get(v)!] = e;
      let m = c;
      for (let v = 0; v < n; v++) if (exps[v]! > 0) m = cmul(m, pw[v]![exps[v]!]!);
      f = cadd(f, m);
      if (!withJacobian) continue;
      for (let j = 0; j < n; j++) {
        if (exps[j] === 0) continue;
        let dm = cmul(c, cpoint(exps[j]!, 0));
        for (let v = 0; v < n; v++) {
          const k = v === j ? exps[v]! - 1 : exps[v]!;
          if (k > 0) dm = cmul(dm, pw[v]![k]!);
        }
        row[j] = cadd(row[j]!, dm);
      }
    }
    F.push(f);
    J.push(row);
  }
  return { F, J };
}

export interface Certificate {
  /** Whether the Krawczyk test proved a unique root in the box. */
  certified: boolean;
  /** Center of the box (the refined approximation). */
  center: CVec;
  /** Half-width of the box in each real and imaginary coordinate. */
  radius: number;
  /** Whether the root is proven real (box symmetric about the real axis). */
  real: boolean;
}

/**
 * Tries to certify a root near x: Newton refinement, then the Krawczyk test on boxes of
 * growing half-width 1e-12 .. 1e-4 times (1 + |x|). `real` asks for a real certificate (x's
 * imaginary parts are dropped first).
 */
export function certifyRoot(sys: PolySystem, x0: CVec, real: boolean): Certificate {
  const n = sys.unknowns.length;
  let y: CVec = real ? { re: [...x0.re], im: x0.im.map(() => 0) } : { re: [...x0.re], im: [...x0.im] };
  for (let it = 0; it < 6; it++) {
    const { F, J } = evaluateSystem(sys, y);
    const dx = solveComplex(J, { re: F.re.map((v) => -v), im: F.im.map((v) => -v) });
    if (!dx) break;
    y = { re: y.re.map((v, i) => v + dx.re[i]!), im: real ? y.im : y.im.map((v, i) => v + dx.im[i]!) };
    if (cnorm(dx) <= 1e-16 * (1 + cnorm(y))) break;
  }
  const fail: Certificate = { certified: false, center: y, radius: 0, real: false };
  const { J: Jy } = evaluateSystem(sys, y);
  const Y = invertComplex(Jy);
  if (!Y) return fail;
  const Yc = Y.re.map((row, i) => row.map((v, j) => cpoint(v, Y.im[i]![j]!)));
  const yC = y.re.map((v, i) => cpoint(v, y.im[i]!));
  const { F: Fy } = intervalSystem(sys, yC, false);
  // y - Y F(y): the same for every box
  const base = yC.map((yi, i) => Fy.reduce((acc, f, k) => csub(acc, cmul(Yc[i]![k]!, f)), yi));
  for (const rel of [1e-12, 1e-10, 1e-8, 1e-6, 1e-4]) {
    const r = rel * (1 + cnorm(y));
    const D: CInterval = { re: { lo: -r, hi: r }, im: { lo: -r, hi: r } };
    const X = yC.map((yi) => cadd(yi, D));
    const { J } = intervalSystem(sys, X, true);
    let inside = true;
    for (let i = 0; i < n && inside; i++) {
      let k = base[i]!;
      for (let j = 0; j < n; j++) {
        // (I - Y J(X))_ij
        let m = i === j ? cpoint(1, 0) : ZERO;
        for (let l = 0; l < n; l++) m = csub(m, cmul(Yc[i]![l]!, J[l]![j]!));
        k = cadd(k, cmul(m, D));
      }
      const xi = X[i]!;
      inside = k.re.lo > xi.re.lo && k.re.hi < xi.re.hi && k.im.lo > xi.im.lo && k.im.hi < xi.im.hi;
    }
    if (inside) return { certified: true, center: y, radius: r, real };
  }
  return fail;
}

/** Whether two certified boxes overlap (then their unique roots may be one root). */
export function boxesOverlap(a: Certificate, b: Certificate): boolean {
  return a.center.re.every(
    (v, i) =>
      Math.abs(v - b.center.re[i]!) <= a.radius + b.radius &&
      Math.abs(a.center.im[i]! - b.center.im[i]!) <= a.radius + b.radius,
  );
}
