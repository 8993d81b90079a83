import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { manifoldStabilityMargin } from "../../src/sim/manifold-stability.ts";
import { simulate } from "../../src/sim/simulate.ts";
import { drawMember, paperSpec } from "../../src/sim/student-teacher.ts";

const be = cpuBackend();

describe("student-teacher simulations (seed 001 section 5, reduced size)", () => {
  it("curl descent in an expansive linear network (c = 1/4, alpha_h = 1/4) converges: error -> 0, q = 0, lambda = 0", async () => {
    const specs = [0, 1].map((seed) => paperSpec(4, 16, { seed, alphaH: 0.25, alphaR: 0 }));
    const results = await simulate(be, specs, { epochs: 1000, lyapunovInterval: 20 });
    for (const spec of specs) {
      // Theory (seed 001 eq. 12): at c = 1/4 the manifold is stable at the teacher's weights even
      // with one of the four input columns flipped.
      const m = drawMember(spec);
      expect(manifoldStabilityMargin(m.teacherW1, m.teacherW2, m.d1, m.d2, 4, 16)).toBeGreaterThan(0);
    }
    for (const r of results) {
      // 250 samples > M = 4 inputs: the linear teacher is identifiable; 1e-20 is far below any
      // non-converged error yet far above float64 rounding of the error (~1e-31 here).
      expect(r.testError.at(-1)!).toBeLessThan(1e-20);
      expect(r.testError[0]!).toBeGreaterThan(0.1);
      expect(r.failedAtEpoch).toBeNull();
      // The solution manifold is neutral along itself: the largest exponent is 0 up to the
      // float64 noise of log(d/d0) with d0 = 1e-7, i.e. ~1e-16/1e-7 per 20-epoch interval.
      expect(Math.abs(r.lyapunov!)).toBeLessThan(1e-8);
      expect(r.q).toBeLessThan(1e-20);
    }
  });

  it("hidden-layer curl terms past the boundary (c = 1 > 0.3, alpha_h = 0.6) give chaos: lambda > 0, large q", async () => {
    const specs = [0, 1].map((seed) => paperSpec(16, 16, { seed, alphaH: 0.6 }));
    const results = await simulate(be, specs, { epochs: 1000, lyapunovInterval: 20 });
    for (const spec of specs) {
      // Theory (seed 001 eq. 12): the solution manifold is linearly unstable at the teacher's weights.
      const m = drawMember(spec);
      expect(manifoldStabilityMargin(m.teacherW1, m.teacherW2, m.d1, m.d2, 16, 16)).toBeLessThan(0);
    }
    for (const r of results) {
      // Chaotic runs separate at ~1e-3 per epoch (see the reproduction report); the converged
      // exponent is 0 within 1e-8, so 1e-5 separates the two regimes by three orders.
      expect(r.lyapunov!).toBeGreaterThan(1e-5);
      expect(r.q).toBeGreaterThan(0.05);
      expect(r.testError.at(-1)!).toBeGreaterThan(0.05);
    }
  });

  it("readout curl terms past the boundary (alpha_r = 0.6 > 0.5) still reach a low error", async () => {
    const specs = [1, 3].map((seed) => paperSpec(16, 16, { seed, alphaR: 0.6 }));
    const results = await simulate(be, specs, { epochs: 1500, lyapunov: false });
    // Low compared with the initial error of order 1; the chaotic hidden case stays above 0.05.
    for (const r of results) expect(r.testError.at(-1)!).toBeLessThan(1e-3);
  });

  it("runs a batch member exactly as it runs alone, and reports a diverging member with its epoch", async () => {
    // Without renormalization a linear student started 30 times larger than the teacher takes
    // steps far beyond the stable step size: its weights overflow within epoch 0.
    const base = { activation: "linear" as const, batchSize: 10, renormalize: false, learningRate: 0.1 };
    const specs = [
      paperSpec(6, 5, { ...base, seed: 1 }),
      paperSpec(6, 5, { ...base, seed: 2, initScale: 30 }),
      paperSpec(6, 5, { ...base, seed: 3, rule: "feedback-alignment" }),
    ];
    const options = { epochs: 40, lyapunov: false };
    const batch = await simulate(be, specs, options);
    expect(batch[1]!.failedAtEpoch).toBe(0);
    expect(batch[1]!.testError.slice(1).every(Number.isNaN)).toBe(true);
    expect(batch[0]!.failedAtEpoch).toBeNull();
    expect(batch[0]!.testError.at(-1)!).toBeLessThan(batch[0]!.testError[0]!);
    for (const k of [0, 2]) {
      const alone = (await simulate(be, [specs[k]!], options))[0]!;
      expect(alone.testError).toEqual(batch[k]!.testError);
      expect(alone.q).toBe(batch[k]!.q);
    }
  });

  it("reports a member that cannot start (initial scale 1e300) as failed at epoch 0, the others as alone", async () => {
    // 1e300 squared overflows float64, so the member's initial norm is infinite: it cannot start.
    const base = { activation: "tanh" as const, trainCount: 20, testCount: 10, batchSize: 10 };
    const specs = [
      paperSpec(6, 5, { ...base, seed: 1 }),
      paperSpec(6, 5, { ...base, seed: 2, initScale: 1e300 }),
    ];
    const options = { epochs: 20 };
    const batch = await simulate(be, specs, options);
    expect(batch[1]!.failedAtEpoch).toBe(0);
    expect(batch[1]!.testError.every(Number.isNaN)).toBe(true);
    expect(batch[1]!.lyapunov).toBeNull();
    const alone = (await simulate(be, [specs[0]!], options))[0]!;
    expect(batch[0]!.failedAtEpoch).toBeNull();
    expect(batch[0]!.testError).toEqual(alone.testError);
    expect(batch[0]!.lyapunov).toBe(alone.lyapunov);
    // Every member unable to start: nothing runs, nothing throws.
    const none = await simulate(be, [specs[1]!], options);
    expect(none[0]!.failedAtEpoch).toBe(0);
  });

  it("estimates the memory of the runs before drawing them and refuses what does not fit", async () => {
    const specs = [paperSpec(6, 5, { seed: 1 })];
    await expect(simulate(be, specs, { epochs: 2, availableMemory: 1000 })).rejects.toThrow(
      /memory .* needed for 1 run\(s\) and their Lyapunov twins, 1000 bytes available/,
    );
  });

  it("refuses bad specs with errors that name the argument", async () => {
    await expect(simulate(be, [paperSpec(0, 4)], { epochs: 10 })).rejects.toThrow(/inputs \(M\)/);
    await expect(simulate(be, [paperSpec(4, -1)], { epochs: 10 })).rejects.toThrow(/hidden \(N\)/);
    await expect(simulate(be, [paperSpec(4, 4, { alphaH: 1.5 })], { epochs: 10 })).rejects.toThrow(/alphaH/);
    await expect(
      simulate(be, [paperSpec(4, 4, { activation: "gelu" as "tanh" })], { epochs: 10 }),
    ).rejects.toThrow(/activation/);
    await expect(
      simulate(be, [paperSpec(4, 4, { rule: "hebb" as "curl-descent" })], { epochs: 10 }),
    ).rejects.toThrow(/rule/);
  });
});
