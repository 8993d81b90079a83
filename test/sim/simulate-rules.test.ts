/**
 * Simulations of any network rule (src/sim/simulate.ts, simulateRuns): the three-layer rule file,
 * a rule written only here, rules without an error or without data, batches against runs alone,
 * the compiled path against the fused kernel, and failures per run.
 */
import { describe, expect, it } from "vitest";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { euclideanNorm, twinRun } from "../../src/sim/lyapunov-twins.ts";
import { ModelCache } from "../../src/sim/rule-run.ts";
import { simulateRuns } from "../../src/sim/simulate.ts";
import { TEST_RULES } from "../backend/network-conformance.ts";

const be = cpuBackend();
const strip = <T extends { engine: string }>(r: T) => ({ ...r, engine: undefined });

describe("simulateRuns (any network rule)", () => {
  it("runs the three-layer rule: errors at log-spaced epochs, q and a Lyapunov exponent over all three layers", async () => {
    const cache = new ModelCache(builtinNetworkRule("curl-descent-3"));
    const sizes = { M: 6, N1: 4, N2: 4, P: 30, Q: 10, S: 10 };
    const runs = [0, 1].map((seed) => cache.run({ ...sizes, alpha2: 0.5 }, seed));
    const [a, b] = await simulateRuns(be, runs, { epochs: 60, lyapunovInterval: 10 });
    for (const r of [a!, b!]) {
      expect(r.engine).toBe("compiled");
      expect(r.epochs[0]).toBe(0);
      expect(r.epochs.at(-1)).toBe(60);
      expect(r.trainError).toHaveLength(r.epochs.length);
      expect(r.testError!.at(-1)!).toBeLessThan(r.testError![0]!);
      expect(r.peakTestError).toBe(Math.max(...r.testError!));
      expect(Number.isFinite(r.q)).toBe(true);
      expect(typeof r.lyapunov).toBe("number");
      expect(r.failedAtEpoch).toBeNull();
      expect(r.params).toEqual({ alpha1: 0, alpha2: 0.5, alpha3: 0, lr: 0.1 });
      expect(r.sizes).toEqual(sizes);
      // The PCA snapshots are of all 6*4 + 4*4 + 4 = 44 weights: at most 44 nonzero components.
      expect(r.pca.pc1.length).toBeGreaterThanOrEqual(3);
      expect(r.notes).toEqual([]);
    }
    expect(a!.seed).toBe(0);
    expect(b!.testError).not.toEqual(a!.testError);
  });

  it("runs a batch with parameters per run as each run alone, and reports a failing run with its epoch", async () => {
    const cache = new ModelCache(parseNetworkRule(TEST_RULES["sign-mask"]!, "test:sign-mask"));
    const runs = [
      cache.run({ alpha: 0.25 }, 1),
      // A step of 1e300 on an unrenormalized readout overflows within the first epochs.
      cache.run({ alpha: 0.5, lr: 1e300 }, 2),
      cache.run({ alpha: 0, phi: "tanh" }, 3),
    ];
    const options = { epochs: 40, lyapunovInterval: 5 };
    const batch = await simulateRuns(be, runs, options);
    expect(batch[1]!.failedAtEpoch).not.toBeNull();
    expect(batch[1]!.lyapunov).toBeNull();
    expect(batch[1]!.testError!.at(-1)).toBeNaN();
    for (const k of [0, 2]) {
      expect(batch[k]!.failedAtEpoch).toBeNull();
      const alone = (await simulateRuns(be, [runs[k]!], options))[0]!;
      expect(alone).toEqual(batch[k]);
    }
  });

  it("gives the same results on the compiled path as on the fused kernel, with runs at two learning rates", async () => {
    const cache = new ModelCache(builtinNetworkRule("curl-descent"));
    const sizes = { M: 5, N: 4, P: 12, Q: 6, S: 4, phi: "tanh" };
    const runs = [
      cache.run({ ...sizes, alphaH: 0.4 }, 1),
      cache.run({ ...sizes, alphaR: 0.5, lr: 0.3 }, 2),
      cache.run(sizes, 3),
    ];
    const options = { epochs: 30, lyapunovInterval: 5, lyapunovBurnIn: 0.2 };
    const fast = await simulateRuns(be, runs, options);
    const slow = await simulateRuns(be, runs, { ...options, fastPath: false });
    expect(fast.map((r) => r.engine)).toEqual(Array(3).fill("fused student-teacher kernel"));
    expect(slow.map((r) => r.engine)).toEqual(Array(3).fill("compiled"));
    expect(fast.map(strip)).toEqual(slow.map(strip));
    expect(fast.every((r) => r.lyapunov !== null)).toBe(true);
  });

  it("says what a rule without an error or without data cannot report", async () => {
    const hebb = new ModelCache(builtinNetworkRule("hebbian-ei"));
    const [h] = await simulateRuns(be, [hebb.run({ N: 5, P: 8, Q: 4, S: 4 }, 1)], {
      epochs: 8,
      lyapunov: false,
    });
    expect(h!.trainError).toBeNull();
    expect(h!.testError).toBeNull();
    expect(h!.peakTestError).toBeNull();
    expect(h!.notes.join(" ")).toMatch(/declares no error/);
    expect(Number.isFinite(h!.q)).toBe(true);

    const deep = new ModelCache(builtinNetworkRule("urfb-deep-linear"));
    const [d] = await simulateRuns(be, [deep.run({ n0: 3, n1: 4, n2: 4, n3: 2, eta: 0.05 }, 1)], {
      epochs: 50,
      recordAt: [0, 10, 50],
      lyapunov: false,
    });
    expect(d!.epochs).toEqual([0, 10, 50]);
    expect(d!.testError).toBeNull();
    expect(d!.trainError!.at(-1)!).toBeLessThan(d!.trainError![0]!);
    expect(d!.notes.join(" ")).toMatch(/has no data/);
  });

  it("starts a twin at distance d0 over all states, along normals of stream fork(7) of the seed", () => {
    const cache = new ModelCache(builtinNetworkRule("curl-descent-3"));
    const run = cache.run({ M: 3, N1: 2, N2: 2, P: 4, Q: 2 }, 9);
    const [drawn] = drawRuns(run.model, [run]);
    const twin = twinRun(drawn!, 9, 1e-3);
    const diff = Float64Array.from(
      twin.states.flatMap((s, k) => Array.from(s, (x, q) => x - drawn!.states[k]![q]!)),
    );
    // Subtracting states of order 1 loses about 1e-16 absolute per entry: 1e-12 relative to d0.
    expect(euclideanNorm(diff)).toBeCloseTo(1e-3, 12);
    expect(twin.fixed).toBe(drawn!.fixed);
    expect(twin.train).toBe(drawn!.train);
    expect(twin.shuffleSeed).toBe(drawn!.shuffleSeed);
  });

  it("refuses bad options by name", async () => {
    const cache = new ModelCache(builtinNetworkRule("curl-descent"));
    const run = cache.run({ M: 2, N: 2, P: 4, Q: 2 }, 1);
    await expect(simulateRuns(be, [], { epochs: 2 })).rejects.toThrow(/"runs" must be at least one run/);
    await expect(simulateRuns(be, [run], { epochs: 0 })).rejects.toThrow(/"epochs"/);
    await expect(simulateRuns(be, [run], { epochs: 5, recordAt: [0, 6] })).rejects.toThrow(
      /"recordAt" must be increasing integers in \[0, 5\]/,
    );
    expect(() => cache.run({ M: 2, Z: 1 }, 1)).toThrow(
      /"Z" must be a size, parameter or choice of rule "curl-descent" \(M, N, P, Q, S, alphaH/,
    );
  });
});
