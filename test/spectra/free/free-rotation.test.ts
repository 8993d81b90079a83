/**
 * Haar rotations as free additive convolution (src/spectra/free/free-rotation.ts): the arcsine
 * law of two free symmetric Bernoulli, Wigner plus a rotated diagonal against the Gaussian
 * engine's Wigner plus diagonal (the same law: a Wigner matrix is free from any independent
 * diagonal), the sum of two free projections against its closed form, and sampled Haar matrices.
 */
import { describe, expect, it } from "vitest";
import { kolmogorovSmirnov, spectralDistributionOf } from "../../../src/spectra/distribution.ts";
import * as E from "../../../src/spectra/free/expression.ts";
import {
  freeRotationSum,
  rotationSumDensity,
  rotationSumSupport,
} from "../../../src/spectra/free/free-rotation.ts";
import { polynomialDensity, polynomialSpectrum } from "../../../src/spectra/free/polynomial-spectrum.ts";
import { polynomialSupport } from "../../../src/spectra/free/polynomial-support.ts";
import { sampledEigenvalues } from "../../../src/spectra/free/sample.ts";

const N = E.space("N", 1);
const U = E.haar("U", N);
const rotate = (X: E.MatrixExpr) => E.product(U, X, E.transpose(U));

describe("free rotations", () => {
  it("D1 + U D2 U' with D1, D2 symmetric ±1: the arcsine law 1/(π√(4 − x²))", () => {
    const s = freeRotationSum(
      E.sum(E.diagonal("D1", N, E.signsLaw(0.5)), rotate(E.diagonal("D2", N, E.signsLaw(0.5)))),
    )!;
    // Both parts are explicit (atomic): G exact, the subordination solved to rounding; the
    // smoothing at η = 1e-9 (1 + |x|) moves the density by O(η) in the bulk.
    for (const x of [-1.9, -1.5, -0.5, 0, 0.3, 1.2])
      expect(Math.abs(rotationSumDensity(s, x) - 1 / (Math.PI * Math.sqrt(4 - x * x)))).toBeLessThan(1e-8);
  });

  it("S + U D U' is the law of S + D: densities, outer edges and a narrow gap", () => {
    const S = E.wigner("S", N);
    const D = E.diagonal("D", N, E.signsLaw(0.3));
    const s = freeRotationSum(E.sum(S, rotate(D)))!;
    const direct = polynomialSpectrum(E.sum(S, D));
    // Two routes to the same G: both solve their fixed points to about 1e-13 relative.
    for (const x of [-2, -1, 0.2, 0.5, 1.7])
      expect(Math.abs(rotationSumDensity(s, x) - polynomialDensity(direct, x))).toBeLessThan(1e-10);
    const support = rotationSumSupport(s, 300);
    const engine = polynomialSupport(direct);
    // Outer edges: square-root edges, placed to about 1e-11 by the threshold bisection here and
    // to 1e-14 by the real branch there.
    expect(Math.abs(support.intervals[0]![0] - engine.intervals[0]![0])).toBeLessThan(1e-9);
    expect(Math.abs(support.intervals.at(-1)![1] - engine.intervals.at(-1)![1])).toBeLessThan(1e-9);
    // The free sum has a gap near −0.405, 0.0102 wide (narrower than the engine's scan step,
    // found there by the refinement around the density's local minima): both routes find it, its
    // edges within the engine's gap bisection (5e-7 at worst, README).
    expect(support.intervals).toHaveLength(2);
    expect(engine.intervals).toHaveLength(2);
    expect(Math.abs(support.intervals[0]![1] - engine.intervals[0]![1])).toBeLessThan(5e-7);
    expect(Math.abs(support.intervals[1]![0] - engine.intervals[1]![0])).toBeLessThan(5e-7);
    expect(support.intervals[1]![0] - support.intervals[0]![1]).toBeGreaterThan(0.01);
  });

  it("two free projections of traces ½ and 0.3: continuous part 1 ± √λ for λ in [λ−, λ+], atoms at 0 and 1", () => {
    const P = E.diagonal("P", N, E.atomsLaw([0, 1], [0.5, 0.5]));
    const Q = E.diagonal("Q", N, E.atomsLaw([0, 1], [0.7, 0.3]));
    const s = freeRotationSum(E.sum(P, rotate(Q)))!;
    const support = rotationSumSupport(s, 300);
    // PQP has its continuous law on [λ−, λ+], λ± = a + b − 2ab ± 2√(ab(1 − a)(1 − b)); the
    // eigenvalues of P + Q there are 1 ± √λ.
    const [a, b] = [0.5, 0.3];
    const root = 2 * Math.sqrt(a * b * (1 - a) * (1 - b));
    const [lm, lp] = [a + b - 2 * a * b - root, a + b - 2 * a * b + root];
    const expected = [
      [1 - Math.sqrt(lp), 1 - Math.sqrt(lm)],
      [1 + Math.sqrt(lm), 1 + Math.sqrt(lp)],
    ];
    // Placed to 1e-8: Newton accepts the subordination residual at up to 1e3 times its rounding
    // floor (about 1e-10 here), and at an edge, where the system degenerates, that moves the
    // density's zero by about as much (observed: 4.6e-9 and 1.3e-9 at the two edges facing the
    // atom at 1, 5e-11 and 4e-10 at the others).
    expect(support.intervals).toHaveLength(2);
    for (const [k, [lo, hi]] of support.intervals.entries()) {
      expect(Math.abs(lo - expected[k]![0]!)).toBeLessThan(1e-8);
      expect(Math.abs(hi - expected[k]![1]!)).toBeLessThan(1e-8);
    }
    // Bercovici–Voiculescu: at 0 + 0 the masses 0.5 + 0.7 − 1 = 0.2, at 1 + 0 again 0.5 + 0.7 − 1.
    expect(support.atoms).toEqual([
      { location: 0, mass: expect.closeTo(0.2, 12) },
      { location: 1, mass: expect.closeTo(0.2, 12) },
    ]);
    // Sampled at n = 400 (Haar by Gram–Schmidt, src/spectra/free/sample.ts): the eigenvalue
    // distribution of a unitarily invariant ensemble is within O(1/n) of its limit; 2n^(-1/2) = 0.1
    // is the loose bound used for every sampled law here.
    // Eigenvalues at an atom come out on either side of the CDF's jump, within the sampled Haar
    // matrix's departure from orthogonality (Gram–Schmidt in float64, ~1e-8 at n = 400): within
    // 1e-6 they are put on it.
    const ev = Array.from(sampledEigenvalues(E.sum(P, rotate(Q)), 400, 3), (v) => {
      const atom = support.atoms.find((a) => Math.abs(v - a.location) < 1e-6);
      return atom ? atom.location : v;
    });
    const dist = spectralDistributionOf((x) => rotationSumDensity(s, x), support, 200, "cubic");
    // Kolmogorov-Smirnov, the eigenvalues on an atom one jump (kolmogorovSmirnov handles ties).
    const ks = kolmogorovSmirnov(
      ev.sort((a, b) => a - b),
      dist.cdf,
    );
    expect(ks).toBeLessThan(2 / Math.sqrt(400));
  });

  it("refuses a Haar matrix outside a rotation U X U'", () => {
    const D = E.diagonal("D", N, E.signsLaw(0.3));
    expect(() => freeRotationSum(E.sum(D, E.product(U, D)))).toThrow(/free rotations U X Uᵀ/);
  });
});
