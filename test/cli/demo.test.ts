import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { curlToySeparatrixStep, demoCommand, demoSteps } from "../../src/cli/commands/demo.ts";
import { plainNumber } from "../../src/util/plain-number.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-demo-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => out.push(s) }, out };
}

/** Float64 rounding showing in the last digits: 6+ nines or zeros followed by a digit. */
const FLOAT_NOISE = /\d\.\d*(9{6,}|0{6,})\d/;

describe("learndyn demo", () => {
  it("prints the separatrix levels without float noise", async () => {
    const c = capture();
    await curlToySeparatrixStep.run({ outDir: tmp, io: c.io });
    const text = c.out.join("\n");
    expect(text).not.toMatch(FLOAT_NOISE);
    expect(text).toMatch(/s = 2: 4 at \(-?1\.41421356237, -?1\.41421356237\)/);
    expect(text).toMatch(/s = 3: 6 at/);
  });

  it("numbers every step header out of the number of steps", async () => {
    const saved = demoSteps.splice(0, demoSteps.length);
    try {
      for (const name of ["a", "b", "c", "d", "e"]) demoSteps.push({ name, run: () => {} });
      const c = capture();
      expect(await demoCommand.run(["--out", tmp], c.io)).toBe(0);
      const headers = c.out.filter((s) => s.includes("== step")).map((s) => s.trim());
      expect(headers).toEqual(["a", "b", "c", "d", "e"].map((n, k) => `== step ${k + 1}/5: ${n}`));
    } finally {
      demoSteps.splice(0, demoSteps.length, ...saved);
    }
  });

  it("plainNumber drops float64 rounding and keeps 12 significant digits", () => {
    expect(plainNumber(0.24999999999999997)).toBe("0.25");
    expect(plainNumber(4.000000000000001)).toBe("4");
    expect(plainNumber(Math.SQRT2)).toBe("1.41421356237");
    expect(plainNumber(1e-300)).toBe("1e-300");
    expect(plainNumber(Number.NaN)).toBe("NaN");
  });
});
