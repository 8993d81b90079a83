/**
 * Fixed-step RK4 integration of the catalog's small autonomous ODEs, through src/ode (the
 * classical RK4 solver with a constant step). Global error is O(h^4); each claim that integrates
 * states its step and how the step was checked.
 */
import { ConstantStepSize, integrate, RK4 } from "../../src/ode/index.ts";

export type Field = (y: Float64Array) => Float64Array;

/**
 * Integrates y' = f(y) from y0 over [0, t1] in `steps` equal steps, calling `observe(t, y)` at
 * t = 0 and after every `every`-th step (every step by default). A non-finite state ends the run:
 * `finite` is false and `t` is the time reached (src/ode reports such failures instead of throwing).
 */
export function rk4(
  f: Field,
  y0: ArrayLike<number>,
  t1: number,
  steps: number,
  observe?: (t: number, y: Float64Array) => void,
  every = 1,
): { y: Float64Array; t: number; finite: boolean } {
  const h = t1 / steps;
  const saveAt: number[] | "steps" =
    every === 1
      ? "steps"
      : Array.from({ length: Math.floor(steps / every) + 1 }, (_, k) => Math.min(t1, k * every * h));
  const result = integrate(
    (_t, y, dy) => {
      dy.set(f(y));
    },
    RK4,
    ConstantStepSize(h),
    { t0: 0, t1, y0, saveAt: observe ? saveAt : undefined, maxSteps: steps + 10 },
  );
  if (observe) for (let k = 0; k < result.ts.length; k++) observe(result.ts[k]!, result.ys[k]!);
  return { y: result.y, t: result.t, finite: result.status === "success" };
}
