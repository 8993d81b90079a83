/**
 * Sweep task "ode-final": integrates the van der Pol oscillator x'' - mu (1 - x²) x' + x = 0
 * (as x' = v, v' = mu (1 - x²) v - x) from a random initial state (x0, v0) ~ N(0, I) drawn from
 * the task's seed, with Dormand-Prince 5(4) and a PI controller, and reports the final state, the
 * largest |x| on a uniform grid of 201 times, and the work done. For large mu the problem is
 * stiff and the explicit solver runs into its step bound: the task then fails with the time and
 * state where it stopped, which is what a sweep must be able to record.
 */
import { DormandPrince54 } from "../../../ode/dormand-prince54.ts";
import { integrate } from "../../../ode/integrate.ts";
import { PIController } from "../../../ode/pi-controller.ts";
import type { VectorField } from "../../../ode/types.ts";
import { InvalidArgumentError } from "../../../util/errors.ts";
import { Rng } from "../../../util/random.ts";
import { numberParam, type SweepTask } from "../task.ts";

export const odeFinalTask: SweepTask = {
  name: "ode-final",
  description: "van der Pol oscillator from a seeded random start: final state and amplitude (src/ode)",
  parameters: [
    { name: "mu", description: "damping parameter, >= 0", required: true },
    { name: "t1", description: "end time, > 0 (default 20)", required: false },
    {
      name: "tol",
      description: "rtol = atol of the PI controller, in (0, 0.1] (default 1e-8)",
      required: false,
    },
    { name: "maxSteps", description: "bound on attempted steps (default 100000)", required: false },
  ],
  run(params, seed) {
    const mu = numberParam("ode-final", params, "mu");
    const t1 = numberParam("ode-final", params, "t1", 20);
    const tol = numberParam("ode-final", params, "tol", 1e-8);
    const maxSteps = numberParam("ode-final", params, "maxSteps", 100_000);
    if (!(mu >= 0)) throw new InvalidArgumentError("ode-final", "mu", "a number >= 0", mu);
    if (!(t1 > 0)) throw new InvalidArgumentError("ode-final", "t1", "a number > 0", t1);
    if (!(tol > 0 && tol <= 0.1))
      throw new InvalidArgumentError("ode-final", "tol", "a number in (0, 0.1]", tol);
    const rng = new Rng(seed);
    const y0 = [rng.normal(), rng.normal()];
    const field: VectorField = (_t, y, dy) => {
      dy[0] = y[1]!;
      dy[1] = mu * (1 - y[0]! * y[0]!) * y[1]! - y[0]!;
    };
    const saveAt = Array.from({ length: 201 }, (_, i) => (i === 200 ? t1 : (i * t1) / 200));
    const r = integrate(field, DormandPrince54, PIController({ rtol: tol, atol: tol }), {
      t0: 0,
      t1,
      y0,
      saveAt,
      maxSteps,
    });
    const amplitude = r.ys.reduce((m, y) => Math.max(m, Math.abs(y[0]!)), 0);
    const values = {
      x0: y0[0]!,
      v0: y0[1]!,
      amplitude,
      accepted: r.stats.accepted,
      rejected: r.stats.rejected,
      evaluations: r.stats.evaluations,
    };
    if (r.status === "failed") {
      const f = r.failure!;
      return {
        status: "failed",
        reason: `${f.reason}: ${f.message}`,
        where: { t: f.t, x: f.y[0]!, v: f.y[1]!, step: f.step },
        values,
      };
    }
    return { status: "ok", values: { ...values, x: r.y[0]!, v: r.y[1]! } };
  },
};
