/**
 * The explicit Euler method y_{n+1} = y_n + h f(t_n, y_n): order 1, fixed step, no dense output
 * (Hairer, Nørsett & Wanner, Solving ODEs I, sec. I.7).
 */
import { explicitRungeKutta } from "./runge-kutta.ts";
import type { Solver } from "./types.ts";

export const ExplicitEuler: Solver = explicitRungeKutta({
  name: "ExplicitEuler",
  order: 1,
  tableau: { c: [0], a: [[]], b: [1] },
});
