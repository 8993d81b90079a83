/**
 * The native backend (C generated from compiled rules' IR, src/backend/native/) through the
 * shared network conformance suite: bit for bit the interpreter in float64, within the argued
 * float32 tolerance in float32. Without a C compiler the backend is unavailable and these tests
 * are skipped, saying why, unless LEARNDYN_REQUIRE_NATIVE=1 (CI installs one), where that fails.
 */
import { describe, expect, it } from "vitest";
import { cpuNativeBackend } from "../../src/backend/cpu-native.ts";
import { CpuNetworkBatch } from "../../src/backend/cpu-network.ts";
import { cpuThreadsBackend } from "../../src/backend/cpu-threads.ts";
import {
  NativeUnavailableError,
  nativeToolchain,
  probeToolchain,
} from "../../src/backend/native/native-compiler.ts";
import { NativeNetworkBatch } from "../../src/backend/native/native-network.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { backendConformance } from "./conformance.ts";
import { float32TolerancePremises, networkRelative, reason } from "./float32-tolerance.ts";
import { networkConformance } from "./network-conformance.ts";

const unavailable = (() => {
  try {
    nativeToolchain();
    return null;
  } catch (e) {
    if (e instanceof NativeUnavailableError) return e.message;
    throw e;
  }
})();

describe("cpu-native without a compiler", () => {
  it("is unavailable, naming the compiler it looked for", () => {
    const found = probeToolchain({ CC: "/nonexistent/learndyn-cc" });
    expect(found).toBeInstanceOf(NativeUnavailableError);
    expect((found as Error).message).toMatch(/C compiler.*\/nonexistent\/learndyn-cc/);
  });
});

// Without a compiler, skipped with the reason in its name (a failure with LEARNDYN_REQUIRE_NATIVE=1).
const skipped = unavailable !== null && process.env.LEARNDYN_REQUIRE_NATIVE !== "1";
describe.skipIf(skipped)(skipped ? `cpu-native (skipped: ${unavailable})` : "cpu-native here", () => {
  describe("cpu-native", () => {
    it("has its toolchain (LEARNDYN_REQUIRE_NATIVE=1 requires it)", () => {
      expect(unavailable).toBeNull();
    });

    it.each([
      { vectorBytes: 16 },
      { vectorBytes: 32 },
      { unroll: 1, accumulators: 0 },
    ] as const)("gives the interpreter's bits at every vector width and blocking (%o)", async (options) => {
      const model = compileModel(builtinNetworkRule("curl-descent-3"), {
        sizes: { M: 9, N1: 7, N2: 5, P: 12, Q: 5, S: 4 },
        choices: { phi: "tanh" },
      });
      const runs = drawRuns(model, [{ seed: 7, params: { alpha1: 0.25 } }]);
      const native = new NativeNetworkBatch({ rule: model.compiled, runs }, options);
      const reference = new CpuNetworkBatch({ rule: model.compiled, runs });
      for (const b of [native, reference]) b.advance(3);
      expect((await native.readStates()).map((s) => Array.from(s))).toEqual(
        (await reference.readStates()).map((s) => Array.from(s)),
      );
      expect(await native.errors()).toEqual(await reference.errors());
    });

    it.each([
      "float64",
      "float32",
    ] as const)("runs in cpu-threads workers (the default kernel there) bit for bit as cpu-native (%s)", async (dtype) => {
      const model = compileModel(builtinNetworkRule("curl-descent"), {
        sizes: { M: 7, N: 5, P: 12, Q: 4, S: 3 },
        choices: { phi: "tanh" },
      });
      const runs = drawRuns(
        model,
        [0, 1, 2].map((k) => ({ seed: 60 + k, params: { alphaH: k / 4 } })),
      );
      const threads = cpuThreadsBackend(2, undefined, dtype);
      expect(threads.kernel).toBe("native");
      const one = cpuNativeBackend({ dtype }).network({ rule: model.compiled, runs });
      const many = threads.network({ rule: model.compiled, runs });
      for (const b of [one, many]) b.advance(3);
      expect((await many.readStates()).map((s) => Array.from(s))).toEqual(
        (await one.readStates()).map((s) => Array.from(s)),
      );
      const [e1, e2] = [await one.errors(), await many.errors()];
      expect([Array.from(e2.train), Array.from(e2.test)]).toEqual([
        Array.from(e1.train),
        Array.from(e1.test),
      ]);
      many.dispose();
    });
  });

  // The fused student-teacher kernel and the tensor kernels are cpu-wasm's: its tolerance and argument.
  backendConformance("cpu-native", () => cpuNativeBackend(), { relative: 1e-11 });

  // Every operation of the IR in its order, vectors only across independent entries, compiled
  // without contraction or reassociation: the interpreter's bits.
  networkConformance("cpu-native", () => cpuNativeBackend(), { exact: true });

  float32TolerancePremises();
  networkConformance("cpu-native float32", () => cpuNativeBackend({ dtype: "float32" }), {
    relative: networkRelative,
    reason,
  });
});
