import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("learndyn continue, portrait, lyapunov", () => {
  it("continue: the pitchfork at mu = 0 with its closed-form branches, as JSON", async () => {
    const c = capture();
    expect(
      await main(["continue", "rules/reference/pitchfork.rule", "--param", "mu=-1:1", "--json"], c.io),
    ).toBe(0);
    const d = JSON.parse(c.out.join(""));
    expect(d.bifurcations.map((b: { kind: string }) => b.kind)).toEqual(["pitchfork"]);
    expect(d.symbolic.branches).toEqual([
      "x = 0",
      "x = sqrt(mu) where mu >= 0",
      "x = -sqrt(mu) where mu >= 0",
    ]);
  });

  it("continue: refuses a missing or doubled range and an unknown parameter, naming the option", async () => {
    for (const args of [
      ["--param", "mu=1"],
      ["--param", "mu=1:0"],
      ["--param", "mu=-1:1", "--param", "mu2=0:1"],
    ]) {
      const c = capture();
      expect(await main(["continue", "rules/reference/pitchfork.rule", ...args], c.io)).toBe(2);
      expect(c.err.join("")).toMatch(/--param/);
    }
  });

  it("portrait: writes the PNG, SVG and JSON of the curl toy and names the separatrix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "portrait-"));
    try {
      const c = capture();
      expect(await main(["portrait", "curl-toy", "--x=-2:2", "--y=-2:2", "--out", dir], c.io)).toBe(0);
      expect(c.out.join("")).toMatch(/separatrix w1\^2 \+ w2\^2 = 2\.0000/);
      for (const ext of ["png", "svg", "json"])
        expect(statSync(join(dir, `curl-toy-portrait.${ext}`)).size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("lyapunov: the Hénon map's spectrum sums to log b", async () => {
    const c = capture();
    expect(
      await main(
        ["lyapunov", "rules/reference/henon.rule", "--from", "x=0,y=0", "--time", "20000", "--json"],
        c.io,
      ),
    ).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(Math.abs(r.sum - Math.log(0.3))).toBeLessThan(1e-10);
    expect(r.exponents[0]).toBeGreaterThan(0.4);
  });

  it("lyapunov: a network flow rule's leading exponents through its JVP", async () => {
    const c = capture();
    const sizes = ["M=2", "N=3", "P=6", "Q=4", "S=6"].flatMap((a) => ["--set", a]);
    expect(await main(["lyapunov", "urfb", ...sizes, "--time", "1", "--count", "2", "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.dimension).toBe(12);
    expect(r.exponents).toHaveLength(2);
    for (const e of r.exponents) expect(Number.isFinite(e)).toBe(true);
  });

  it("--param: one reading for every command on scalar rules, fractions exact, bad names and values refused", async () => {
    // continue: another parameter's value as a fraction (the Hénon map's b = 3/10)
    const c = capture();
    expect(
      await main(
        ["continue", "rules/reference/henon.rule", "--param", "a=0:0.3", "--param", "b=3/10", "--json"],
        c.io,
      ),
    ).toBe(0);
    expect(JSON.parse(c.out.join("")).range).toEqual([0, 0.3]);
    // lyapunov: b = 3/10 read as 0.3 (the sum of the exponents is log b)
    const l = capture();
    expect(
      await main(
        [
          "lyapunov",
          "rules/reference/henon.rule",
          "--param",
          "b=3/10",
          "--from",
          "x=0,y=0",
          "--time",
          "2000",
          "--json",
        ],
        l.io,
      ),
    ).toBe(0);
    expect(Math.abs(JSON.parse(l.out.join("")).sum - Math.log(0.3))).toBeLessThan(1e-10);
    // report: the scalar rule's analysis at the value given
    const reportDir = mkdtempSync(join(tmpdir(), "report-"));
    try {
      const r = capture();
      const args = ["report", "rules/reference/pitchfork.rule", "--param", "mu=1/4", "--out", reportDir];
      expect(await main([...args, "--no-simulate"], r.io)).toBe(0);
      const analysis = JSON.parse(readFileSync(join(reportDir, "pitchfork-analysis.json"), "utf8"));
      expect(analysis.params).toEqual({ mu: 0.25 });
    } finally {
      rmSync(reportDir, { recursive: true });
    }
    // every command refuses an unknown name, a repeated name, a non-number and a range where it
    // takes none, naming --param
    const dir = mkdtempSync(join(tmpdir(), "portrait-"));
    try {
      for (const [command, extra] of [
        ["analyze", []],
        ["portrait", ["--out", dir]],
        ["lyapunov", ["--time", "10"]],
        ["continue", ["--param", "a=0:1"]],
        ["report", ["--out", dir, "--no-simulate"]],
      ] as const) {
        const bads = [
          ["q=1"],
          ["b=1", "b=2"],
          ["b=one"],
          ["b=1e999"],
          ...(command === "continue" ? [] : [["b=0:1"]]),
        ];
        for (const bad of bads) {
          const e = capture();
          const args = [
            command,
            "rules/reference/henon.rule",
            ...extra,
            ...bad.flatMap((t) => ["--param", t]),
          ];
          expect(await main(args, e.io), args.join(" ")).toBe(2);
          expect(e.err.join(""), args.join(" ")).toMatch(/--param/);
        }
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
