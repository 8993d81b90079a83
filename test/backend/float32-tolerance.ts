/**
 * The tolerance of a float32 backend's compiled rules against the float64 interpreter, and a
 * test of its premises, shared by every float32 backend (WebGPU, cpu-wasm with dtype float32).
 *
 * rounding-chain.ts counts, in units of u = 2^-24, the longest chain of float32 roundings in one
 * evaluation, with WGSL's bounds (division 2.5 ULP, transcendental functions a few ULP). A
 * WebAssembly float32 module rounds less: its + - * / and sqrt are correctly rounded (1 u each)
 * and its transcendental functions are the float64 functions rounded once to float32 (1 u, on an
 * argument already counted), so the same chains bound it too.
 *
 * In one step of any conformance case the longest chain of roundings is below STEP_CHAIN = 75 u
 * (curl-descent-3 with tanh: 42 u in the step program, 31 u in the commit of another case's
 * 25-entry norm), and an error program's below ERROR_CHAIN = 45 u. The runs take at most K = 12
 * steps (map-mix at its default sizes: 3 epochs of 8 / 2 steps). Each step moves the states by
 * h = lr S / P <= 0.07 times an O(1) field of renormalized O(1) weights, so it can amplify a
 * carried error by at most 1 + 0.07 per step: by less than 2 over 12 steps. Bound:
 * 2 (K STEP_CHAIN + ERROR_CHAIN) u = 1890 u = 1.1e-4 relative to max(1, max |reference|). The
 * premises are checked by {@link float32TolerancePremises}.
 */
import { describe, expect, it } from "vitest";
import { evaluateScalar, resolveParams } from "../../src/ir/bind.ts";
import { compileModel } from "../../src/ir/model.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { Rng } from "../../src/util/random.ts";
import { conformanceCases, smallSizes, TEST_RULES } from "./network-conformance.ts";
import { roundingChain, stepRoundingChain } from "./rounding-chain.ts";

/** float32 unit roundoff. */
export const u = 2 ** -24;

/** Longest chain of roundings (units of u) in one step, and in an error program, of any case. */
export const STEP_CHAIN = 75;
export const ERROR_CHAIN = 45;
const K = 12;
export const networkRelative = 2 * (K * STEP_CHAIN + ERROR_CHAIN) * u;
export const reason = `float32: 2 (${K} steps x ${STEP_CHAIN} u + ${ERROR_CHAIN} u) of rounding chains`;

/** Tests that every conformance case meets the premises of {@link networkRelative}. */
export function float32TolerancePremises(): void {
  describe("the premises of the compiled rules' float32 tolerance", () => {
    it("bound the rounding chains and the steps of every conformance case", () => {
      const models = conformanceCases().map((c, k) =>
        compileModel(c.spec, { sizes: smallSizes(c.spec, new Rng(1000 + k)), choices: c.choices }),
      );
      models.push(compileModel(parseNetworkRule(TEST_RULES["map-mix"]!, "test:map-mix")));
      models.push(compileModel(parseNetworkRule(TEST_RULES["sign-mask"]!, "test:sign-mask")));
      for (const { spec, compiled: rule } of models) {
        expect(stepRoundingChain(rule), rule.name).toBeLessThanOrEqual(STEP_CHAIN);
        if (rule.error) expect(roundingChain(rule.error.train), rule.name).toBeLessThanOrEqual(ERROR_CHAIN);
        const steps = 3 * (rule.samples ? rule.samples.train / rule.minibatch : 1);
        expect(steps, rule.name).toBeLessThanOrEqual(K);
        // The step size at the default parameters: a flow's lr S / P (lr without data); a map's
        // update is its own, and map-mix (the only map) moves by its eta = 0.05.
        const params = resolveParams(spec, rule.sizes);
        const lr = spec.learningRate
          ? evaluateScalar(spec.learningRate.expr, { ...rule.sizes, ...params }, spec.file, "lr")
          : params.eta!;
        const h = rule.samples && spec.learningRate ? (lr * rule.minibatch) / rule.samples.train : lr;
        expect(h, rule.name).toBeLessThanOrEqual(0.07);
      }
    });
  });
}
