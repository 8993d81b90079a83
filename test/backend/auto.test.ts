import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BackendCandidate, calibrateBackends, conformanceTolerance } from "../../src/backend/auto.ts";
import type { NetworkBatch, NetworkInit } from "../../src/backend/backend.ts";
import { chooseBackend } from "../../src/backend/choose-backend.ts";
import { CpuBackend, cpuBackend } from "../../src/backend/cpu.ts";
import { cpuWasmBackend } from "../../src/backend/cpu-wasm.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { calibrationWorkload } from "../../src/sim/calibration-workload.ts";
import { ModelCache } from "../../src/sim/rule-run.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-auto-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Curl descent at M = N = 8, P = 40, minibatch 10: three runs. */
function workload(runs = 3): NetworkInit {
  const cache = new ModelCache(builtinNetworkRule("curl-descent"));
  const rs = Array.from({ length: runs }, (_, seed) =>
    cache.run({ M: 8, N: 8, P: 40, Q: 20, S: 10, alphaH: 0.3, phi: "tanh" }, seed),
  );
  return calibrationWorkload(rs, false);
}

/** The CPU's compiled path with every read state moved by `offset`: a wrong kernel. */
class WrongBackend extends CpuBackend {
  override readonly name = "wrong";
  constructor(private readonly offset: number) {
    super();
  }
  override network(init: NetworkInit): NetworkBatch {
    const batch = super.network(init);
    const offset = this.offset;
    return {
      get size() {
        return batch.size;
      },
      rule: batch.rule,
      get epoch() {
        return batch.epoch;
      },
      // It does no work at all, so it is the fastest candidate by far.
      advance: () => {},
      errors: () => batch.errors(),
      readStates: async () => (await batch.readStates()).map((s) => s.map((x) => x + offset)),
      writeStates: (s) => batch.writeStates(s),
      failures: () => batch.failures(),
      dispose: () => batch.dispose(),
    };
  }
}

/** The CPU backend slowed by `ms` of busy waiting per advance. */
class SlowBackend extends CpuBackend {
  override readonly name = "slow";
  override network(init: NetworkInit): NetworkBatch {
    const batch = super.network(init);
    const advance = batch.advance.bind(batch);
    batch.advance = (epochs: number) => {
      const until = performance.now() + 5 * epochs;
      while (performance.now() < until) {}
      advance(epochs);
    };
    return batch;
  }
}

const cpu: BackendCandidate = { name: "cpu", make: cpuBackend };

describe("backend auto", () => {
  it("never chooses a backend that fails the check against the float64 interpreter, however fast", async () => {
    const wrong = { name: "wrong", make: () => new WrongBackend(1e-6) };
    const { choice, backend } = await calibrateBackends(workload(), [wrong, cpu], { budgetMs: 5 });
    expect(backend.name).toBe("cpu");
    expect(choice.chosen).toBe("cpu");
    const report = choice.candidates.find((c) => c.name === "wrong")!;
    expect(report.status).toBe("fails-conformance");
    // It skips the epoch and moves the states by 1e-6: far above the float64 tolerance
    // (steps (2L + 20) u with 4 steps and L = 40: about 5e-14).
    expect(report.deviation).toBeGreaterThanOrEqual(1e-6);
    expect(report.tolerance).toBeLessThan(1e-13);
    expect(report.tolerance).toBe(conformanceTolerance(workload(), "float64"));
    expect(choice.summary).toBe(
      `backend auto -> cpu (${formatMs(choice.candidates[1]!.msPerEpoch!)} ms/epoch; wrong fails conformance)`,
    );
  });

  it("falls back to the cpu reference when no candidate passes, and reports one that cannot be made", async () => {
    const missing = {
      name: "webgpu",
      make: () => {
        throw new Error("no WebGPU adapter");
      },
    };
    const wrong = { name: "wrong", make: () => new WrongBackend(0.1) };
    const { choice } = await calibrateBackends(workload(), [missing, wrong]);
    expect(choice.chosen).toBe("cpu");
    expect(choice.candidates.map((c) => [c.name, c.status])).toEqual([
      ["webgpu", "unavailable"],
      ["wrong", "fails-conformance"],
    ]);
    expect(choice.candidates[0]!.message).toBe("no WebGPU adapter");
    expect(choice.summary).toBe(
      "backend auto -> cpu (the reference, no candidate passed the check; webgpu unavailable, wrong fails conformance)",
    );
  });

  it("chooses the faster of two correct backends, by the time per epoch measured", async () => {
    const slow = { name: "slow", make: () => new SlowBackend() };
    const { choice } = await calibrateBackends(workload(), [slow, cpu], { budgetMs: 20 });
    expect(choice.chosen).toBe("cpu");
    const [s, c] = choice.candidates;
    expect(s!.status).toBe("ok");
    // 5 ms of busy waiting per epoch on top of the same work: a bound that holds under any load.
    // The choice follows the measurements (how much faster cpu measured is the machine's load,
    // not a property to assert).
    expect(s!.msPerEpoch!).toBeGreaterThanOrEqual(5);
    expect(s!.msPerEpoch!).toBeGreaterThan(c!.msPerEpoch!);
  });

  it("reuses a cached calibration for the same shape and calibrates again for another", async () => {
    const dir = join(tmp, "cache");
    const candidates = [
      { name: "cpu", make: cpuBackend },
      { name: "cpu-wasm", make: cpuWasmBackend },
    ];
    const first = await chooseBackend("test", "auto", () => workload(), {
      candidates,
      cacheDir: dir,
      budgetMs: 5,
    });
    expect(first.choice!.cached).toBe(false);
    const again = await chooseBackend("test", "auto", () => workload(), { candidates, cacheDir: dir });
    expect(again.choice!.cached).toBe(true);
    expect(again.choice!.chosen).toBe(first.choice!.chosen);
    expect(again.backend.name).toBe(first.choice!.chosen);
    expect(again.choice!.candidates).toEqual(first.choice!.candidates);
    expect(again.choice!.summary).toMatch(/; cached calibration\)$/);
    // Another batch size is another shape.
    const other = await chooseBackend("test", "auto", () => workload(2), {
      candidates,
      cacheDir: dir,
      budgetMs: 5,
    });
    expect(other.choice!.cached).toBe(false);
  });

  it("takes a registered name as it is, refuses an unknown one, and restricts auto by the environment", async () => {
    const named = await chooseBackend("test", "cpu-wasm", () => {
      throw new Error("not called for a named backend");
    });
    expect([named.backend.name, named.choice]).toEqual(["cpu-wasm", null]);
    await expect(chooseBackend("test", "gpu", () => null)).rejects.toThrow(
      /"--backend" must be one of auto, cpu, cpu-wasm, cpu-native, cpu-threads, webgpu, received "gpu"/,
    );
    const env = { LEARNDYN_AUTO_BACKENDS: "cpu-wasm" };
    const only = await chooseBackend("test", "auto", () => workload(), { env, cacheDir: null });
    expect(only.choice!.chosen).toBe("cpu-wasm");
    expect(only.choice!.summary).toBe("backend auto -> cpu-wasm (the only candidate, checked)");
    await expect(
      chooseBackend("test", "auto", () => workload(), { env: { LEARNDYN_AUTO_BACKENDS: "tpu" } }),
    ).rejects.toThrow(/LEARNDYN_AUTO_BACKENDS/);
    const none = await chooseBackend("test", "auto", () => null);
    expect(none.choice!.summary).toBe("backend auto -> cpu (no simulation to calibrate on)");
  });
});

function formatMs(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2);
}
