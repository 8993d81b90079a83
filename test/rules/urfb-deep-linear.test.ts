/**
 * rules/urfb-deep-linear.rule against its sources: seed 003 eq. 15 (k = 3) with the feedback
 * matrices as states moved by eq. 7 (Ṙ_i = ε Ẇ_iᵀ), eq. 11 (the same conventions at k = 2), and
 * the hand-written simulator src/sim/deep-linear-feedback.ts:
 * (1) the field is Ẇ3 = e (W2 W1)ᵀ, Ẇ2 = R3 e W1ᵀ, Ẇ1 = R2 R3 e, Ṙ_i = ε Ẇ_iᵀ, e = T - W3 W2 W1,
 *     T = A3 A2 A1, written by hand; the error is ||e||_F²;
 * (2) with R_i = W_iᵀ it is back-propagation: minus half the gradient of the error;
 * (3) from W(0) = 0, R_i - ε W_iᵀ keeps its initial value (so eq. 15's R_i(0) + ε W_iᵀ holds in
 *     the case the paper assumes);
 * (4) one Euler step from the same arrays gives the simulator's weights and feedback within
 *     rounding, for URFB and FRFB;
 * (5) the same conventions at k = 2 are eq. 11 and agree with the simulator at three widths.
 */
import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import {
  type DeepLinearSpec,
  drawDeepLinear,
  runDeepLinearFeedback,
} from "../../src/sim/deep-linear-feedback.ts";
import { centralDifference } from "./reference/finite-difference.ts";
import {
  abs,
  add,
  identity,
  type Mat,
  mat,
  mul,
  roundingBound,
  roundToGrid,
  scale,
  sub,
  transpose,
  U,
} from "./reference/matrix.ts";
import {
  field,
  fixedIndex,
  type Instance,
  instance,
  paramIndex,
  stateIndex,
  step,
  trainError,
} from "./reference/programs.ts";

const WIDTHS = [4, 5, 3, 2];
const SIZES = { n0: WIDTHS[0]!, n1: WIDTHS[1]!, n2: WIDTHS[2]!, n3: WIDTHS[3]! };
/**
 * Roundings along the longest path: the products W3 W2 W1 (n1 + n2), e = T - (1), the product
 * with (W2 W1)ᵀ or with R2 R3 (n0 + n3 + n2), the factor ε and the Euler step η· and + (3), and
 * T = A3 A2 A1 (n1 + n2) for the hoisted target: n0 + 2 n1 + 3 n2 + n3 + 4, bounded by the sum
 * of the widths times 3 plus 10.
 */
const L = 3 * WIDTHS.reduce((a, b) => a + b, 0) + 10;

/** Seed 003 eq. 15 with the R_i as states, for any depth k: the field of W_1..W_k, R_2..R_k. */
function deepField(W: Mat[], R: Mat[], T: Mat, epsilon: number): { dW: Mat[]; dR: Mat[]; e: Mat } {
  const k = W.length;
  const prefix = [identity(W[0]!.cols)]; // prefix[i] = W_i ... W_1 (prefix[0] = I)
  for (let i = 0; i < k; i++) prefix.push(mul(W[i]!, prefix[i]!));
  const e = sub(T, prefix[k]!);
  const dW = W.map((_, i) => {
    let left = e; // R_{i+2} ... R_k e, R indexed from R_2 = R[0]
    for (let j = k - 2; j >= i; j--) left = mul(R[j]!, left);
    return mul(left, transpose(prefix[i]!));
  });
  return { dW, dR: R.map((_, j) => scale(epsilon, transpose(dW[j + 1]!))), e };
}

/**
 * The same formula on absolute values, for rounding bounds: with |W|, |R| and T replaced by
 * -|T|, e becomes -(|T| + |W3||W2||W1|) and every output is minus its magnitude.
 */
function deepMagnitude(W: Mat[], R: Mat[], T: Mat, epsilon: number) {
  const m = deepField(W.map(abs), R.map(abs), scale(-1, abs(T)), Math.abs(epsilon));
  return { dW: m.dW.map(abs), dR: m.dR.map(abs) };
}

function unpack(inst: Instance, states = inst.run.states) {
  const [n0, n1, n2, n3] = WIDTHS as [number, number, number, number];
  const s = (name: string) => states[stateIndex(inst, name)]!;
  return {
    W: [mat(n1, n0, s("W1")), mat(n2, n1, s("W2")), mat(n3, n2, s("W3"))],
    R: [mat(n1, n2, s("R2")), mat(n2, n3, s("R3"))],
  };
}

const ORDER = ["W1", "W2", "W3", "R2", "R3"];

describe("urfb-deep-linear: seed 003 eq. 15 with R_i as states", () => {
  it.each([
    0, 0.5, 1,
  ])("the field is eq. 15 with R_i' = epsilon W_i'^T, written by hand; epsilon = %s", (epsilon) => {
    for (const seed of [501, 502]) {
      const inst = instance("urfb-deep-linear", { sizes: SIZES, params: { epsilon }, seed });
      const [n0, n1, n2, n3] = WIDTHS as [number, number, number, number];
      const A = ["A1", "A2", "A3"].map((a, i) =>
        mat(WIDTHS[i + 1]!, WIDTHS[i]!, inst.run.fixed[fixedIndex(inst, a)]!),
      );
      const T = mul(mul(A[2]!, A[1]!), A[0]!);
      const hoistedT = inst.run.fixed[fixedIndex(inst, "hoisted0")]!;
      const magT = mul(mul(abs(A[2]!), abs(A[1]!)), abs(A[0]!));
      hoistedT.forEach((v, q) => {
        expect(Math.abs(v - T.a[q]!)).toBeLessThanOrEqual(roundingBound(L, magT.a[q]!));
      });
      const { W, R } = unpack(inst);
      const ref = deepField(W, R, T, epsilon);
      const mag = deepMagnitude(W, R, add(abs(T), magT), epsilon);
      const F = field(inst);
      const expected = [...ref.dW, ...ref.dR];
      const mags = [...mag.dW, ...mag.dR];
      ORDER.forEach((name, k) => {
        F[stateIndex(inst, name)]!.forEach((v, q) => {
          expect(Math.abs(v - expected[k]!.a[q]!), `${name}[${q}]`).toBeLessThanOrEqual(
            roundingBound(L, mags[k]!.a[q]!),
          );
        });
      });
      const error = ref.e.a.reduce((s, v) => s + v * v, 0);
      const magE = add(magT, add(abs(T), mul(mul(abs(W[2]!), abs(W[1]!)), abs(W[0]!))));
      expect(Math.abs(trainError(inst) - error)).toBeLessThanOrEqual(
        roundingBound(
          L,
          magE.a.reduce((s, v) => s + v * v, 0),
        ),
      );
      expect([n0, n1, n2, n3]).toEqual(WIDTHS);
    }
  });

  it("with R_i = W_i' it is back-propagation: minus half the gradient of ||e||^2 (central differences)", () => {
    // The error is quadratic in each single entry (e is linear in it), so the central
    // difference has no truncation error; h = 2^-10 and states on a grid of 2^-30 make w ± h exact.
    const h = 2 ** -10;
    const inst = instance("urfb-deep-linear", { sizes: SIZES, seed: 503 });
    const states = inst.run.states.map((s) => roundToGrid(s, 30));
    const { W } = unpack(inst, states);
    states[stateIndex(inst, "R2")] = Float64Array.from(transpose(W[1]!).a);
    states[stateIndex(inst, "R3")] = Float64Array.from(transpose(W[2]!).a);
    const F = field(inst, { states });
    const T = mat(WIDTHS[3]!, WIDTHS[0]!, inst.run.fixed[fixedIndex(inst, "hoisted0")]!);
    // Magnitude of ||e||² anywhere on [w - h, w + h]: the model at |W| + h.
    const wide = W.map((w) => add(abs(w), mat(w.rows, w.cols, new Float64Array(w.a.length).fill(h))));
    const magE = add(abs(T), mul(mul(wide[2]!, wide[1]!), wide[0]!)).a.reduce((s, v) => s + v * v, 0);
    for (const name of ["W1", "W2", "W3"]) {
      const k = stateIndex(inst, name);
      states[k]!.forEach((w, q) => {
        const E = (x: number) => {
          const moved = states.map((s) => Float64Array.from(s));
          moved[k]![q] = x;
          return trainError(inst, { states: moved });
        };
        const d = centralDifference(E, w, h, 0, { L, magnitude: magE });
        expect(Math.abs(F[k]![q]! + d.value / 2), `${name}[${q}]`).toBeLessThanOrEqual(
          d.bound / 2 + roundingBound(L, magE),
        );
      });
    }
  });

  it("from W(0) = 0 keeps R_i - epsilon W_i' = R_i(0) over Euler steps (eq. 15's form, its section 3.2 assumption)", () => {
    const epsilon = 0.8;
    const inst = instance("urfb-deep-linear", { sizes: SIZES, params: { epsilon }, seed: 504 });
    let states: Float64Array[] = inst.run.states.map((s, k) =>
      inst.compiled.states[k]!.name.startsWith("W") ? new Float64Array(s.length) : Float64Array.from(s),
    );
    // From W = 0 the field of every W_i is 0 except that of the last layer (e W_{k-1}..W_1 = 0
    // too): W3 starts moving only through T; a small non-zero W1, W2 gets the flow going.
    states[stateIndex(inst, "W1")]!.fill(0.01);
    states[stateIndex(inst, "W2")]!.fill(0.01);
    const { W: W0, R: R0 } = unpack(inst, states);
    const start = R0.map((r, j) => sub(r, scale(epsilon, transpose(W0[j + 1]!))));
    // The size |R| + ε|W|ᵀ entrywise, the scale of every rounding below.
    const size = (W: Mat[], R: Mat[]) =>
      Math.max(
        ...R.flatMap((r, j) =>
          Array.from(r.a, (v, q) => Math.abs(v) + epsilon * Math.abs(transpose(W[j + 1]!).a[q]!)),
        ),
      );
    // Per step: R + η(ε dWᵀ) and W + η dW round once in the sum and twice in the increment
    // (6u of the size); each evaluation of R - ε Wᵀ rounds twice (2u), at the start and now.
    const checks = 2 * U * size(W0, R0);
    let drift = 0;
    for (let t = 0; t < 20; t++) {
      const before = unpack(inst, states).R;
      states = step(inst, { states, data: [] });
      const { W, R } = unpack(inst, states);
      // The increments are below the size, so that their roundings are within 6u of it.
      expect(
        Math.max(...R.flatMap((r, j) => Array.from(r.a, (v, q) => Math.abs(v - before[j]!.a[q]!)))),
      ).toBeLessThan(size(W, R));
      drift += 6 * U * size(W, R);
      const tolerance = drift + checks + 2 * U * size(W, R);
      R.forEach((r, j) => {
        const now = sub(r, scale(epsilon, transpose(W[j + 1]!)));
        now.a.forEach((v, q) => {
          expect(Math.abs(v - start[j]!.a[q]!)).toBeLessThanOrEqual(tolerance);
        });
      });
    }
    const { W } = unpack(inst, states);
    expect(Math.max(...W[2]!.a.map(Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe("urfb-deep-linear against src/sim/deep-linear-feedback.ts", () => {
  const simulate = async (spec: DeepLinearSpec, seed: number) => {
    const r = await runDeepLinearFeedback(cpuBackend(), spec, [seed], [0, 1]);
    return { weights: r.weights, feedback: r.feedback, error0: r.error[0]![0]! };
  };

  it.each([
    [1, "random"],
    [0, "random"],
    [1, "transpose"],
  ] as const)("one Euler step from the same arrays gives the same weights and feedback within rounding (epsilon %s, feedback %s)", async (epsilon, feedback) => {
    const eta = 0.05;
    const spec: DeepLinearSpec = {
      widths: WIDTHS,
      epsilon,
      stepSize: eta,
      initialWeights: "random",
      initialFeedback: feedback,
    };
    for (const seed of [511, 512]) {
      const draw = drawDeepLinear(spec, seed);
      const inst = instance("urfb-deep-linear", { sizes: SIZES, params: { epsilon, eta }, seed });
      expect(inst.run.params[paramIndex(inst, "eta")]).toBe(eta);
      const states = ORDER.map((name) =>
        name.startsWith("W") ? draw.weights[Number(name[1]) - 1]! : draw.feedback[Number(name[1]) - 2]!,
      );
      const fixed = inst.run.fixed.map((f) => Float64Array.from(f));
      fixed[fixedIndex(inst, "hoisted0")] = Float64Array.from(draw.target);
      const next = step(inst, { states: ORDER.map((n) => states[ORDER.indexOf(n)]!), fixed, data: [] });
      const sim = await simulate(spec, seed);
      const T = mat(WIDTHS[3]!, WIDTHS[0]!, draw.target);
      const W = draw.weights.map((w, i) => mat(WIDTHS[i + 1]!, WIDTHS[i]!, w));
      const R = draw.feedback.map((r, j) => mat(WIDTHS[j + 1]!, WIDTHS[j + 2]!, r));
      const mag = deepMagnitude(W, R, abs(T), epsilon);
      // Each new value is X + η dX in both programs (sums in another order, R2 (R3 e) in the
      // simulator against (R2 R3) e here): within the bound of the magnitude |X| + η |dX|.
      const check = (got: Float64Array, want: Float64Array, X: Mat, dX: Mat, what: string) =>
        got.forEach((v, q) => {
          expect(Math.abs(v - want[q]!), `${what}[${q}]`).toBeLessThanOrEqual(
            roundingBound(L, Math.abs(X.a[q]!) + eta * dX.a[q]!),
          );
        });
      W.forEach((w, i) => {
        check(next[stateIndex(inst, `W${i + 1}`)]!, sim.weights[i]!, w, mag.dW[i]!, `W${i + 1}`);
      });
      R.forEach((r, j) => {
        check(next[stateIndex(inst, `R${j + 2}`)]!, sim.feedback[j]!, r, mag.dR[j]!, `R${j + 2}`);
      });
      // The step moved the weights: the comparison is not of two unchanged arrays.
      expect(Math.max(...next[0]!.map((v, q) => Math.abs(v - draw.weights[0]![q]!)))).toBeGreaterThan(1e-4);
      const err = trainError(inst, { states, fixed });
      const magE = add(abs(T), mul(mul(abs(W[2]!), abs(W[1]!)), abs(W[0]!))).a.reduce((s, v) => s + v * v, 0);
      expect(Math.abs(err - sim.error0)).toBeLessThanOrEqual(roundingBound(L, magE));
    }
  });
});

/** The rule file's conventions at depth k = 2: R2 [n1, n2] a state moved by ε Ẇ2ᵀ. */
const URFB_K2 = `
rule urfb-k2
source seed 003, eq. 11, in the conventions of rules/urfb-deep-linear.rule
sizes n0 = 4, n1 = 5, n2 = 2
params epsilon = 1, eta = 0.05
random A1[n1,n0] ~ normal(sd = 1/sqrt(n0))
random A2[n2,n1] ~ normal(sd = 1/sqrt(n1))
T = A2 A1
state W1[n1,n0] ~ normal(sd = 1/sqrt(n0))
state W2[n2,n1] ~ normal(sd = 1/sqrt(n1))
state R2[n1,n2] ~ normal(sd = 1/sqrt(n2))
e = T - W2 W1
dW2 = e W1'
d/dt W1 = R2 e
d/dt W2 = dW2
d/dt R2 = epsilon dW2'
error = sum(e .^ 2)
learning-rate eta
`;

describe("the conventions of urfb-deep-linear at k = 2 are seed 003 eq. 11", () => {
  it("W2' = (T - W2 W1) W1', W1' = R2 (T - W2 W1), R2' = epsilon W1 (T - W2 W1)', and the simulator at widths [4, 5, 2]", async () => {
    const widths = [4, 5, 2];
    const Lk = 3 * (4 + 5 + 2) + 10;
    for (const epsilon of [1, 0.25]) {
      const inst = instance(URFB_K2, { params: { epsilon }, seed: 521 });
      const s = (name: string) => inst.run.states[stateIndex(inst, name)]!;
      const [W1, W2, R2] = [mat(5, 4, s("W1")), mat(2, 5, s("W2")), mat(5, 2, s("R2"))];
      const T = mat(2, 4, inst.run.fixed[fixedIndex(inst, "hoisted0")]!);
      const E = sub(T, mul(W2, W1));
      const expected: Record<string, Mat> = {
        W1: mul(R2, E),
        W2: mul(E, transpose(W1)),
        R2: scale(epsilon, mul(W1, transpose(E))),
      };
      const Eabs = add(abs(T), mul(abs(W2), abs(W1)));
      const mags: Record<string, Mat> = {
        W1: mul(abs(R2), Eabs),
        W2: mul(Eabs, transpose(abs(W1))),
        R2: scale(epsilon, mul(abs(W1), transpose(Eabs))),
      };
      const F = field(inst);
      for (const name of ["W1", "W2", "R2"]) {
        F[stateIndex(inst, name)]!.forEach((v, q) => {
          expect(Math.abs(v - expected[name]!.a[q]!)).toBeLessThanOrEqual(
            roundingBound(Lk, mags[name]!.a[q]!),
          );
        });
      }
      const spec: DeepLinearSpec = {
        widths,
        epsilon,
        stepSize: 0.05,
        initialWeights: "random",
        initialFeedback: "random",
      };
      const draw = drawDeepLinear(spec, 522);
      const fixed = inst.run.fixed.map((f) => Float64Array.from(f));
      fixed[fixedIndex(inst, "hoisted0")] = Float64Array.from(draw.target);
      const next = step(inst, {
        states: [draw.weights[0]!, draw.weights[1]!, draw.feedback[0]!],
        fixed,
        data: [],
      });
      const sim = await runDeepLinearFeedback(cpuBackend(), spec, [522], [1]);
      const [dW1, dW2] = draw.weights;
      const Td = mat(2, 4, draw.target);
      const Ed = add(abs(Td), mul(abs(mat(2, 5, dW2!)), abs(mat(5, 4, dW1!))));
      const magW1 = mul(abs(mat(5, 2, draw.feedback[0]!)), Ed);
      next[0]!.forEach((v, q) => {
        expect(Math.abs(v - sim.weights[0]![q]!)).toBeLessThanOrEqual(
          roundingBound(Lk, Math.abs(dW1![q]!) + 0.05 * magW1.a[q]!),
        );
      });
      const magW2 = mul(Ed, transpose(abs(mat(5, 4, dW1!))));
      next[1]!.forEach((v, q) => {
        expect(Math.abs(v - sim.weights[1]![q]!)).toBeLessThanOrEqual(
          roundingBound(Lk, Math.abs(dW2![q]!) + 0.05 * magW2.a[q]!),
        );
      });
      const magR2 = transpose(magW2);
      next[2]!.forEach((v, q) => {
        expect(Math.abs(v - sim.feedback[0]![q]!)).toBeLessThanOrEqual(
          roundingBound(Lk, Math.abs(draw.feedback[0]![q]!) + 0.05 * epsilon * magR2.a[q]!),
        );
      });
    }
  });
});
