/**
 * Branch switching at a simple branch point u* of H(u) = 0 (Kuznetsov, Elements of Applied
 * Bifurcation Theory, 3rd ed., sec. 10.2.2, the algebraic branching equation): the kernel of
 * H_u(u*) is a plane spanned by the arriving tangent t0 and a unit e orthogonal to it; the
 * tangents of the crossing branches are the directions alpha t0 + beta e with
 * psi . H_uu[alpha t0 + beta e, alpha t0 + beta e] = 0, psi the left kernel vector. t0 is one
 * root; the other gives the new branch. A pitchfork is where one of the two tangents has no
 * component along the parameter (the new branch turns back at u*), a transcritical point where
 * both cross it.
 *
 * H_uu is taken by central differences with step 1e-4 (error O(1e-8) against the O(1)
 * coefficients of a simple branch point); the tangents are only the predictor's direction, and
 * "no component along p" is decided at 1e-4, far above that error and far below the O(1)
 * components of a transcritical crossing.
 */
import { dot, leftNullVector, norm2, nullPlane } from "./linear-algebra.ts";
import type { ContinuationProblem } from "./problem.ts";

export interface BranchSwitch {
  /** Unit tangent of the other branch. */
  tangent: number[];
  kind: "transcritical" | "pitchfork";
}

/** The other branch's tangent at the branch point u (arrived at along t0). */
export function switchBranch(
  problem: ContinuationProblem,
  u: readonly number[],
  t0: readonly number[],
): BranchSwitch {
  const { n } = problem;
  const Hu = problem.Hu(u).slice(0, n);
  const [k1, k2] = nullPlane(Hu);
  // the arriving tangent projected on the kernel plane, and its orthogonal complement there
  const a1 = dot(t0, k1);
  const a2 = dot(t0, k2);
  const r = Math.hypot(a1, a2);
  const t = k1.map((v, i) => (a1 * v + a2 * k2[i]!) / r);
  const e = k1.map((v, i) => (-a2 * v + a1 * k2[i]!) / r);
  const psi = leftNullVector(Hu);
  const h = 1e-4;
  const Q = (a: readonly number[], b: readonly number[]) => {
    const at = (sa: number, sb: number) =>
      problem.H(u.map((v, i) => v + h * (sa * a[i]! + sb * b[i]!))).slice(0, n);
    const pp = at(1, 1);
    const pm = at(1, -1);
    const mp = at(-1, 1);
    const mm = at(-1, -1);
    return psi.reduce((s, w, i) => s + (w * (pp[i]! - pm[i]! - mp[i]! + mm[i]!)) / (4 * h * h), 0);
  };
  const qa = Q(t, t);
  const qb = Q(t, e);
  const qc = Q(e, e);
  // roots of qa r^2 + 2 qb r + qc = 0 in r = alpha / beta; t itself is the root beta = 0 when
  // qa = 0, so the other is r = -qc / (2 qb); otherwise the root giving the direction farther
  // from t (smaller |r|)
  let ratio: number;
  if (Math.abs(qa) <= 1e-6 * Math.max(Math.abs(qb), Math.abs(qc), 1e-300)) ratio = -qc / (2 * qb);
  else {
    const disc = Math.sqrt(Math.max(0, qb * qb - qa * qc));
    const r1 = (-qb + disc) / qa;
    const r2 = (-qb - disc) / qa;
    ratio = Math.abs(r1) < Math.abs(r2) ? r1 : r2;
  }
  const raw = t.map((v, i) => ratio * v + e[i]!);
  const len = norm2(raw);
  const tangent = raw.map((v) => v / len);
  const pitchfork = Math.abs(tangent[n]!) < 1e-4 || Math.abs(t[n]!) < 1e-4;
  return { tangent, kind: pitchfork ? "pitchfork" : "transcritical" };
}
