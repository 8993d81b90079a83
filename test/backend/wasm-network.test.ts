/**
 * The generated rule module where the conformance suite's rules do not reach: outputs that are
 * other states (a swap), transposed or shared by two states, constant, or read by a matmul in
 * their own kernel, so that writing a new state into its memory before the others are formed
 * would be wrong; and the in-place writes that are safe (curl descent's W1 and W2).
 */
import { describe, expect, it } from "vitest";
import type { NetworkBatch } from "../../src/backend/backend.ts";
import { CpuNetworkBatch } from "../../src/backend/cpu-network.ts";
import { ruleModule } from "../../src/backend/wasm-codegen/rule-module.ts";
import { WasmNetworkBatch } from "../../src/backend/wasm-network.ts";
import { compileModel, drawRuns } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";

const RULES: Record<string, string> = {
  swap: `
rule swap
sizes n = 3
state A[n,n] ~ normal(sd = 1)
state B[n,n] ~ normal(sd = 1)
A' = B
B' = A
renormalize A
`,
  "self-reads": `
rule self-reads
sizes n = 3
params eta = 0.1
state W[n,n] ~ normal(sd = 1)
state V[n,n] ~ normal(sd = 1)
W' = W'
V' = V - eta * V V
`,
  shared: `
rule shared
sizes n = 3
params eta = 0.1
state A[n,n] ~ normal(sd = 1)
state B[n,n] ~ normal(sd = 1)
state c ~ normal(sd = 1)
X = A + eta * B
A' = X
B' = X
c' = 2
renormalize B
`,
};

async function bits(batch: NetworkBatch) {
  const states = await batch.readStates();
  return states.map((s) => Array.from(s, (x) => (Object.is(x, -0) ? "-0" : x)));
}

describe("the generated rule module", () => {
  it.each(
    Object.keys(RULES),
  )("%s: equals the interpreter bit for bit, with no output written in place", async (name) => {
    const model = compileModel(parseNetworkRule(RULES[name]!, `test:${name}`));
    expect(ruleModule(model.compiled).plans.step.outputs.every((o) => !o.inPlace)).toBe(true);
    const runs = drawRuns(model, [{ seed: 1 }, { seed: 2 }]);
    const wasm = new WasmNetworkBatch({ rule: model.compiled, runs });
    const cpu = new CpuNetworkBatch({ rule: model.compiled, runs });
    for (const epochs of [1, 4]) {
      wasm.advance(epochs);
      cpu.advance(epochs);
      expect(await bits(wasm)).toEqual(await bits(cpu));
      expect(Array.from(await wasm.failures())).toEqual(Array.from(await cpu.failures()));
    }
  });

  it("writes curl descent's new weights in place, and gives the same bits at every unroll", async () => {
    const model = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 9, N: 7, P: 20, Q: 6, S: 5 },
      choices: { phi: "tanh" },
    });
    expect(ruleModule(model.compiled).plans.step.outputs.map((o) => o.inPlace)).toEqual([true, true]);
    const runs = drawRuns(model, [{ seed: 3, params: { alphaH: 0.4 } }]);
    const cpu = new CpuNetworkBatch({ rule: model.compiled, runs });
    cpu.advance(3);
    const want = await bits(cpu);
    for (const unroll of [1, 2, 3, 7, 16]) {
      const wasm = new WasmNetworkBatch({ rule: model.compiled, runs }, { unroll });
      wasm.advance(3);
      expect(await bits(wasm), `unroll ${unroll}`).toEqual(want);
    }
  });

  it("gives the same bits with any number of rows per block (row blocking), remainders included", async () => {
    // N = 7 rows: budgets 4, 6 and 10 at unroll 2 and 3 give 1, 2, 3 and 5 rows per block, with
    // remainders of 1 and 2; curl-descent-3 adds kernels whose row axis follows a hidden layer.
    for (const [ref, sizes] of [
      ["curl-descent", { M: 9, N: 7, P: 20, Q: 6, S: 5 }],
      ["curl-descent-3", { M: 6, N1: 7, N2: 5, P: 12, Q: 5, S: 4 }],
    ] as const) {
      const model = compileModel(builtinNetworkRule(ref), { sizes, choices: { phi: "tanh" } });
      const runs = drawRuns(model, [{ seed: 4, params: {} }]);
      const cpu = new CpuNetworkBatch({ rule: model.compiled, runs });
      cpu.advance(3);
      const want = await bits(cpu);
      for (const unroll of [2, 3]) {
        for (const accumulators of [4, 6, 10, 64]) {
          const wasm = new WasmNetworkBatch({ rule: model.compiled, runs }, { unroll, accumulators });
          wasm.advance(3);
          expect(await bits(wasm), `${ref}, unroll ${unroll}, ${accumulators} accumulators`).toEqual(want);
        }
      }
    }
  });

  it("refuses an unroll outside 1..16", () => {
    const model = compileModel(builtinNetworkRule("gradient-descent"), {
      sizes: { M: 3, N: 2, P: 4, Q: 2, S: 2 },
    });
    expect(() => ruleModule(model.compiled, { unroll: 0 })).toThrow(
      /ruleModule: argument "options.unroll" must be/,
    );
  });
});
