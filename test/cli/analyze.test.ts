import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { demoSteps } from "../../src/cli/commands/demo.ts";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/rules/${name}`, import.meta.url));

describe("learndyn analyze", () => {
  it("prints one JSON object with the documented fields for the curl toy", async () => {
    const c = capture();
    expect(await main(["analyze", "curl-toy", "--json"], c.io)).toBe(0);
    const r = JSON.parse(c.out.join(""));
    expect(r.rule).toBe("curl-toy");
    expect(r.states).toEqual(["w1", "w2"]);
    expect(r.params).toEqual({ s: 1 });
    expect(r.jacobian).toEqual([
      ["-w2^2", "-2*w1*w2 + s"],
      ["2*w1*w2 - s", "w1^2"],
    ]);
    expect(r.charpoly).toBe("lambda^2 + (-w1^2 + w2^2)*lambda + (3*w1^2*w2^2 - 4*s*w1*w2 + s^2)");
    expect(r.invariants).toEqual(["w1^2 + w2^2"]);
    expect(r.gradient.isGradient).toBe(false);
    const origin = r.fixedPoints.find((f: { point?: unknown }) => f.point);
    expect(origin).toMatchObject({
      point: { w1: "0", w2: "0" },
      eigenvalues: ["-i*s", "i*s"],
      class: "center",
    });
    const family = r.fixedPoints.find((f: { family?: unknown }) => f.family);
    expect(family).toMatchObject({ family: "w1*w2 = s", eigenvalues: ["0", "w1^2 - w2^2"] });
  });

  it("gives the potential of a gradient rule in the JSON", async () => {
    const c = capture();
    expect(await main(["analyze", "gradient-toy", "--json"], c.io)).toBe(0);
    expect(JSON.parse(c.out.join("")).gradient).toEqual({
      isGradient: true,
      of: "f",
      potential: "1/2*w1^2*w2^2 - s*w1*w2",
    });
  });

  it("reads a rule file and prints a readable report", async () => {
    const c = capture();
    expect(await main(["analyze", fixture("oja.rule")], c.io)).toBe(0);
    const text = c.out.join("\n");
    expect(text).toMatch(/rule oja-scalar \(map; Oja/);
    // w' = w + eta (w - w^3): fixed points 0 (multiplier 1 + eta: unstable) and ±1 (1 - 2 eta: stable)
    expect(text).toMatch(/point \(0\)\n\s+class: unstable node\n\s+eigenvalues: eta \+ 1/);
    expect(text).toMatch(/point \(1\)\n\s+class: stable node\n\s+eigenvalues: -2\*eta \+ 1/);
  });

  it("refuses bad input with exit code 2 and the place of the error", async () => {
    const c = capture();
    expect(await main(["analyze", fixture("bad.rule")], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/bad.rule:3:15: unknown variable "s" in the equation for "w1"/);
    const d = capture();
    expect(await main(["analyze", "no-such-rule"], d.io)).toBe(2);
    expect(d.err.join("")).toMatch(/must be a built-in rule \(gradient-toy, curl-toy/);
    const e = capture();
    expect(await main(["analyze", "curl-toy", "--degree", "0"], e.io)).toBe(2);
    expect(e.err.join("")).toMatch(/"--degree" must be an integer >= 1/);
    const f = capture();
    expect(await main(["analyze"], f.io)).toBe(2);
    expect(f.err.join("")).toMatch(/exactly one rule file or built-in name/);
  });
});

describe("learndyn demo", () => {
  it("runs its named steps and writes out/curl-toy.json", async () => {
    expect(demoSteps.map((s) => s.name)).toContain("analysis of curl-toy");
    const dir = mkdtempSync(join(tmpdir(), "learndyn-demo-"));
    try {
      const c = capture();
      expect(await main(["demo", "--out", dir], c.io)).toBe(0);
      const r = JSON.parse(readFileSync(join(dir, "curl-toy.json"), "utf8"));
      expect(r.invariants).toEqual(["w1^2 + w2^2"]);
      expect(c.out.join("\n")).toMatch(/step 1\/\d+: analysis of curl-toy/);
      const sep = JSON.parse(readFileSync(join(dir, "curl-toy-separatrix.json"), "utf8"));
      expect(sep.separatrix).toBe("w1^2 + w2^2 = 2*s");
      expect(sep.agreesWithPaper).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
