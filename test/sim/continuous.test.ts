import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { ConstantStepSize } from "../../src/ode/constant-step-size.ts";
import { DormandPrince54 } from "../../src/ode/dormand-prince54.ts";
import { ExplicitEuler } from "../../src/ode/explicit-euler.ts";
import { PIController } from "../../src/ode/pi-controller.ts";
import { simulateContinuous } from "../../src/sim/continuous.ts";
import { drawMember, packBatch, paperSpec } from "../../src/sim/student-teacher.ts";

const be = cpuBackend();

async function discrete(spec: ReturnType<typeof paperSpec>, epochs: number) {
  const batch = be.studentTeacher(packBatch(spec, [drawMember(spec)]));
  batch.advance(epochs);
  return batch.readWeights();
}

describe("continuous-time limit (integrated with src/ode)", () => {
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
});
