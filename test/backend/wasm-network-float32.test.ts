/**
 * Compiled rules in float32 WebAssembly (cpu-wasm with dtype float32: f32x4 over float32
 * memory) against the float64 interpreter, through the shared network conformance suite, with
 * the float32 tolerance argued in float32-tolerance.ts.
 */
import { describe, expect, it } from "vitest";
import { cpuWasmBackend } from "../../src/backend/cpu-wasm.ts";
import { compiledRuleModule } from "../../src/backend/wasm-network.ts";
import { compileModel } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { float32TolerancePremises, networkRelative, reason } from "./float32-tolerance.ts";
import { networkConformance } from "./network-conformance.ts";

float32TolerancePremises();

networkConformance("cpu-wasm float32", () => cpuWasmBackend({ dtype: "float32" }), {
  relative: networkRelative,
  reason,
});

describe("cpu-wasm float32", () => {
  it("reports its dtype and generates f32x4 arithmetic (f64x2 only to sum squares for norms)", () => {
    expect(cpuWasmBackend({ dtype: "float32" }).dtype).toBe("float32");
    const { compiled } = compileModel(builtinNetworkRule("curl-descent"));
    const ops = new Set(
      compiledRuleModule(compiled, { dtype: "float32" }).generated.module.functions.flatMap((f) =>
        f.body.map((i) => i.op),
      ),
    );
    expect(ops.has("f32x4.mul")).toBe(true);
    const normOps = ["f64x2.promote_low_f32x4", "f64x2.mul", "f64x2.add", "f64x2.extract_lane"];
    expect([...ops].filter((op) => op.startsWith("f64x2") && !normOps.includes(op))).toEqual([]);
  });

  it("refuses the float64-only fused kernel, naming the dtype", () => {
    expect(() => cpuWasmBackend({ dtype: "float32" }).studentTeacher({} as never)).toThrow(/dtype/);
  });
});
