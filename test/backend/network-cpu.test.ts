/**
 * The CPU backend's compiled-rule path is the reference itself, so here the conformance suite
 * checks what does not compare it with itself: batches against single runs, divergence, states
 * written and read; and every rule file and test rule at least compiles and runs.
 */
import { describe, expect, it } from "vitest";
import { frobeniusNorm } from "../../src/backend/check-network-init.ts";
import { cpuBackend } from "../../src/backend/cpu.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { networkConformance } from "./network-conformance.ts";

networkConformance("cpu", () => cpuBackend(), { exact: true });

describe("cpu backend, compiled rules", () => {
  it("forms every new state from the old ones, also when a new state is an old one (A' = B, B' = A)", async () => {
    const model = compileModel(
      parseNetworkRule(
        `
rule swap
sizes n = 3
state A[n,n] ~ normal(sd = 1)
state B[n,n] ~ normal(sd = 1)
A' = B
B' = A
renormalize A
`,
        "test:swap",
      ),
    );
    const [run] = drawRuns(model, [{ seed: 4 }]);
    const [a, b] = run!.states.map((s) => Float64Array.from(s));
    const batch = cpuBackend().network({ rule: model.compiled, runs: [run!] });
    batch.advance(1);
    const [a1, b1] = await batch.readStates();
    const c = frobeniusNorm(a!) / frobeniusNorm(b!);
    expect(Array.from(a1!)).toEqual(Array.from(b!, (x) => c * x));
    expect(Array.from(b1!)).toEqual(Array.from(a!));
  });
});
