/**
 * Dormand-Prince 5(4): a 7-stage, first-same-as-last explicit Runge-Kutta pair propagating the
 * order-5 solution with an embedded order-4 error estimate, and the free order-4 dense output
 * (Dormand & Prince 1980; Hairer, Nørsett & Wanner, Solving ODEs I, sec. II.5, Table 5.2, and
 * the dense output of sec. II.6 as coded in DOPRI5's CONTD5, after Shampine 1986).
 */
import { type DenseOutputFormula, explicitRungeKutta } from "./runge-kutta.ts";
import type { Solver } from "./types.ts";

const b = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const bHat = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

// Coefficients of the dense output's fifth basis term (DOPRI5, d1..d7; d2 = 0).
const d = [
  -12715105075 / 11282082432,
  0,
  87487479700 / 32700410799,
  -10690763975 / 1880347072,
  701980252875 / 199316789632,
  -1453857185 / 822651844,
  69997945 / 29380423,
];

/**
 * The continuous extension
 *   y(t0 + θh) = r1 + θ (r2 + (1-θ) (r3 + θ (r4 + (1-θ) r5)))
 * with r1 = y0, r2 = y1 - y0, r3 = h k1 - r2, r4 = r2 - h k7 - r3, r5 = h Σ d_i k_i.
 * It matches y0, y1 and both end slopes, and has local error O(h^5).
 */
function dopri5DenseOutput(n: number): DenseOutputFormula {
  const r = Array.from({ length: 5 }, () => new Float64Array(n));
  const [r1, r2, r3, r4, r5] = r as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return {
    prepare(y0, y1, k, h) {
      const k1 = k[0]!;
      const k7 = k[6]!;
      for (let m = 0; m < n; m++) {
        const dy = y1[m]! - y0[m]!;
        const bspl = h * k1[m]! - dy;
        r1[m] = y0[m]!;
        r2[m] = dy;
        r3[m] = bspl;
        r4[m] = dy - h * k7[m]! - bspl;
        let sum = 0;
        for (let j = 0; j < 7; j++) sum += d[j]! * k[j]![m]!;
        r5[m] = h * sum;
      }
    },
    evaluate(theta, out) {
      const theta1 = 1 - theta;
      for (let m = 0; m < n; m++) {
        out[m] = r1[m]! + theta * (r2[m]! + theta1 * (r3[m]! + theta * (r4[m]! + theta1 * r5[m]!)));
      }
    },
  };
}

export const DormandPrince54: Solver = explicitRungeKutta({
  name: "DormandPrince54",
  order: 5,
  errorOrder: 4,
  tableau: {
    c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
    a: [
      [],
      [1 / 5],
      [3 / 40, 9 / 40],
      [44 / 45, -56 / 15, 32 / 9],
      [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
      [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
      [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
    ],
    b,
    e: b.map((bi, i) => bi - bHat[i]!),
    fsal: true,
  },
  denseOutput: dopri5DenseOutput,
});
