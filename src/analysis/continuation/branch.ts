/**
 * Pseudo-arclength continuation of one branch of H(u) = 0 (H. B. Keller, 1977; Allgower and
 * Georg, Introduction to Numerical Continuation Methods, ch. 2): from a point u on the branch
 * with unit tangent t, predict u + ds t, correct by Newton on {H(v) = 0, t . (v - u) = ds},
 * take the new tangent as the kernel of H_u (oriented along the old one), and adapt ds. The
 * branch is followed while p stays in [pMin, pMax] (the crossing is landed on the boundary), the
 * states stay below `maxNorm`, and for at most `maxSteps` steps; the reason it stopped is
 * returned. At every point the test functions are evaluated; a sign change between two points
 * is reported as a detected event for the caller to locate.
 */
import { axpy, dot, norm2, nullVector } from "./linear-algebra.ts";
import { newtonSolve } from "./newton.ts";
import type { ContinuationProblem } from "./problem.ts";
import { type TestValues, testFunctions } from "./test-functions.ts";

export interface BranchOptions {
  pMin: number;
  pMax: number;
  /** Initial and largest arclength step (defaults (pMax - pMin)/100 and 4 times that). */
  ds?: number;
  dsMax?: number;
  /** Smallest step before giving up (default 1e-9). */
  dsMin?: number;
  /** Bound on steps (default 2000). */
  maxSteps?: number;
  /** Bound on |x| (default 1e6). */
  maxNorm?: number;
}

export interface BranchPoint {
  u: number[];
  tangent: number[];
  tests: TestValues;
}

export interface DetectedEvent {
  /** Which test function changed sign. */
  test: string;
  /** Index of the point after the sign change. */
  index: number;
}

export interface Branch {
  points: BranchPoint[];
  detected: DetectedEvent[];
  stop: string;
}

/** The unit kernel vector of H_u at u, oriented so that its dot with `along` is positive. */
export function tangentAt(
  problem: ContinuationProblem,
  u: readonly number[],
  along: readonly number[],
): number[] {
  const t = nullVector(problem.Hu(u));
  return dot(t, along) < 0 ? t.map((v) => -v) : t;
}

/** Follows the branch through u0 in the direction of `along`; see the module comment. */
export function continueBranch(
  problem: ContinuationProblem,
  u0: readonly number[],
  along: readonly number[],
  options: BranchOptions,
): Branch {
  const { n } = problem;
  const { pMin, pMax } = options;
  const span = pMax - pMin;
  let ds = options.ds ?? span / 100;
  const dsMax = options.dsMax ?? 4 * ds;
  const dsMin = options.dsMin ?? 1e-9;
  const maxSteps = options.maxSteps ?? 2000;
  const maxNorm = options.maxNorm ?? 1e6;
  const H = (u: readonly number[]) => problem.H(u);
  const t0 = tangentAt(problem, u0, along);
  const points: BranchPoint[] = [{ u: [...u0], tangent: t0, tests: testFunctions(problem, u0, t0) }];
  const detected: DetectedEvent[] = [];
  const record = (u: number[], t: number[]) => {
    const tests = testFunctions(problem, u, t);
    const prev = points[points.length - 1]!.tests;
    for (const key of Object.keys(tests))
      if (prev[key]! * tests[key]! < 0) detected.push({ test: key, index: points.length });
    points.push({ u, tangent: t, tests });
  };
  for (let step = 0; step < maxSteps; step++) {
    const { u, tangent: t } = points[points.length - 1]!;
    const predicted = axpy(ds, t, u);
    const corrector = (v: readonly number[]) => [
      ...H(v),
      dot(
        t,
        v.map((x, i) => x - u[i]!),
      ) - ds,
    ];
    const jac = (v: readonly number[]) => [...problem.Hu(v), [...t]];
    const r = newtonSolve(corrector, predicted, {
      jacobian: jac,
      maxIterations: 8,
      stepTolerance: 1e-11 * (1 + norm2(predicted)),
      residualTolerance: 1e-9,
    });
    if (!r.ok) {
      ds /= 2;
      if (ds < dsMin) return { points, detected, stop: `corrector failed at step ${dsMin} (${r.reason})` };
      continue;
    }
    const v = r.u;
    const p = v[n]!;
    if (p < pMin || p > pMax) {
      const bound = p < pMin ? pMin : pMax;
      const landed = newtonSolve(
        (x) => H([...x, bound]),
        v.slice(0, n).map((x, i) => u[i]! + ((x - u[i]!) * (bound - u[n]!)) / (p - u[n]!)),
        { jacobian: (x) => problem.Hu([...x, bound]).map((row) => row.slice(0, n)) },
      );
      if (landed.ok) {
        const w = [...landed.u, bound];
        record(w, tangentAt(problem, w, t));
      }
      return { points, detected, stop: `reached ${problem.param} = ${bound}` };
    }
    if (norm2(v.slice(0, n)) > maxNorm)
      return { points, detected, stop: `|x| exceeded the bound ${maxNorm}` };
    record(v, tangentAt(problem, v, t));
    if (r.iterations <= 3) ds = Math.min(dsMax, 1.3 * ds);
  }
  return { points, detected, stop: `reached the bound of ${maxSteps} steps` };
}
