import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("learndyn simulate", () => {
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
      [["--mode", "continuous", ...tol, "--no-lyapunov"], /"--no-lyapunov" must be absent/],
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
      [["--backend", "tpu"], /"name" must be one of cpu, cpu-wasm, cpu-threads/],
    ];
    for (const [extra, message] of cases) {
      const c = capture();
      expect(await main(["simulate", "curl-descent", "--epochs", "2", ...extra], c.io)).toBe(2);
      expect(c.err.join("")).toMatch(message);
    }
    const c = capture();
    expect(await main(["simulate", "hebbian"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(
      /"rule" must be one of gradient-descent, curl-descent, feedback-alignment/,
    );
  });
});
