/**
 * The classical fourth-order Runge-Kutta method ("RK4"): order 4, fixed step, no dense output
 * (Hairer, Nørsett & Wanner, Solving ODEs I, sec. II.1, Table 1.2, left).
 */
import { explicitRungeKutta } from "./runge-kutta.ts";
import type { Solver } from "./types.ts";

export const RK4: Solver = explicitRungeKutta({
  name: "RK4",
  order: 4,
  tableau: {
    c: [0, 1 / 2, 1 / 2, 1],
    a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
    b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  },
});
