import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { formatProgram } from "../../src/ir/format.ts";
import { compileModel } from "../../src/ir/model.ts";
import { builtinNetworkRule } from "../../src/rules/network/builtin-network-rules.ts";
import { TEST_RULES } from "../backend/network-conformance.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "learndyn-compile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const c = capture();
  const code = await main(["compile", ...args], c.io);
  return { code, out: c.out.join("\n"), err: c.err.join("\n") };
}

describe("learndyn compile", () => {
  it("prints sizes, parameters, choices, states, fixed tensors, data and the step program", async () => {
    const r = await run([
      "curl-descent",
      "--set",
      "M=3",
      "--set",
      "N=2",
      "--set",
      "phi=tanh",
      "--set",
      "alphaH=0.5",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rule curl-descent \(flow\): seed 001, eqs\. 5-6/);
    expect(r.out).toMatch(/\nsizes: M = 3, N = 2, P = 250, Q = 100, S = 250\n/);
    expect(r.out).toMatch(
      /\nparams: alphaH = 0\.5, alphaR = 0, lr = 0\.1, initScale = 1, teacherScale = 1\n/,
    );
    expect(r.out).toMatch(
      /\nchoices: phi = tanh \(of linear \| tanh \| relu\), law = normal \(of normal \| uniform\)\n/,
    );
    expect(r.out).toMatch(/\n {2}W1 \[2,3\] ~ law\(sd = initScale \/ sqrt\(M\)\), renormalized\n/);
    expect(r.out).toMatch(/\n {2}s1 \[3,1\] random ~ signs\(fraction = alphaH\)\n/);
    expect(r.out).toMatch(/\n {2}hoisted0 \[1,1\] hoisted: computed once per run\n/);
    expect(r.out).toMatch(/\n {2}x \[3,1\] input\n {2}y \[1,1\] target\n/);
    expect(r.out).toMatch(/\nsamples: train 250, test 100; minibatch 250\n/);
    const { compiled } = compileModel(builtinNetworkRule("curl-descent"), {
      sizes: { M: 3, N: 2 },
      choices: { phi: "tanh" },
    });
    const names = {
      states: ["W1", "W2"],
      fixed: compiled.fixed.map((f) => f.name),
      params: compiled.params,
      data: ["x", "y"],
    };
    expect(r.out.endsWith(`\n\nprogram step:\n${formatProgram(compiled.step, names)}`)).toBe(true);
    expect(r.out).toMatch(/tanh' %\d+ {2}: \[2,1\]\*/);
  });

  it("gives one JSON object with the chosen program's nodes", async () => {
    const r = await run([
      "urfb-deep-linear",
      "--json",
      "--program",
      "field",
      "--set",
      "n0=3",
      "--set",
      "n1=2",
      "--set",
      "n2=2",
      "--set",
      "n3=1",
      "--set",
      "epsilon=0",
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.rule).toBe("urfb-deep-linear");
    expect(d.kind).toBe("flow");
    expect(d.sizes).toEqual({ n0: 3, n1: 2, n2: 2, n3: 1 });
    expect(d.params).toEqual({ epsilon: 0, eta: 0.02, weightScale: 1, feedbackScale: 1 });
    expect(d.choices).toEqual({});
    expect(d.states.map((s: { name: string }) => s.name)).toEqual(["W1", "W2", "W3", "R2", "R3"]);
    expect(d.fixed.at(-1)).toEqual({ name: "hoisted0", rows: 1, cols: 3, origin: "hoisted" });
    expect(d.fixed[0]).toEqual({
      name: "A1",
      rows: 2,
      cols: 3,
      origin: "drawn",
      role: "random",
      law: "normal(sd = 1 / sqrt(n0))",
    });
    expect(d.samples).toBeNull();
    const { compiled } = compileModel(builtinNetworkRule("urfb-deep-linear"), {
      sizes: { n0: 3, n1: 2, n2: 2, n3: 1 },
    });
    expect(d.programs).toHaveLength(1);
    expect(d.programs[0].name).toBe("field");
    expect(d.programs[0].nodes).toEqual(compiled.field!.nodes);
    expect(d.programs[0].outputs).toEqual(compiled.field!.outputs);
  });

  it("lists the train and test error programs, and refuses a program a rule lacks", async () => {
    const r = await run(["gradient-descent", "--program", "error", "--set", "M=2", "--set", "N=2"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /\nprogram error \(train\):\n[\s\S]*# samples: train \(250\)[\s\S]*\nprogram error \(test\):\n[\s\S]*# samples: test \(100\)/,
    );
    const map = join(dir, "map-mix.rule");
    writeFileSync(map, TEST_RULES["map-mix"]!);
    const f = await run([map, "--program", "field"]);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(
      /--program" must be one of step, error, targets, hoist \(rule "map-mix" is a map: it has no field\), received "field"/,
    );
  });

  it("refuses bad input with exit code 2 and a message naming what was expected", async () => {
    const cases: [string[], RegExp][] = [
      [[], /exactly one rule file or built-in network rule \(curl-descent, curl-descent-3/],
      [
        ["curl-descent", "--set", "K=3"],
        /argument "K" must be a size, parameter or choice of rule "curl-descent" \(M, N, P, Q, S, alphaH/,
      ],
      [["curl-descent", "--set", "M"], /"--set" must be NAME=NUMBER or NAME=WORD, received "M"/],
      [
        ["curl-descent", "--set", "M=3", "--set", "M=4"],
        /"--set" must be each name at most once, received "M"/,
      ],
      [["curl-descent", "--set", "M=0"], /argument "M" must be an integer in \[1, 1000000\], received 0/],
      [
        ["curl-descent", "--set", "phi=cosh"],
        /argument "phi" must be one of linear, tanh, relu, received "cosh"/,
      ],
      [["curl-descent", "--set", "lr=fast"], /argument "lr" must be a finite number, received "fast"/],
      [
        ["curl-descent", "--program", "jacobian"],
        /"--program" must be one of step, field, error, targets, hoist, received "jacobian"/,
      ],
      [["curl-toy"], /must be a network rule/],
      [["no-such-rule"], /must be a built-in rule \(gradient-toy/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toMatch(message);
    }
  });

  it("reports a rule file's error with its line and column", async () => {
    const bad = join(dir, "bad.rule");
    writeFileSync(
      bad,
      ["rule bad", "sizes K = 3", "params eta = 0.1", "state W[K,K] ~ identity", "W' = W - eta W x"].join(
        "\n",
      ),
    );
    const r = await run([bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.rule:5:16: unknown name "x" \(known: W, K, eta\)/);
  });
});
