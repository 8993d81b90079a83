/**
 * The conformance suite of compiled network rules, written once and run on every backend
 * (tfjs-core style): a backend's test file calls
 *
 *   networkConformance("cpu-wasm", () => cpuWasmBackend(), { exact: true });
 *   networkConformance("webgpu", () => webgpuBackend(), { relative: ..., reason: "..." });
 *
 * and every check compares the backend's NetworkBatch with the reference, the IR interpreter of
 * the CPU backend (src/ir/interpret.ts, float64): every built-in rule file at small random sizes
 * and each of its activations, rules written only in the tests (a per-synapse sign mask, a map,
 * dense diagonals, the other elementwise functions), a batch against its members run alone, a
 * diverging member reported with its epoch while the others go on, and writeStates/readStates.
 * A float64 backend that evaluates in the IR's order is `exact` (bit for bit); a float32 one
 * gives a relative tolerance with its argument.
 */
import { describe, expect, it } from "vitest";
import type { Backend, NetworkBatch } from "../../src/backend/backend.ts";
import { CpuNetworkBatch } from "../../src/backend/cpu-network.ts";
import { compileModel, drawRuns, type NetworkModel, type RunRequest } from "../../src/ir/model.ts";
import {
  builtinNetworkRule,
  builtinNetworkRuleNames,
} from "../../src/rules/network/builtin-network-rules.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import type { NetworkRuleSpec } from "../../src/rules/network/spec.ts";
import { Rng } from "../../src/util/random.ts";
import { smallSizes } from "./small-sizes.ts";

export { smallSizes };

export interface NetworkConformanceOptions {
  /** Bit for bit equal to the reference (float64 backends that keep the IR's order). */
  readonly exact?: boolean;
  /** Otherwise: max |x - ref| <= relative * max(1, max |ref|) per compared array. */
  readonly relative?: number;
  /** Why that tolerance (float32 rounding over the steps run). */
  readonly reason?: string;
  /** Epochs per comparison (default 3). */
  readonly epochs?: number;
}

/** Rules that exist only here: the compiled path must take them with no TypeScript for them. */
export const TEST_RULES: Record<string, string> = {
  // A two-layer network whose plasticity is flipped per synapse (a random +-1 mask on every
  // weight) instead of per input column: S1 .* (...) rather than (...) diag(s1).
  "sign-mask": `
rule sign-mask
source a test rule: curl descent with a per-synapse sign mask
sizes M = 6, N = 4, P = 12, Q = 5, S = 4
params alpha = 0.3, lr = 0.2
choice phi = tanh | linear | relu
teacher V1[N,M] ~ normal(sd = 1/sqrt(M))
teacher V2[1,N] ~ normal(sd = 1/sqrt(N))
input x[M] ~ normal(variance = 1/2)
target y = V2 phi(V1 x)
samples train P, test Q
random S1[N,M] ~ signs(alpha)
random S2[1,N] ~ signs(alpha)
state W1[N,M] ~ normal(sd = 1/sqrt(M))
state W2[1,N] ~ normal(sd = 1/sqrt(N))
a = W1 x
e = W2 phi(a) - y
d/dt W1 = -S1 .* mean((W2' e .* phi'(a)) x')
d/dt W2 = -S2 .* mean(e phi(a)')
error = mean(e^2)
minibatch S
learning-rate lr
renormalize W1
`,
  // A map (discrete time) with its own step, a sigmoid readout, exp/log/abs/sqrt, a dense use of
  // diag, transposes of products, a scalar state and a column state.
  "map-mix": `
rule map-mix
source a test rule exercising the IR's operations
sizes K = 3, L = 5, P = 8, Q = 3, S = 2
params eta = 0.05, c = 2
input u[K] ~ uniform(low = -1, high = 1)
teacher A[L,K] ~ uniform(sd = 0.5)
target t = sigmoid(A u)
samples train P, test Q
random g[L] ~ normal(mean = 1, sd = 0.1)
state W[L,K] ~ normal(sd = 0.3)
state b[L] ~ zeros
state z ~ normal(sd = 1)
p = sigmoid(W u + b)
r = p - t
G = diag(g) + W W' / c
W' = W - eta * (mean((r .* sigmoid'(W u + b)) u') + G W / L)
b' = b - eta * mean(r) .* exp(-abs(b)) ./ sqrt(1 + g .^ 2)
z' = z + eta * (log(1 + z^2) - z) / (1 + sum(W .* W))
error = mean(sum(r .^ 2)) + z^2 / 100
minibatch S
`,
};

/** Runs with different seeds and, for parameters that set a sign fraction, different fractions. */
export function runRequests(spec: NetworkRuleSpec, count: number, seed: number): RunRequest[] {
  const fractions = new Set<string>();
  for (const d of [...spec.fixed, ...spec.states]) {
    const f = d.law.args.fraction;
    if (d.law.law === "signs" && f?.kind === "name") fractions.add(f.name);
  }
  return Array.from({ length: count }, (_, k) => ({
    seed: seed + k,
    params: Object.fromEntries([...fractions].map((p) => [p, [0, 0.25, 0.5][k % 3]!])),
  }));
}

/** Every (rule, choices) case: the built-in rule files and the test rules, each activation. */
export function conformanceCases(): {
  label: string;
  spec: NetworkRuleSpec;
  choices: Record<string, string>;
}[] {
  const specs = [
    ...builtinNetworkRuleNames().map((n) => builtinNetworkRule(n)),
    ...Object.entries(TEST_RULES).map(([n, text]) => parseNetworkRule(text, `test:${n}`)),
  ];
  return specs.flatMap((spec) => {
    const phi = spec.choices.find((c) => c.of === "function");
    const options = phi ? phi.options : [undefined];
    return options.map((o) => ({
      label: `${spec.name}${o ? ` (${phi!.name} = ${o})` : ""}`,
      spec,
      choices: o ? { [phi!.name]: o } : {},
    }));
  });
}

async function snapshot(batch: NetworkBatch) {
  return { states: await batch.readStates(), errors: await batch.errors(), failures: await batch.failures() };
}

function compare(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: NetworkConformanceOptions,
  what: string,
) {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  if (options.exact) {
    for (let q = 0; q < expected.length; q++) {
      if (!Object.is(actual[q], expected[q])) {
        expect.fail(
          `${what}: entry ${q} is ${actual[q]}, the reference ${expected[q]} (bit for bit expected)`,
        );
      }
    }
    return;
  }
  let scale = 1;
  let worst = 0;
  for (let q = 0; q < expected.length; q++) {
    const e = expected[q]!;
    const a = actual[q]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      expect(Number.isNaN(a), `${what}: entry ${q} is ${a}, the reference ${e}`).toBe(Number.isNaN(e));
      continue;
    }
    scale = Math.max(scale, Math.abs(e));
    worst = Math.max(worst, Math.abs(a - e));
  }
  expect(
    worst,
    `${what}: max |difference| ${worst} against ${options.relative! * scale} (${options.reason})`,
  ).toBeLessThanOrEqual(options.relative! * scale);
}

async function compareSnapshots(
  actual: Awaited<ReturnType<typeof snapshot>>,
  expected: Awaited<ReturnType<typeof snapshot>>,
  options: NetworkConformanceOptions,
  label: string,
) {
  expect(Array.from(actual.failures), `${label}: failures`).toEqual(Array.from(expected.failures));
  expected.states.forEach((s, k) => {
    compare(actual.states[k]!, s, options, `${label}: state ${k}`);
  });
  compare(actual.errors.train, expected.errors.train, options, `${label}: train error`);
  compare(actual.errors.test, expected.errors.test, options, `${label}: test error`);
}

export function networkConformance(
  name: string,
  make: () => Backend | Promise<Backend>,
  options: NetworkConformanceOptions,
): void {
  const epochs = options.epochs ?? 3;
  describe(`${name}: compiled network rules against the CPU interpreter`, () => {
    const cases = conformanceCases();
    it.each(cases.map((c, k) => [c.label, k] as const))("%s", async (label, k) => {
      const c = cases[k]!;
      const rng = new Rng(1000 + k);
      const model = compileModel(c.spec, { sizes: smallSizes(c.spec, rng), choices: c.choices });
      const runs = drawRuns(model, runRequests(c.spec, 3, 40 + k));
      const backend = await make();
      const batch = backend.network({ rule: model.compiled, runs });
      const reference = new CpuNetworkBatch({ rule: model.compiled, runs });
      await compareSnapshots(await snapshot(batch), await snapshot(reference), options, `${label}, epoch 0`);
      batch.advance(epochs);
      reference.advance(epochs);
      await compareSnapshots(
        await snapshot(batch),
        await snapshot(reference),
        options,
        `${label}, epoch ${epochs}`,
      );
      batch.dispose();
      reference.dispose();
    });

    it("runs a batch of B exactly as B single runs", async () => {
      const model = compileModel(parseNetworkRule(TEST_RULES["sign-mask"]!, "test:sign-mask"));
      const runs = drawRuns(model, runRequests(model.spec, 3, 7));
      const backend = await make();
      const batch = backend.network({ rule: model.compiled, runs });
      batch.advance(epochs);
      const together = await snapshot(batch);
      for (let b = 0; b < runs.length; b++) {
        const single = backend.network({ rule: model.compiled, runs: [runs[b]!] });
        single.advance(epochs);
        const alone = await snapshot(single);
        alone.states.forEach((s, k) => {
          const n = s.length;
          expect(
            Array.from(together.states[k]!.subarray(b * n, (b + 1) * n)),
            `member ${b}, state ${k}`,
          ).toEqual(Array.from(s));
        });
        single.dispose();
      }
      batch.dispose();
    });

    it("reports a diverging member with its epoch while the others go on", async () => {
      const model = compileModel(parseNetworkRule(TEST_RULES["map-mix"]!, "test:map-mix"));
      const runs = drawRuns(model, [{ seed: 1 }, { seed: 2, params: { eta: 1e200 } }, { seed: 3 }]);
      const backend = await make();
      const batch = backend.network({ rule: model.compiled, runs });
      const reference = new CpuNetworkBatch({ rule: model.compiled, runs });
      batch.advance(epochs);
      reference.advance(epochs);
      const got = await snapshot(batch);
      const want = await snapshot(reference);
      expect(want.failures[1]).toBe(0);
      expect(Array.from(got.failures)).toEqual(Array.from(want.failures));
      expect(Number.isNaN(got.errors.train[1]!)).toBe(true);
      for (const b of [0, 2]) {
        const n = want.states[0]!.length / 3;
        compare(
          got.states[0]!.subarray(b * n, (b + 1) * n),
          want.states[0]!.subarray(b * n, (b + 1) * n),
          options,
          `member ${b}`,
        );
      }
      batch.dispose();
      reference.dispose();
    });

    it("writes and reads states", async () => {
      const model: NetworkModel = compileModel(builtinNetworkRule("urfb-deep-linear"), {
        sizes: { n0: 3, n1: 4, n2: 2, n3: 2 },
      });
      const runs = drawRuns(model, [{ seed: 5 }, { seed: 6 }]);
      const backend = await make();
      const batch = backend.network({ rule: model.compiled, runs });
      const states = await batch.readStates();
      const changed = states.map((s) => s.map((x, q) => x + q / 64));
      batch.writeStates(changed);
      const back = await batch.readStates();
      changed.forEach((s, k) => {
        compare(back[k]!, s, options, `state ${k} after writeStates`);
      });
      batch.dispose();
    });
  });
}
