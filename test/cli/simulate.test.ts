import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { ERROR_CHAIN, STEP_CHAIN, u } from "../backend/float32-tolerance.ts";
import { TEST_RULES } from "../backend/network-conformance.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-simulate-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

/** Curl descent at M = 6, N = 5. */
const SMALL_CURL = ["simulate", "curl-descent", "--set", "M=6", "--set", "N=5"];

describe("learndyn simulate", () => {
  it("runs cpu-wasm in float32 with --dtype, records the dtype, and stays near float64", async () => {
    const argv = ["simulate", "curl-descent", "--M", "8", "--N", "8", "--epochs", "20", "--no-lyapunov"];
    const run = async (dtype: string) => {
      const c = capture();
      expect(await main([...argv, "--backend", "cpu-wasm", "--dtype", dtype, "--json"], c.io)).toBe(0);
      return JSON.parse(c.out.join(""));
    };
    const [single, double] = [await run("float32"), await run("float64")];
    expect([single.dtype, double.dtype]).toEqual(["float32", "float64"]);
    expect(single.engine).toBe("compiled");
    // The argument of float32-tolerance.ts over K = 20 epochs x 25 steps, with a carried error
    // amplified by at most 1 per step since the run contracts (premise: the float64 error falls
    // at every recorded epoch): |e32 - e64| <= 2 (K STEP_CHAIN + ERROR_CHAIN) u max(1, e64).
    const K = 20 * 25;
    const tol = 2 * (K * STEP_CHAIN + ERROR_CHAIN) * u;
    double.trainError.slice(1).forEach((e: number, k: number) => {
      expect(e).toBeLessThan(double.trainError[k]);
    });
    single.trainError.forEach((e: number, k: number) => {
      expect(Math.abs(e - double.trainError[k])).toBeLessThanOrEqual(tol * Math.max(1, double.trainError[k]));
    });
    expect(single.trainError).not.toEqual(double.trainError);
  });

  it("prints epochs, train and test errors, q and the Lyapunov exponent as JSON", async () => {
    const c = capture();
    const argv = ["simulate", "curl-descent", "--M", "8", "--N", "8", "--alpha-h", "0.3", "--alpha-r", "0"];
    const code = await main(
      [...argv, "--epochs", "60", "--batch", "10", "--seed", "4", "--activation", "tanh", "--json"],
      c.io,
    );
    expect(code).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.epochs[0]).toBe(0);
    expect(r.epochs.at(-1)).toBe(60);
    expect(r.trainError).toHaveLength(r.epochs.length);
    expect(r.testError).toHaveLength(r.epochs.length);
    expect(typeof r.q).toBe("number");
    expect(typeof r.lyapunov).toBe("number");
    expect(r.backend).toBe("cpu");
    expect(r.seed).toBe(4);
    // The old options set the rule file's names; the built-in rule runs on the fused kernel.
    expect(r.sizes).toEqual({ M: 8, N: 8, P: 250, Q: 100, S: 10 });
    expect(r.choices).toEqual({ phi: "tanh", law: "normal" });
    expect(r.params).toMatchObject({ alphaH: 0.3, alphaR: 0, lr: 0.1 });
    expect(r.engine).toBe("fused student-teacher kernel");
  });

  it("runs on the backend auto chooses by default, printing the choice and recording it", async () => {
    const c = capture();
    const argv = [...SMALL_CURL, "--epochs", "10", "--seeds", "2"];
    expect(await main([...argv, "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    // The tests restrict auto to the cpu backend (vitest.config.ts), so the choice is known.
    expect(r.backend).toBe("cpu");
    expect(r.backendChoice).toMatchObject({ requested: "auto", chosen: "cpu", cached: false });
    expect(r.backendChoice.candidates).toEqual([
      expect.objectContaining({ name: "cpu", status: "ok", deviation: 0, msPerEpoch: null }),
    ]);
    expect(c.err).toContain("backend auto -> cpu (the only candidate, checked)");
    const text = capture();
    expect(await main(argv, text.io)).toBe(0);
    expect(text.out[0]).toBe("backend auto -> cpu (the only candidate, checked)");
    // A named backend is used as it is: no choice recorded.
    const named = capture();
    expect(await main([...argv, "--backend", "cpu-wasm", "--json"], named.io)).toBe(0);
    const n = JSON.parse(named.out.join(""));
    expect([n.backend, n.backendChoice]).toEqual(["cpu-wasm", undefined]);
  });

  it("writes the arrays as .npz with --npz: rows of runs, the values of the JSON", async () => {
    const c = capture();
    const file = join(tmp, "runs.npz");
    const argv = [...SMALL_CURL, "--epochs", "20", "--seeds", "2"];
    expect(await main([...argv, "--json", "--npz", file], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    const members = unzipSync(readFileSync(file));
    expect(Object.keys(members).sort()).toEqual(
      [
        "autocorrelation",
        "autocorrelationLags",
        "epochs",
        "failedAtEpoch",
        "lyapunov",
        "pc1",
        "pc2",
        "pcaEpochs",
        "pcaExplained",
        "peakTestError",
        "peakTrainError",
        "q",
        "seeds",
        "testError",
        "trainError",
      ].map((n) => `${n}.npy`),
    );
    if (spawnSync("python3", ["-c", "import numpy"]).status !== 0) return;
    const script = `
import json, sys, numpy as np
z = np.load(sys.argv[1])
print(json.dumps({k: [list(z[k].shape), z[k].tolist()] for k in ["testError", "q", "epochs", "seeds"]}))`;
    const got = JSON.parse(spawnSync("python3", ["-c", script, file], { encoding: "utf8" }).stdout);
    const E = r.runs[0].epochs.length;
    expect(got.epochs).toEqual([[E], r.runs[0].epochs]);
    expect(got.seeds).toEqual([[2], [0, 1]]);
    expect(got.q).toEqual([[2], r.runs.map((x: { q: number }) => x.q)]);
    expect(got.testError).toEqual([[2, E], r.runs.map((x: { testError: number[] }) => x.testError)]);
  });

  it("runs the three-layer rule with --set, on the compiled path, several seeds", async () => {
    const c = capture();
    const sets = ["M=5", "N1=4", "N2=3", "P=20", "Q=8", "S=5", "alpha2=0.5", "phi=tanh"].flatMap((v) => [
      "--set",
      v,
    ]);
    const argv = ["simulate", "curl-descent-3", ...sets];
    expect(await main([...argv, "--epochs", "30", "--seeds", "2", "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.rule).toBe("curl-descent-3");
    expect(r.engine).toBe("compiled");
    expect(r.sizes).toEqual({ M: 5, N1: 4, N2: 3, P: 20, Q: 8, S: 5 });
    expect(r.params).toEqual({ alpha1: 0, alpha2: 0.5, alpha3: 0, lr: 0.1 });
    expect(r.runs.map((x: { seed: number }) => x.seed)).toEqual([0, 1]);
    for (const run of r.runs) {
      expect(run.testError).toHaveLength(run.epochs.length);
      expect(run.testError.at(-1)).toBeLessThan(run.testError[0]);
      expect(typeof run.lyapunov).toBe("number");
    }
  });

  it("runs a rule written only in a file (no TypeScript for it)", async () => {
    const file = join(tmp, "sign-mask.rule");
    writeFileSync(file, TEST_RULES["sign-mask"]!);
    const c = capture();
    expect(
      await main(["simulate", file, "--set", "alpha=0", "--set", "M=5", "--epochs", "20", "--json"], c.io),
    ).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect([r.rule, r.file, r.engine]).toEqual(["sign-mask", file, "compiled"]);
    expect(r.params).toEqual({ alpha: 0, lr: 0.2 });
    // No flipped synapse: gradient descent (with W1 on its sphere), so the error falls.
    expect(r.testError.at(-1)).toBeLessThan(r.testError[0]);
    const text = capture();
    expect(await main(["simulate", file, "--epochs", "5", "--no-lyapunov"], text.io)).toBe(0);
    expect(text.out.join("\n")).toMatch(/sign-mask on cpu \(compiled\)\nseed 0: final train .* test .* q /);
  });

  it("says what a rule without an error or without data cannot report", async () => {
    const c = capture();
    expect(await main(["simulate", "hebbian-ei", "--set", "N=4", "--epochs", "4", "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect([r.trainError, r.testError]).toEqual([null, null]);
    expect(r.notes[0]).toMatch(/declares no error/);
    expect(c.err.join("")).toMatch(/declares no error/);
  });

  it("integrates the continuous-time limit with explicit tolerances, and refuses it without them", async () => {
    const c = capture();
    const argv = [
      "simulate",
      "curl-descent",
      "--M",
      "5",
      "--N",
      "4",
      "--epochs",
      "30",
      "--mode",
      "continuous",
    ];
    expect(await main([...argv, "--rtol", "1e-8", "--atol", "1e-10", "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.epochs.at(-1)).toBe(30);
    expect(r.testError.at(-1)).toBeLessThan(r.testError[0]);
    const bad = capture();
    expect(await main(argv, bad.io)).toBe(2);
    expect(bad.err.join("")).toMatch(/--rtol/);
  });

  it("refuses the options of the other mode instead of ignoring them", async () => {
    const base = ["simulate", "curl-descent", "--M", "5", "--N", "4", "--epochs", "3"];
    const tol = ["--rtol", "1e-8", "--atol", "1e-10"];
    const cases: Array<[string[], RegExp]> = [
      [["--mode", "continuous", ...tol, "--seeds", "3"], /"--seeds" must be absent with --mode continuous/],
      [["--mode", "continuous", ...tol, "--backend", "cpu-wasm"], /"--backend" must be absent/],
      [["--mode", "continuous", ...tol, "--batch", "10"], /"--batch" must be absent/],
      [["--mode", "continuous", ...tol, "--dtype", "float32"], /"--dtype" must be absent/],
      [["--mode", "continuous", ...tol, "--no-lyapunov"], /"--no-lyapunov" must be absent/],
      [
        ["--mode", "continuous", ...tol, "--set", "S=5"],
        /"--set S" must be absent with --mode continuous.*S is the minibatch/,
      ],
      [["--rtol", "1e-8"], /"--rtol" must be absent with --mode discrete/],
      [["--atol", "1e-10"], /"--atol" must be absent with --mode discrete/],
    ];
    for (const [extra, message] of cases) {
      const c = capture();
      expect(await main([...base, ...extra], c.io), extra.join(" ")).toBe(2);
      expect(c.err.join(""), extra.join(" ")).toMatch(message);
    }
  });

  it("refuses bad input with errors naming the option", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--M", "0"], /--M" must be an integer >= 1/],
      [["--N=-3"], /--N" must be an integer >= 1/],
      [["--alpha-h", "1.5"], /--alpha-h" must be a number >= 0 <= 1/],
      [["--alpha-r=-0.1"], /--alpha-r"/],
      [["--activation", "gelu"], /--activation" must be one of linear, tanh, relu/],
      [["--backend", "tpu"], /"--backend" must be one of auto, cpu, cpu-wasm, cpu-native, cpu-threads/],
      [["--dtype", "float32"], /"--dtype" must be a named --backend with it/],
      [
        ["--backend", "cpu", "--dtype", "float32"],
        /"dtype" must be for cpu, one of float64, received "float32"/,
      ],
      [
        ["--backend", "cpu-wasm", "--dtype", "float16"],
        /"dtype" must be for cpu-wasm, one of float64, float32/,
      ],
    ];
    for (const [extra, message] of cases) {
      const c = capture();
      expect(await main(["simulate", "curl-descent", "--epochs", "2", ...extra], c.io)).toBe(2);
      expect(c.err.join("")).toMatch(message);
    }
    const c = capture();
    expect(await main(["simulate", "hebbian"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(
      /"rule" must be a built-in rule \(.*curl-descent-3.*\) or an existing rule file, received "hebbian"/,
    );
    const scalar = capture();
    expect(await main(["simulate", "curl-toy"], scalar.io)).toBe(2);
    expect(scalar.err.join("")).toMatch(/must be a network rule.*received "the scalar rule \\"curl-toy\\""/);
  });

  it("refuses --set names the rule does not declare, listing those it does", async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["curl-descent", "--set", "alpha=0.3"],
        /"alpha" must be a size, parameter or choice of rule "curl-descent" \(M, N, P, Q, S, alphaH, alphaR, lr, initScale, teacherScale, phi, law\)/,
      ],
      [
        ["curl-descent-3", "--set", "N=4"],
        /"N" must be a size, parameter or choice of rule "curl-descent-3" \(M, N1, N2/,
      ],
      [["curl-descent", "--set", "M"], /"--set" must be NAME=NUMBER or NAME=WORD, received "M"/],
      [["curl-descent", "--set", "M=2.5"], /"M" must be an integer in \[1, 1000000\], received 2.5/],
      [["curl-descent", "--set", "phi=gelu"], /"phi" must be one of linear, tanh, relu, received "gelu"/],
      [["curl-descent", "--set", "M=4", "--M", "5"], /a value for M given once/],
      [["curl-descent", "--set", "lr=fast"], /"lr" must be a finite number/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main(["simulate", ...args, "--epochs", "2"], c.io), args.join(" ")).toBe(2);
      expect(c.err.join(""), args.join(" ")).toMatch(message);
    }
  });

  it("refuses the two-layer options for a rule without the name, naming --set", async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["curl-descent-3", "--N", "5"],
        /"--N" must be an option of a rule that declares N.*rule "curl-descent-3" declares M, N1, N2.*--set NAME=VALUE/,
      ],
      [
        ["gradient-descent", "--alpha-h", "0.2"],
        /"--alpha-h" must be an option of a rule that declares alphaH/,
      ],
      [
        ["urfb", "--distribution", "uniform"],
        /"--distribution" must be an option of a rule that declares law/,
      ],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main(["simulate", ...args, "--epochs", "2"], c.io), args.join(" ")).toBe(2);
      expect(c.err.join(""), args.join(" ")).toMatch(message);
    }
  });
});
