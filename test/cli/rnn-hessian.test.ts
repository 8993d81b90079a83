import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("learndyn rnn train / learndyn hessian", () => {
  it("trains, reports loss, metric, λ1 and Theorem 1 bounds as JSON, and the saved network's λ1 agrees", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-rnn-"));
    const net = join(dir, "net.json");
    const c = capture();
    const args = ["rnn", "train", "--task", "pattern", "--rule", "eprop", "--n", "10", "--T", "10"];
    const code = await main(
      [...args, "--steps", "40", "--lr", "0.003", "--seed", "0", "--json", "--out", net],
      c.io,
    );
    expect(code).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.rule).toBe("eprop");
    expect(r.history.length).toBeGreaterThan(2);
    expect(r.final.lambda1).toBeGreaterThan(0);
    expect(r.theorem1.stabilityBound).toBeCloseTo(2 * r.theorem1.printedBound, 12);
    const h = capture();
    const hc = await main(["hessian", "--net", net, "--top", "3", "--trace", "8", "--json"], h.io);
    expect(hc).toBe(0);
    const s = JSON.parse(h.out.join(""));
    expect(s.dimension).toBe(100);
    // Both runs stop at a relative eigenvalue change of 1e-6 (different start vectors): 1e-4 relative.
    expect(Math.abs(s.leading.eigenvalue - r.final.lambda1)).toBeLessThan(1e-4 * r.final.lambda1);
    expect(Math.abs(s.top.eigenvalues[0] - s.leading.eigenvalue)).toBeLessThan(1e-4 * s.leading.eigenvalue);
    expect(s.trace.standardError).toBeGreaterThan(0);
  });

  it("trains BPTT with the step length matched to MDGL with cell types", async () => {
    const c = capture();
    const args = [
      "rnn",
      "train",
      "--task",
      "dms",
      "--rule",
      "mdgl",
      "--match-step-length",
      "--n",
      "6",
      "--T",
      "6",
    ];
    expect(await main([...args, "--steps", "10", "--lr", "0.001", "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.rule).toBe("bptt matched to mdgl");
    expect(Number.isFinite(r.final.rho)).toBe(true);
    const d = capture();
    expect(
      await main(
        [
          "rnn",
          "train",
          "--task",
          "dms",
          "--rule",
          "mdgl",
          "--cell-types",
          "2",
          "--n",
          "6",
          "--T",
          "6",
          "--steps",
          "3",
          "--lr",
          "0.001",
        ],
        d.io,
      ),
    ).toBe(0);
  });

  it("bad input gives clear errors (exit code 2)", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["rnn", "train", "--task", "sine"],
        /"--task" must be one of pattern, dms, seqfashion, received "sine"/,
      ],
      [
        ["rnn", "train", "--task", "pattern", "--rule", "backprop"],
        /"--rule" must be one of bptt, eprop, rflo, mdgl/,
      ],
      [["rnn", "train", "--task", "pattern", "--n", "0"], /"--n" must be an integer >= 1, received "0"/],
      [["rnn", "train", "--task", "dms", "--T", "0"], /"--T" must be an integer >= 1, received "0"/],
      [
        ["rnn", "train", "--task", "seqfashion", "--data", "/nonexistent/fashion"],
        /apt-get install dataset-fashion-mnist/,
      ],
      [["rnn", "fit"], /argument "subcommand" must be "train"/],
      [["hessian", "--net", "/nonexistent/net.json"], /loadNetwork: argument "path"/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main(args, c.io)).toBe(2);
      expect(c.err.join("")).toMatch(message);
    }
  });

  it("refuses a parameter block that does not exist", async () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-rnn-"));
    const net = join(dir, "net.json");
    await main(
      [
        "rnn",
        "train",
        "--task",
        "pattern",
        "--n",
        "4",
        "--T",
        "5",
        "--steps",
        "2",
        "--lr",
        "0.001",
        "--out",
        net,
      ],
      capture().io,
    );
    const c = capture();
    expect(await main(["hessian", "--net", net, "--block", "bias"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/"block" must be one of input, recurrent, output, all, received "bias"/);
  });
});
