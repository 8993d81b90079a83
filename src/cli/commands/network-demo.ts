/**
 * The demo step for network rules: rules written once, as files, through every layer.
 * - rules/curl-descent-3.rule (three layers, a sign pattern per layer) simulated from its file on
 *   the CPU interpreter and as generated WebAssembly, with identical errors;
 * - rules/curl-descent.rule's Jacobian on its solution manifold derived from the file (forward
 *   mode over the IR, population field in closed form) against seed 001 eq. 98 computed by hand
 *   (src/analysis/two-layer);
 * - the three-layer rule's Jacobian at its teacher point, which no paper analyzes.
 * Writes `<outDir>/network-rules.json`.
 */
import { join } from "node:path";
import { fieldOperator } from "../../analysis/network/field-operator.ts";
import { teacherPoint } from "../../analysis/network/fixed-points.ts";
import { populationOperator } from "../../analysis/network/population.ts";
import { sketchedNonzeroSpectrum } from "../../analysis/network/reduced-jacobian.ts";
import { manifoldSpectrum } from "../../analysis/two-layer/manifold-spectrum.ts";
import { cpuBackend } from "../../backend/cpu.ts";
import { cpuWasmBackend } from "../../backend/cpu-wasm.ts";
import { resolveParams } from "../../ir/bind.ts";
import { compileModel, drawRuns } from "../../ir/model.ts";
import { builtinNetworkRule } from "../../rules/network/builtin-network-rules.ts";
import { simulateRuns } from "../../sim/simulate.ts";
import { writeJson } from "../../util/io.ts";
import type { DemoStep } from "./demo.ts";

export const networkRulesDemoStep: DemoStep = {
  name: "network rules from their files: simulation on two engines, Jacobians on the solution manifold",
  async run({ outDir, io }) {
    // 1. The three-layer rule, simulated from its file on the interpreter and as WebAssembly.
    const three = builtinNetworkRule("curl-descent-3");
    const model = compileModel(three, {
      sizes: { M: 30, N1: 20, N2: 20, P: 100, S: 10 },
      choices: { phi: "tanh" },
    });
    const runs = [1, 2].map((seed) => ({ model, seed, params: { alpha1: 0.3, alpha2: 0.3, alpha3: 0.3 } }));
    const options = { epochs: 100, lyapunov: false, recordCount: 8 };
    const [interpreted, compiled] = await Promise.all([
      simulateRuns(cpuBackend(), runs, options),
      simulateRuns(cpuWasmBackend(), runs, options),
    ]);
    const identical = interpreted.every(
      (r, k) =>
        JSON.stringify([r.trainError, r.testError]) ===
        JSON.stringify([compiled[k]!.trainError, compiled[k]!.testError]),
    );
    io.out(`curl-descent-3 (tanh, M = 30, N1 = N2 = 20, 30% of each layer flipped), 100 epochs:`);
    for (const r of interpreted) {
      io.out(
        `  seed ${r.seed}: test error ${r.testError![0]!.toPrecision(4)} -> ${r.testError!.at(-1)!.toPrecision(4)}`,
      );
    }
    io.out(
      `  CPU interpreter and generated WebAssembly give ${identical ? "identical errors, bit for bit" : "DIFFERENT errors"}`,
    );

    // 2. Curl descent's Jacobian on its manifold, from the rule file, against eq. 98.
    const [M, N] = [40, 80];
    const two = compileModel(builtinNetworkRule("curl-descent"), { sizes: { M, N, P: M + 1, S: M + 1 } });
    const params = { alphaH: 0.5 };
    const [run] = drawRuns(two, [{ seed: 3, params }]);
    const op = populationOperator(two, run!, resolveParams(two.spec, two.compiled.sizes, params));
    const x = teacherPoint(two, run!)!;
    const spectrum = sketchedNonzeroSpectrum(op, x, { seed: 3 });
    const [W1t, W2t, s1, s2] = run!.fixed;
    const W1 = Array.from({ length: N }, (_, i) => Array.from(W1t!.subarray(i * M, (i + 1) * M)));
    const s = Array.from({ length: M }, (_, j) => W1.reduce((acc, row, i) => acc + W2t![i]! * row[j]!, 0));
    const byHand = manifoldSpectrum({ W1, W2: Array.from(W2t!), s, d1: Array.from(s1!), d2: Array.from(s2!) })
      .jacobianEigenvalues.map((v) => v / 2)
      .sort((a, b) => b - a);
    const difference = Math.max(...spectrum.eigenvalues.map((e, i) => Math.abs(e.re - byHand[i]!)));
    io.out(
      `curl-descent's Jacobian at the teacher point (M = ${M}, N = ${N}, alphaH = 0.5), from the rule file:`,
    );
    io.out(
      `  rank ${spectrum.rank}, ${spectrum.zeroModes} zero modes (eq. 98: M = ${M} and MN + N - M = ${M * N + N - M})`,
    );
    io.out(
      `  rightmost nonzero eigenvalue ${spectrum.eigenvalues[0]!.re.toPrecision(6)}; largest difference from eq. 98 by hand ${difference.toExponential(2)}`,
    );

    // 3. The three-layer rule's Jacobian at its teacher point, over the training set (tanh).
    const [run3] = drawRuns(model, [{ seed: 1, params: { alpha1: 0.3, alpha2: 0.3, alpha3: 0.3 } }]);
    const op3 = fieldOperator(model, run3!);
    const spectrum3 = sketchedNonzeroSpectrum(op3, teacherPoint(model, run3!)!, { seed: 1 });
    io.out(
      `curl-descent-3's Jacobian at its teacher point (tanh, training-set field): rank ${spectrum3.rank}, ${spectrum3.zeroModes} zero modes, rightmost nonzero eigenvalue ${spectrum3.eigenvalues[0]!.re.toPrecision(6)}`,
    );

    const path = join(outDir, "network-rules.json");
    writeJson(path, {
      simulation: {
        rule: "rules/curl-descent-3.rule",
        sizes: model.compiled.sizes,
        choices: model.compiled.choices,
        runs: interpreted.map((r, k) => ({
          seed: r.seed,
          epochs: r.epochs,
          testError: r.testError,
          wasmTestError: compiled[k]!.testError,
        })),
        identicalOnInterpreterAndWasm: identical,
      },
      curlDescentManifold: {
        rule: "rules/curl-descent.rule",
        sizes: two.compiled.sizes,
        params,
        rank: spectrum.rank,
        zeroModes: spectrum.zeroModes,
        eigenvalues: spectrum.eigenvalues.map((e) => e.re),
        eq98ByHand: byHand,
        largestDifference: difference,
      },
      threeLayerTeacherPoint: {
        rank: spectrum3.rank,
        zeroModes: spectrum3.zeroModes,
        rightmost: spectrum3.eigenvalues[0] ?? null,
      },
    });
    io.out(`(written to ${path})`);
  },
};
