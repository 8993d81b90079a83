import { describe, expect, it } from "vitest";
import { activate, activatePrime } from "../../src/backend/activation.ts";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { drawRuns } from "../../src/ir/model.ts";
import { ConstantStepSize } from "../../src/ode/constant-step-size.ts";
import { DormandPrince54 } from "../../src/ode/dormand-prince54.ts";
import { ExplicitEuler } from "../../src/ode/explicit-euler.ts";
import { PIController } from "../../src/ode/pi-controller.ts";
import type { VectorField } from "../../src/ode/types.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { integrateRun, ruleField, simulateContinuous } from "../../src/sim/continuous.ts";
import { ModelCache } from "../../src/sim/rule-run.ts";
import {
  drawMember,
  packBatch,
  paperSpec,
  type StudentTeacherMember,
  type StudentTeacherSpec,
  studentTeacherRun,
} from "../../src/sim/student-teacher.ts";
import { Rng } from "../../src/util/random.ts";
import { TEST_RULES } from "../backend/network-conformance.ts";

const be = cpuBackend();

async function discrete(spec: ReturnType<typeof paperSpec>, epochs: number) {
  const batch = be.studentTeacher(packBatch(spec, [drawMember(spec)]));
  batch.advance(epochs);
  return batch.readWeights();
}

/**
 * Seed 001 eq. 6 with data, written out by hand for the two-layer rules over [W1 (row-major), W2]:
 * dW1/dt = -eta (1/P) sum_mu ((f .* phi'(a_mu)) e_mu) x_mu^T D1, dW2/dt = -eta (1/P) sum_mu e_mu h_mu^T D2
 * (f = W2^T, or B for feedback alignment), each layer's velocity projected on its sphere when
 * renormalizing. An independent check of the field compiled from the rule files.
 */
function handField(spec: StudentTeacherSpec, member: StudentTeacherMember): VectorField {
  const { inputs: M, hidden: N, trainCount: P, activation, learningRate: eta } = spec;
  const X = member.trainInputs;
  const Y = member.trainTargets;
  const a = new Float64Array(N);
  const h = new Float64Array(N);
  return (_t, w, dw) => {
    dw.fill(0);
    const fb = spec.rule === "feedback-alignment" ? member.feedbackWeights : w.subarray(N * M);
    for (let mu = 0; mu < P; mu++) {
      let y = 0;
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let j = 0; j < M; j++) s += w[i * M + j]! * X[mu * M + j]!;
        a[i] = s;
        h[i] = activate(activation, s);
        y += w[N * M + i]! * h[i]!;
      }
      const e = y - Y[mu]!;
      for (let i = 0; i < N; i++) {
        dw[N * M + i]! -= ((eta * e * h[i]!) / P) * member.d2[i]!;
        const delta = (eta * fb[i]! * activatePrime(activation, a[i]!, h[i]!) * e) / P;
        for (let j = 0; j < M; j++) dw[i * M + j]! -= delta * X[mu * M + j]! * member.d1[j]!;
      }
    }
    if (!spec.renormalize) return;
    for (const [from, to] of [
      [0, N * M],
      [N * M, N * M + N],
    ] as const) {
      let wv = 0;
      let ww = 0;
      for (let q = from; q < to; q++) {
        wv += w[q]! * dw[q]!;
        ww += w[q]! * w[q]!;
      }
      const c = ww > 0 ? wv / ww : 0;
      for (let q = from; q < to; q++) dw[q]! -= c * w[q]!;
    }
  };
}

describe("continuous-time limit (integrated with src/ode)", () => {
  it("compiles the field of the two-layer rule files to seed 001 eq. 6 written by hand", () => {
    const specs = [
      paperSpec(5, 4, {
        activation: "tanh",
        alphaH: 0.4,
        alphaR: 0.25,
        trainCount: 20,
        batchSize: 20,
        seed: 3,
      }),
      paperSpec(4, 3, {
        rule: "feedback-alignment",
        activation: "relu",
        alphaH: 0.5,
        renormalize: false,
        trainCount: 20,
        batchSize: 5,
        seed: 4,
      }),
      paperSpec(3, 6, {
        rule: "gradient-descent",
        learningRate: 0.3,
        trainCount: 20,
        batchSize: 20,
        seed: 5,
      }),
    ];
    for (const spec of specs) {
      const run = studentTeacherRun(spec);
      const [drawn] = drawRuns(run.model, [run]);
      const compiled = ruleField(run.model, drawn!);
      const hand = handField(spec, drawMember(spec));
      const D = spec.inputs * spec.hidden + spec.hidden;
      const rng = new Rng(spec.seed);
      for (let trial = 0; trial < 3; trial++) {
        const w = rng.normals(D, 0, 0.5);
        const [a, b] = [new Float64Array(D), new Float64Array(D)];
        compiled(0, w, a);
        hand(0, w, b);
        const scale = Math.max(1, ...b.map(Math.abs));
        // The same sums of P = 20 products of O(1) terms in another order: differences of a
        // few float64 roundings per term, far below 1e-12 of the largest entry.
        for (let q = 0; q < D; q++)
          expect(Math.abs(a[q]! - b[q]!), `${spec.rule} entry ${q}`).toBeLessThan(1e-12 * scale);
      }
    }
  });

  it("is, with Euler steps of one epoch and no renormalization, the discrete full-batch rule", async () => {
    const spec = paperSpec(5, 4, {
      activation: "tanh",
      alphaH: 0.4,
      alphaR: 0.25,
      renormalize: false,
      seed: 3,
    });
    const c = simulateContinuous(spec, {
      epochs: 20,
      solver: ExplicitEuler,
      controller: ConstantStepSize(1),
    });
    const d = await discrete(spec, 20);
    // Same update, different summation order: float64 rounding over 20 steps.
    for (let q = 0; q < 20; q++) expect(c.w1[q]!).toBeCloseTo(d.w1[q]!, 11);
    for (let q = 0; q < 4; q++) expect(c.w2[q]!).toBeCloseTo(d.w2[q]!, 11);
  });

  it("keeps the layer norms with renormalization, and the discrete rule approaches it at first order in eta", async () => {
    const base = paperSpec(5, 4, { activation: "tanh", alphaH: 0.4, seed: 4 });
    const gap = async (lr: number) => {
      const spec = { ...base, learningRate: lr };
      const epochs = Math.round(2 / lr); // the same continuous time eta * epochs = 2
      const c = simulateContinuous(spec, {
        epochs,
        solver: DormandPrince54,
        controller: PIController({ rtol: 1e-10, atol: 1e-12 }),
      });
      const d = await discrete(spec, epochs);
      const m = drawMember(spec);
      const norm = (x: Float64Array) => Math.hypot(...x);
      // The projected flow conserves ||W1||: the integrator's tolerance 1e-10 over time 2.
      expect(norm(c.w1)).toBeCloseTo(norm(m.w1), 8);
      return Math.hypot(...c.w1.map((v, q) => v - d.w1[q]!), ...c.w2.map((v, q) => v - d.w2[q]!));
    };
    const g1 = await gap(0.2);
    const g2 = await gap(0.1);
    // Euler's global error is O(eta): halving eta halves the gap, up to O(eta^2) terms.
    expect(g1 / g2).toBeGreaterThan(1.7);
    expect(g1 / g2).toBeLessThan(2.3);
  });

  it("integrates any flow rule: three layers on their spheres, and a rule without data", () => {
    const three = new ModelCache(builtinNetworkRule("curl-descent-3"));
    const run = three.run({ M: 4, N1: 3, N2: 3, P: 16, Q: 6, alpha1: 0.5, phi: "tanh" }, 2);
    const r = integrateRun(run, {
      epochs: 30,
      solver: DormandPrince54,
      controller: PIController({ rtol: 1e-10, atol: 1e-12 }),
    });
    expect(r.failure).toBeNull();
    const [start] = drawRuns(run.model, [run]);
    // Each renormalized state stays on its sphere: the tolerance 1e-10 over 30 epochs.
    r.states.forEach((s, k) => {
      expect(Math.hypot(...s)).toBeCloseTo(Math.hypot(...start!.states[k]!), 7);
    });
    expect(r.testError!.at(-1)!).toBeLessThan(r.testError![0]!);
    expect(r.notes).toEqual([]);

    const deep = new ModelCache(builtinNetworkRule("urfb-deep-linear"));
    const dl = integrateRun(deep.run({ n0: 4, n1: 5, n2: 5, n3: 2, eta: 0.05 }, 1), {
      epochs: 40,
      solver: ExplicitEuler,
      controller: ConstantStepSize(1),
    });
    expect(dl.testError).toBeNull();
    expect(dl.trainError!.at(-1)!).toBeLessThan(dl.trainError![0]!);
    expect(dl.notes.join(" ")).toMatch(/has no data.*reported as trainError/);
  });

  it("refuses a map, naming the rule and what a flow is", () => {
    const cache = new ModelCache(parseNetworkRule(TEST_RULES["map-mix"]!, "test:map-mix"));
    expect(() =>
      integrateRun(cache.run({}, 1), { epochs: 2, solver: ExplicitEuler, controller: ConstantStepSize(1) }),
    ).toThrow(/"rule" must be a flow \(updates written d\/dt W = \.\.\.\), received "the map map-mix/);
  });
});
