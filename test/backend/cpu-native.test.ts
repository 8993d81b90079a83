/**
 * The native backend (C generated from compiled rules' IR, src/backend/native/) through the
 * shared network conformance suite: bit for bit the interpreter in float64, within the argued
 * float32 tolerance in float32. Without a C compiler the backend is unavailable and these tests
 * are skipped, saying why, unless LEARNDYN_REQUIRE_NATIVE=1 (CI installs one), where that fails.
 */
import { describe, expect, it } from "vitest";
import { cpuNativeBackend } from "../../src/backend/cpu-native.ts";
import { NativeUnavailableError, nativeToolchain } from "../../src/backend/native/native-compiler.ts";
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

if (unavailable !== null && process.env.LEARNDYN_REQUIRE_NATIVE !== "1") {
  describe.skip(`cpu-native (skipped: ${unavailable})`, () => {
    it("needs a C compiler", () => {});
  });
} else {
  describe("cpu-native toolchain", () => {
    it("is available (LEARNDYN_REQUIRE_NATIVE=1 requires it)", () => {
      expect(unavailable).toBeNull();
    });
  });

  // Every operation of the IR in its order, vectors only across independent entries, compiled
  // without contraction or reassociation: the interpreter's bits.
  networkConformance("cpu-native", () => cpuNativeBackend(), { exact: true });

  float32TolerancePremises();
  networkConformance("cpu-native float32", () => cpuNativeBackend({ dtype: "float32" }), {
    relative: networkRelative,
    reason,
  });
}
