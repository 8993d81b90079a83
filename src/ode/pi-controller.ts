/**
 * The PI step-size controller of DOPRI5 (Hairer, Nørsett & Wanner, Solving ODEs I, sec. II.4,
 * "Automatic step size control" and "Starting step size"; the PI form with Lund stabilization,
 * Hairer & Wanner, Solving ODEs II, sec. IV.2, after Gustafsson 1991).
 *
 * With sc_i = atol_i + rtol max(|y_i|, |y_new_i|) and err = sqrt(mean((e_i / sc_i)^2)) a step is
 * accepted when err <= 1, and the next step is
 *   h_new = h · clamp(safety · err^(-α) · err_prev^β, factorMin, factorMax),
 * with α = 1/(q+1) - 0.75 β, q the order of the embedded error estimate. After a rejection the
 * step never grows. rtol and atol have no defaults: the caller states the accuracy it wants.
 */
import { InvalidArgumentError } from "../util/errors.ts";
import type { ControllerContext, Solver, StepSizeController } from "./types.ts";

export interface PIControllerOptions {
  /** Relative tolerance, in [0, 1). Required. */
  rtol: number;
  /** Absolute tolerance, >= 0: one number or one per state component. Required. */
  atol: number | readonly number[];
  /** First step magnitude; default chosen from the problem (HNW I, sec. II.4). */
  dt0?: number;
  /** Smallest step magnitude; default 0 (then only the float64 spacing of t limits it). */
  dtMin?: number;
  /** Largest step magnitude; default Infinity. */
  dtMax?: number;
  /** Safety factor in (0, 1); default 0.9 as in DOPRI5. */
  safety?: number;
  /** Smallest step ratio h_new / h, in (0, 1); default 0.2 as in DOPRI5. */
  factorMin?: number;
  /** Largest step ratio h_new / h, > 1; default 10 as in DOPRI5. */
  factorMax?: number;
  /** Integral gain β in [0, 0.2]; default 0.04 as in DOPRI5 (0 gives the classical I controller). */
  beta?: number;
}

const FN = "PIController";

function positiveOr(name: string, x: number | undefined, fallback: number, lo: number, hi: number): number {
  if (x === undefined) return fallback;
  if (typeof x !== "number" || Number.isNaN(x) || x < lo || x > hi) {
    throw new InvalidArgumentError(FN, name, `a number in [${lo}, ${hi}]`, x);
  }
  return x;
}

/** An adaptive controller; requires a solver with an embedded error estimate. */
export function PIController(options: PIControllerOptions): StepSizeController {
  if (options === undefined || options === null || typeof options !== "object") {
    throw new InvalidArgumentError(FN, "options", "an object with rtol and atol", options);
  }
  const { rtol, atol } = options;
  if (rtol === undefined) {
    throw new InvalidArgumentError(FN, "rtol", "given (no default: state the relative accuracy)", rtol);
  }
  if (atol === undefined) {
    throw new InvalidArgumentError(FN, "atol", "given (no default: state the absolute accuracy)", atol);
  }
  if (typeof rtol !== "number" || !(rtol >= 0 && rtol < 1)) {
    throw new InvalidArgumentError(FN, "rtol", "a number in [0, 1)", rtol);
  }
  const atolList = typeof atol === "number" ? [atol] : atol;
  if (!Array.isArray(atolList) || atolList.some((x) => typeof x !== "number" || !(x >= 0 && x < Infinity))) {
    throw new InvalidArgumentError(FN, "atol", "a finite number >= 0 or an array of them", atol);
  }
  if (rtol === 0 && atolList.some((x) => x === 0)) {
    throw new InvalidArgumentError(FN, "atol", "> 0 where rtol = 0", atol, "the error scale would be 0");
  }
  const dtMin = positiveOr("dtMin", options.dtMin, 0, 0, Infinity);
  const dtMax = positiveOr("dtMax", options.dtMax, Infinity, Number.MIN_VALUE, Infinity);
  if (dtMin >= dtMax) throw new InvalidArgumentError(FN, "dtMin", `< dtMax = ${dtMax}`, dtMin);
  const dt0 = options.dt0 === undefined ? undefined : positiveOr("dt0", options.dt0, 0, dtMin, dtMax);
  if (dt0 === 0) throw new InvalidArgumentError(FN, "dt0", "> 0", dt0);
  const safety = positiveOr("safety", options.safety, 0.9, Number.MIN_VALUE, 1);
  const factorMin = positiveOr("factorMin", options.factorMin, 0.2, Number.MIN_VALUE, 1);
  const factorMax = positiveOr("factorMax", options.factorMax, 10, 1, Infinity);
  const beta = positiveOr("beta", options.beta, 0.04, 0, 0.2);

  return {
    name: `PIController(rtol=${rtol}, atol=${typeof atol === "number" ? atol : `[${atol.join(",")}]`})`,
    adaptive: true,
    check(solver: Solver, n: number) {
      if (!solver.adaptive || solver.errorOrder === undefined) {
        throw new InvalidArgumentError(
          "integrate",
          "solver",
          "an adaptive solver (with an embedded error estimate) for an adaptive controller",
          solver.name,
          "use DormandPrince54, or ConstantStepSize(dt) for fixed steps",
        );
      }
      if (atolList.length !== 1 && atolList.length !== n) {
        throw new InvalidArgumentError(FN, "atol", `one number or ${n} (one per state)`, atolList.length);
      }
    },
    start(context: ControllerContext) {
      const n = context.y0.length;
      const atolAt = (i: number) => (atolList.length === 1 ? atolList[0]! : atolList[i]!);
      const q = context.solver.errorOrder!;
      const alpha = 1 / (q + 1) - 0.75 * beta;
      let errPrev = 1e-4;
      let rejectedLast = false;
      let evaluations = 0;

      const scaledNorm = (v: Float64Array, y: Float64Array, yNew: Float64Array) => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const sc = atolAt(i) + rtol * Math.max(Math.abs(y[i]!), Math.abs(yNew[i]!));
          const r = v[i]! / sc;
          sum += r * r;
        }
        return Math.sqrt(sum / n);
      };

      // Starting step size: HNW I, sec. II.4, p. 169, with the details of DOPRI5's HINIT
      // (Euclidean norms of the scaled vectors, exponent 1/(q+1) with q the error order).
      const initialStep = () => {
        const { field, t0, t1, y0, direction } = context;
        const f0 = new Float64Array(n);
        const f1 = new Float64Array(n);
        const y1 = new Float64Array(n);
        field(t0, y0, f0);
        evaluations++;
        const norm = (v: Float64Array) => Math.sqrt(n) * scaledNorm(v, y0, y0);
        const dny = norm(y0);
        const dnf = norm(f0);
        let h0 = dnf <= 1e-5 || dny <= 1e-5 || !Number.isFinite(dnf) ? 1e-6 : 0.01 * (dny / dnf);
        h0 = Math.min(h0, dtMax, Math.abs(t1 - t0));
        for (let i = 0; i < n; i++) y1[i] = y0[i]! + direction * h0 * f0[i]!;
        field(t0 + direction * h0, y1, f1);
        evaluations++;
        for (let i = 0; i < n; i++) f1[i] = f1[i]! - f0[i]!;
        const der2 = norm(f1) / h0;
        const der12 = Math.max(der2, dnf);
        const h1 = !Number.isFinite(der12)
          ? h0
          : der12 <= 1e-15
            ? Math.max(1e-6, h0 * 1e-3)
            : (0.01 / der12) ** (1 / (q + 1));
        return Math.max(Math.min(100 * h0, h1, dtMax), dtMin);
      };

      const h0 = dt0 ?? initialStep();
      return {
        h0,
        hMin: dtMin,
        get evaluations() {
          return evaluations;
        },
        decide(h: number, y: Float64Array, yNew: Float64Array, err: Float64Array | null) {
          const errNorm = err ? scaledNorm(err, y, yNew) : Number.NaN;
          if (!Number.isFinite(errNorm)) {
            // A non-finite stage (overflow, NaN from the field): retreat as far as allowed.
            rejectedLast = true;
            return { accept: false, hNext: h * factorMin };
          }
          const errAlpha = errNorm ** alpha;
          if (errNorm <= 1) {
            let factor = (safety * errPrev ** beta) / errAlpha;
            factor = Math.min(factorMax, Math.max(factorMin, factor));
            if (rejectedLast) factor = Math.min(factor, 1);
            errPrev = Math.max(errNorm, 1e-4);
            rejectedLast = false;
            return { accept: true, hNext: Math.min(h * factor, dtMax) };
          }
          rejectedLast = true;
          const factor = Math.max(factorMin, safety / errAlpha);
          return { accept: false, hNext: Math.min(h * factor, dtMax) };
        },
      };
    },
  };
}
