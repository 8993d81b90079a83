/**
 * Bad network rules are refused with a RuleError at the right line and column, with a message
 * that names what is wrong; each case changes one line of a small valid rule. The place is
 * checked by the text found there (the token the error points at), not only by numbers.
 */
import { describe, expect, it } from "vitest";
import { classifyBindings, resolveChoices, resolveParams, resolveSizes } from "../../src/ir/bind.ts";
import { prepareProgram } from "../../src/ir/interpret.ts";
import { compileModel, drawRuns, type RunRequest } from "../../src/ir/model.ts";
import { parseRuleFile } from "../../src/rules/load.ts";
import { MAX_NESTING } from "../../src/rules/network/depth.ts";
import { MAX_DEPTH } from "../../src/rules/network/parse-matrix-expr.ts";
import { parseNetworkRule } from "../../src/rules/network/parse-network-rule.ts";
import { RuleError } from "../../src/rules/rule-error.ts";
import { LearndynError } from "../../src/util/errors.ts";

/** A valid rule; line k of the file is BASE[k - 1]. */
const BASE = [
  "rule t",
  "sizes M = 3, N = 2, P = 4, Q = 2, S = 2",
  "params lr = 0.1, alpha = 0.5, scale = 1",
  "teacher V[1,M] ~ normal(sd = 1)",
  "input x[M] ~ normal(sd = 1)",
  "target y = V x",
  "samples train P, test Q",
  "random s[M] ~ signs(alpha)",
  "state W[1,M] ~ normal(sd = scale/sqrt(M))",
  "e = W x - y",
  "d/dt W = -mean(e x') diag(s)",
  "error = mean(e^2)",
  "minibatch S",
  "learning-rate lr",
];

/** BASE with line `line` replaced (an empty string blanks it, keeping the numbering). */
function withLine(line: number, text: string, lines: readonly string[] = BASE): string[] {
  return lines.map((l, k) => (k === line - 1 ? text : l));
}

/** Parses, compiles and draws one run; returns the error that refuses the rule. */
function refusal(lines: readonly string[], request: RunRequest = { seed: 1 }): RuleError {
  try {
    const parsed = parseRuleFile(lines.join("\n"), "t.rule");
    if (parsed.kind !== "network") throw new Error("read as a scalar rule");
    drawRuns(compileModel(parsed.rule), [request]);
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error(`the rule was accepted:\n${lines.join("\n")}`);
}

/** The text of the file from (line, column) to the end of that line. */
function textAt(lines: readonly string[], e: RuleError): string {
  return lines
    .join("\n")
    .split("\n")
    [e.line - 1]!.slice(e.column - 1);
}

/** Asserts the refusal's place (by the text there) and message; the message starts with file:line:column. */
function expectRefused(
  lines: readonly string[],
  at: { line: number; text: string; column?: number },
  message: RegExp,
  request?: RunRequest,
) {
  const e = refusal(lines, request);
  expect(e.message.startsWith(`t.rule:${e.line}:${e.column}: `)).toBe(true);
  expect(e.reason).toMatch(message);
  expect(e.line).toBe(at.line);
  const there = textAt(lines, e);
  expect(there.startsWith(at.text), `error at ${e.line}:${e.column} points at "${there.slice(0, 40)}"`).toBe(
    true,
  );
  if (at.column !== undefined) expect(e.column).toBe(at.column);
}

describe("the valid base rule", () => {
  it("compiles and draws, so each case below fails for its one change", () => {
    const parsed = parseNetworkRule(BASE.join("\n"), "t.rule");
    const [run] = drawRuns(compileModel(parsed), [{ seed: 1 }]);
    expect(run!.states[0]!.length).toBe(3);
  });
});

describe("shapes", () => {
  it("names both shapes of a mismatched product, at the second factor", () => {
    expectRefused(
      withLine(10, "e = W V - y"),
      { line: 10, text: "V - y" },
      /shape mismatch in the product W times V: \[1,M\] times \[1,M\] \(M columns against 1 rows\)/,
    );
  });
  it("names both shapes of a mismatched sum", () => {
    expectRefused(
      withLine(10, "e = W - x"),
      { line: 10, text: "- x" },
      /shape mismatch in "-": \[1,M\] and \[M,1\]/,
    );
  });
  it("refuses an undeclared size at its place in the shape", () => {
    expectRefused(
      withLine(9, "state W[1,K] ~ normal(sd = 1)"),
      { line: 9, text: "K]" },
      /undeclared size "K" in the shape of W \(sizes: M, N, P, Q, S; declare it/,
    );
  });
  it("refuses an update of another shape than its state", () => {
    expectRefused(
      withLine(11, "d/dt W = -mean(e x)"),
      { line: 11, text: "W =" },
      /the update of W is \[M,1\], but W is \[1,M\]/,
    );
  });
  it("refuses a division by a matrix", () => {
    expectRefused(
      withLine(10, "e = W x / V - y"),
      { line: 10, text: "/ V" },
      /"\/" divides by a 1 x 1 value, but V is \[1,M\]: use "\.\/"/,
    );
  });
});

describe("declarations", () => {
  it("refuses a state without an update, at the state", () => {
    expectRefused(
      withLine(11, ""),
      { line: 9, text: "W[1,M]" },
      /no update for state "W" \(add "d\/dt W = \.\.\."\)/,
    );
  });
  it("refuses a name declared twice, naming the first declaration", () => {
    expectRefused(
      withLine(3, "params lr = 0.1, alpha = 0.5, scale = 1, lr = 2"),
      { line: 3, text: "lr = 2" },
      /"lr" is declared twice \(first as a param at 3:8\)/,
    );
    expectRefused(
      withLine(10, "W = W x - y"),
      { line: 10, text: "W = W" },
      /"W" is declared twice \(first as a state at 9:7\)/,
    );
    expectRefused(
      [...BASE, "d/dt W = -mean(e x')"],
      { line: 15, text: "W =" },
      /second update of "W" \(first at line 11\)/,
    );
    expectRefused(
      [...BASE, "samples train P, test Q"],
      { line: 15, text: "samples" },
      /second "samples" line \(first at line 7\)/,
    );
    expectRefused([...BASE, "rule u"], { line: 15, text: "rule u" }, /second "rule" line/);
  });
  it("refuses a parameter's default that uses itself or a later parameter", () => {
    expectRefused(
      withLine(3, "params lr = alpha / 5, alpha = 0.5, scale = 1"),
      { line: 3, text: "alpha / 5" },
      /the default of lr uses "alpha", declared after it: a default may use numbers, sizes and earlier parameters/,
    );
    expectRefused(
      withLine(3, "params lr = 0.1, alpha = alpha, scale = 1"),
      { line: 3, text: "alpha, scale" },
      /the default of alpha uses itself/,
    );
    expect(() =>
      parseNetworkRule(withLine(3, "params lr = 0.1, alpha = lr * M, scale = alpha").join("\n")),
    ).not.toThrow();
  });
  it("refuses words of the language as names", () => {
    expectRefused(
      withLine(3, "params lr = 0.1, alpha = 0.5, scale = 1, mean = 2"),
      { line: 3, text: "mean" },
      /"mean" is a word of the rule language/,
    );
  });
  it("refuses a flow and a map in one rule", () => {
    expectRefused(
      [...BASE, "state b ~ zeros", "b' = b"],
      { line: 16, text: "b' = b" },
      /update of a map in a rule whose first update \(line 11\) is a flow/,
    );
  });
  it("refuses an update of something that is not a state", () => {
    expectRefused(
      [...BASE, "d/dt V = V"],
      { line: 15, text: "V = V" },
      /update of "V", which is a teacher \(declared at 4:9\); states: W/,
    );
  });
  it("refuses a minibatch that does not divide the training set, at the minibatch line", () => {
    expectRefused(
      withLine(13, "minibatch 3"),
      { line: 13, text: "minibatch" },
      /the minibatch \(3 samples\) must divide the 4 training samples/,
    );
  });
  it("refuses a flow without a learning rate when it is compiled", () => {
    expectRefused(withLine(14, ""), { line: 11, text: "W =" }, /a flow needs a "learning-rate" line/);
  });
  it("refuses sizes defined in a circle and sizes beyond MAX_SIZE", () => {
    expectRefused(
      withLine(2, "sizes M = 3, N = 2, P = Q, Q = P, S = 2"),
      { line: 2, text: "P = Q" },
      /sizes defined in a circle: P = Q = P/,
    );
    expectRefused(
      withLine(2, "sizes M = 3000000, N = 2, P = 4, Q = 2, S = 2"),
      { line: 2, text: "3000000" },
      /the default of a size is 3000000, larger than the largest size accepted \(1000000\)/,
    );
  });
  it("refuses a tensor with more entries than MAX_ENTRIES even when each size is accepted", () => {
    const lines = [
      ...withLine(2, "sizes M = 3, N = 2, P = 4, Q = 2, S = 2, K = 1000000"),
      "random R[K,K] ~ zeros",
    ];
    expectRefused(
      lines,
      { line: 15, text: "R[K,K]" },
      /R would hold 1000000 x 1000000 = 1000000000000 entries \(7.28 TiB in float64\), more than the 134217728 a tensor may have/,
    );
    const inputs = withLine(2, "sizes M = 1000, N = 2, P = 200000, Q = 2, S = 2");
    expectRefused(
      inputs,
      { line: 5, text: "x[M]" },
      /x would hold 1000 x 1 x 200000 samples = 200000000 entries/,
    );
  });
});

describe("names and functions", () => {
  it("refuses an unknown name, listing the known ones", () => {
    expectRefused(
      withLine(10, "e = W z - y"),
      { line: 10, text: "z - y" },
      /unknown name "z" \(known: V, s, x, W, y, e, M, N, P, Q, S, lr, alpha, scale\)/,
    );
  });
  it("refuses an unknown function, listing the functions", () => {
    expectRefused(
      withLine(10, "e = W foo(x) - y"),
      { line: 10, text: "foo(x)" },
      /unknown function "foo" \(elementwise: linear, tanh, relu, sigmoid, exp, log, sqrt, abs; also mean, sum, diag\)/,
    );
  });
  it("refuses a tensor called as a function and a function used as a value", () => {
    expectRefused(
      withLine(10, "e = W tanh - y"),
      { line: 10, text: "tanh" },
      /"tanh" is a function: call it/,
    );
    expectRefused(
      withLine(10, "e = sum(W, x) - y"),
      { line: 10, text: "sum(" },
      /sum takes one argument, found 2/,
    );
  });
  it("refuses a choice used where it is not: a law as a value, a function as a law", () => {
    const withChoices = [...BASE, "choice f = tanh | relu", "choice g = normal | uniform"];
    expectRefused(
      withLine(10, "e = W x - y + g", withChoices),
      { line: 10, text: "g" },
      /"g" is a choice of laws: it can only follow "~"/,
    );
    expectRefused(
      withLine(10, "e = W x - y + f", withChoices),
      { line: 10, text: "f" },
      /"f" is a choice of functions: call it, e\.g\. f\(x\)/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ f(sd = 1)", withChoices),
      { line: 9, text: "f(sd" },
      /"f" is a choice of functions, not of laws/,
    );
  });
  it("points at the right line of an expression continued over lines", () => {
    expectRefused(
      withLine(11, "d/dt W = -mean(e\n  x') diag(z)"),
      { line: 12, text: "z)" },
      /unknown name "z"/,
    );
  });
  it("refuses a target that uses a state", () => {
    expectRefused(
      withLine(6, "target y = W x"),
      { line: 6, text: "W x" },
      /target refers to the state "W": targets are computed once, from teachers and inputs/,
    );
  });
});

describe("samples", () => {
  it("refuses mean of a value that does not vary over samples", () => {
    expectRefused(
      withLine(11, "d/dt W = -mean(W)"),
      { line: 11, text: "mean(W)" },
      /mean\(\.\.\.\) averages over samples, but W does not vary over samples/,
    );
  });
  it("refuses an update that varies over samples", () => {
    expectRefused(
      withLine(11, "d/dt W = -e x'"),
      { line: 11, text: "W =" },
      /the update of W varies over samples: average it over the minibatch with mean\(\.\.\.\)/,
    );
  });
  it("refuses an error that varies over samples", () => {
    expectRefused(
      withLine(12, "error = e^2"),
      { line: 12, text: "error" },
      /error varies over samples: average it with mean\(\.\.\.\)/,
    );
  });
});

describe("laws", () => {
  it("refuses unknown, missing, conflicting and repeated arguments", () => {
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(scale = 1)"),
      { line: 9, text: "scale = 1" },
      /normal has no argument "scale" \(arguments: sd, variance, mean\)/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ normal()"),
      { line: 9, text: "normal()" },
      /normal needs normal\(sd = \.\.\.\) or normal\(variance = \.\.\.\)/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(sd = 1, variance = 1)"),
      { line: 9, text: "normal(" },
      /normal needs normal\(sd = \.\.\.\) or normal\(variance = \.\.\.\)/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(sd = 1, sd = 2)"),
      { line: 9, text: "sd = 2" },
      /argument "sd" given twice/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(1)"),
      { line: 9, text: "1)" },
      /arguments of normal are named, e\.g\. normal\(sd = 0\.1\)/,
    );
  });
  it("refuses a tensor in a law's argument and an unknown law", () => {
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(sd = x)"),
      { line: 9, text: "x)" },
      /"x" is a tensor; only numbers, sizes and parameters may appear here/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ gaussian(sd = 1)"),
      { line: 9, text: "gaussian" },
      /unknown law "gaussian" \(laws: normal, uniform, signs, zeros, identity, or a choice of laws\)/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ identity"),
      { line: 9, text: "identity" },
      /identity needs a square shape, but W is \[1,M\]/,
    );
  });
  it("refuses, when a run is drawn, a negative scale or an out-of-range fraction at the argument", () => {
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(sd = -1)"),
      { line: 9, text: "sd = -1" },
      /normal\(sd = -1\) for W: sd must be >= 0 \(a scale\)/,
    );
    expectRefused(
      BASE,
      { line: 9, text: "sd = scale" },
      /normal\(sd = -1\.1547005383792517\) for W: sd must be >= 0/,
      { seed: 1, params: { scale: -2 } },
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(variance = -scale)"),
      { line: 9, text: "variance" },
      /normal\(variance = -1\) for W: variance must be >= 0/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ uniform(sd = -scale)"),
      { line: 9, text: "sd = -scale" },
      /uniform\(sd = -1\) for W: sd must be >= 0/,
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ uniform(low = 1, high = 0)"),
      { line: 9, text: "high = 0" },
      /uniform\(high = 0\) for W: high must be >= low = 1/,
    );
    expectRefused(
      BASE,
      { line: 8, text: "alpha)" },
      /signs\(fraction = 1\.5\) for s: fraction must be in \[0, 1\]/,
      { seed: 1, params: { alpha: 1.5 } },
    );
    expectRefused(
      withLine(9, "state W[1,M] ~ normal(sd = 1/(scale - 1))"),
      { line: 9, text: "/(scale" },
      /argument "sd" of normal for W is Infinity, not a finite number/,
    );
  });
});

describe("syntax", () => {
  it("refuses unbalanced parentheses, naming the open one", () => {
    expectRefused(
      withLine(10, "e = (W x - y"),
      { line: 11, text: "=" },
      /expected "\)" to close the "\(" at 10:5, found "="/,
    );
    expectRefused(
      withLine(10, "e = W x - y)"),
      { line: 10, text: ")" },
      /unexpected "\)" after a complete expression/,
    );
  });
  it("refuses numbers outside float64's range and exponents outside [-64, 64]", () => {
    expectRefused(
      withLine(10, "e = W x - y * 1e400"),
      { line: 10, text: "1e400" },
      /number 1e400 is outside float64's range/,
    );
    expectRefused(
      withLine(3, "params lr = 0.1, alpha = 0.5, scale = 2e308"),
      { line: 3, text: "2e308" },
      /number 2e308 is outside float64's range/,
    );
    expectRefused(
      withLine(12, "error = mean(e^65)"),
      { line: 12, text: "65" },
      /exponent 65 is outside \[-64, 64\]/,
    );
    expectRefused(
      withLine(10, "e = W x - y * 1e-400"),
      { line: 10, text: "1e-400" },
      /number 1e-400 is below float64's smallest positive value \(about 4\.9e-324\): it would read as 0/,
    );
    expect(() =>
      parseNetworkRule(withLine(10, "e = W x - y * 0e-400 + 0.0 * 5e-324").join("\n")),
    ).not.toThrow();
  });
  it("refuses an unexpected character and a line that is nothing of the language", () => {
    expectRefused(withLine(10, "e = W x - y $"), { line: 10, text: "$" }, /unexpected character "\$"/);
    expectRefused(
      withLine(10, "forward W x"),
      { line: 10, text: "forward" },
      /expected a declaration \(rule, sizes, params/,
    );
  });
});

describe("nesting is bounded, never a stack overflow", () => {
  it("refuses parentheses, unary minus and calls nested deeper than MAX_DEPTH at the first level too deep", () => {
    const deep = (n: number) => withLine(10, `e = ${"(".repeat(n)}W x - y${")".repeat(n)}`);
    expect(() => parseNetworkRule(deep(MAX_DEPTH - 1).join("\n"))).not.toThrow();
    // The 257th level is refused: column 4 + 257 on "e = (((...".
    expectRefused(
      deep(100_000),
      { line: 10, text: "(", column: 4 + MAX_DEPTH + 1 },
      /expression nested deeper than 256 levels/,
    );
    expectRefused(
      withLine(10, `e = ${"-".repeat(100_000)}W x - y`),
      { line: 10, text: "-", column: 4 + MAX_DEPTH + 1 },
      /expression nested deeper than 256 levels/,
    );
    expectRefused(
      withLine(10, `e = ${"tanh(".repeat(10_000)}W x - y${")".repeat(10_000)}`),
      { line: 10, text: "(", column: 4 + 5 * (MAX_DEPTH + 1) },
      /nested deeper than 256 levels/,
    );
  });
  it("refuses chains of operators taller than MAX_DEPTH (sums, products, transposes)", () => {
    const chain = `e = W x - y${" + 0".repeat(100_000)}`;
    expectRefused(
      withLine(10, chain),
      { line: 10, text: "+ 0" },
      /nested deeper than 256 levels \(each operator of a chain such as a \+ b \+ c is a level\)/,
    );
    expectRefused(
      withLine(10, `e = W x - y${" 1".repeat(100_000)}`),
      { line: 10, text: "1" },
      /nested deeper than 256 levels/,
    );
    expectRefused(
      withLine(10, `e = (W x - y)${"''".repeat(100_000)}`),
      { line: 10, text: "'" },
      /nested deeper than 256 levels/,
    );
    expect(() =>
      parseNetworkRule(withLine(10, `e = W x - y${" + 0".repeat(MAX_DEPTH - 3)}`).join("\n")),
    ).not.toThrow();
  });
  it("bounds the nesting through chains of definitions, however many lines", () => {
    const chain = (n: number) =>
      [...withLine(10, "e0 = W x - y"), ...Array.from({ length: n }, (_, k) => `e${k + 1} = e${k} + 0`)].map(
        (l) =>
          l.startsWith("d/dt") ? `d/dt W = -mean(e${n} x') diag(s)` : l.replace("mean(e^2)", `mean(e${n}^2)`),
      );
    // Each definition ek = e(k-1) + 0 nests two levels over the last (the sum and the name).
    const fits = Math.floor((MAX_NESTING - 10) / 2);
    const model = compileModel(parseNetworkRule(chain(fits).join("\n"), "t.rule"));
    expect(model.compiled.step.nodes.length).toBeGreaterThan(0);
    const e = refusal(chain(20_000));
    expect(e.reason).toMatch(/nests deeper than 1024 levels with its definitions substituted/);
  });
  it("reads a file whose open parenthesis swallows 100 000 lines in linear time", () => {
    const lines = [
      ...BASE.slice(0, 9),
      "e = (W x - y",
      ...Array.from({ length: 100_000 }, () => "  + 0"),
      ...BASE.slice(10),
    ];
    const start = performance.now();
    // W x - y + 0 + ... reaches the height bound at the 254th "+", on line 10 + 254.
    expectRefused(lines, { line: 264, text: "+ 0" }, /nested deeper than 256 levels/);
    // Joining and tokenizing 700 kB is linear work (about a second on a slow machine); joining
    // by recounting the whole text at every line is quadratic, some 10^10 steps: minutes.
    expect(performance.now() - start).toBeLessThan(5000);
  });
  it("refuses definitions in a circle, naming the circle", () => {
    expectRefused(
      [...withLine(10, "e = f - y"), "f = g x", "g = e'"],
      { line: 16, text: "e'" },
      /"e" is defined in terms of itself \(e -> f -> g -> e\)/,
    );
    expectRefused(
      withLine(10, "e = e + 1"),
      { line: 10, text: "e + 1" },
      /"e" is defined in terms of itself/,
    );
  });
});

/**
 * The names plain JavaScript objects inherit (and __proto__, which assigns a prototype) must be
 * ordinary names: as sizes, parameters, choices, states and law arguments they compile, draw and
 * step exactly as the same rule with other names.
 */
describe("names that JavaScript objects inherit", () => {
  const ODD = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"];
  const rule = (names: { size: string; param: string; choice: string; state: string; def: string }) => `
rule odd
sizes ${names.size} = 3, N = 2, P = 4, Q = 2, S = 2
params lr = 0.1, ${names.param} = 0.5
choice ${names.choice} = tanh | relu
teacher V[1,${names.size}] ~ normal(sd = 1)
input x[${names.size}] ~ normal(sd = 1)
target y = V ${names.choice}(x)
samples train P, test Q
random s[${names.size}] ~ signs(${names.param})
state ${names.state}[1,${names.size}] ~ normal(sd = ${names.param}/sqrt(${names.size}))
${names.def} = ${names.state} ${names.choice}(x) - y
d/dt ${names.state} = -mean((${names.def} .* ${names.choice}'(${names.state} x)) x') diag(s)
error = mean(${names.def}^2)
minibatch S
learning-rate lr * ${names.param}
`;
  const stepOf = (text: string, bindings: Record<string, number | string>) => {
    const spec = parseNetworkRule(text, "odd.rule");
    const b = classifyBindings(spec, bindings);
    const model = compileModel(spec, b);
    const [run] = drawRuns(model, [{ seed: 3, params: b.params! }]);
    const c = model.compiled;
    const out = prepareProgram(c.step).run({
      states: run!.states,
      fixed: run!.fixed,
      params: run!.params,
      data: run!.train.map((d) => d.subarray(0, (d.length / 4) * 2)),
    });
    return {
      sizes: Object.entries(c.sizes),
      choices: Object.entries(c.choices),
      params: Array.from(run!.params),
      step: Array.from(out[0]!),
    };
  };
  it.each(
    ODD.map((n, k) => [
      n,
      ODD[(k + 1) % ODD.length]!,
      ODD[(k + 2) % ODD.length]!,
      ODD[(k + 3) % ODD.length]!,
      ODD[(k + 4) % ODD.length]!,
    ]),
  )("size %s, parameter %s, choice %s, state %s, definition %s behave as ordinary names", (size, param, choice, state, def) => {
    const plain = stepOf(rule({ size: "M", param: "a", choice: "f", state: "W", def: "e" }), {
      M: 4,
      a: 0.25,
      f: "relu",
    });
    const odd = stepOf(rule({ size, param, choice, state, def }), {
      [size]: 4,
      [param]: 0.25,
      [choice]: "relu",
    });
    expect(odd.step).toEqual(plain.step);
    expect(odd.params).toEqual(plain.params);
    expect(odd.sizes.map(([, v]) => v)).toEqual(plain.sizes.map(([, v]) => v));
    expect(odd.sizes[0]![0]).toBe(size);
    expect(odd.choices).toEqual([[choice, "relu"]]);
  });
  it("are refused by name where they are not declared, never read from Object.prototype", () => {
    const spec = parseNetworkRule(BASE.join("\n"), "t.rule");
    for (const name of ODD) {
      expect(() => resolveSizes(spec, { [name]: 3 })).toThrow(/must be one of the sizes M, N, P, Q, S/);
      expect(() => resolveParams(spec, resolveSizes(spec), { [name]: 3 })).toThrow(
        /must be one of the parameters lr, alpha, scale/,
      );
      expect(() => resolveChoices(spec, { [name]: "tanh" })).toThrow(/must be one of the choices \(none\)/);
      expect(() => classifyBindings(spec, { [name]: 1 })).toThrow(LearndynError);
      expectRefused(
        withLine(10, `e = W x - y + ${name}`),
        { line: 10, text: name },
        new RegExp(`unknown name "${name}"`),
      );
      expectRefused(
        withLine(9, `state W[1,M] ~ normal(sd = 1, ${name} = 2)`),
        { line: 9, text: name },
        new RegExp(`normal has no argument "${name}"`),
      );
      expectRefused(
        withLine(9, `state W[1,M] ~ ${name}(sd = 1)`),
        { line: 9, text: name },
        new RegExp(`unknown law "${name}"`),
      );
    }
  });
});
