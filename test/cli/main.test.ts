import { describe, expect, it } from "vitest";
import { numberListOption, numberOption } from "../../src/cli/args.ts";
import { main } from "../../src/cli/main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("cli", () => {
  it("refuses an unknown command and lists the known ones", async () => {
    const c = capture();
    expect(await main(["frobnicate"], c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/unknown command "frobnicate"/);
  });

  it("parses numeric options with bounds and names the option in errors", () => {
    expect(numberOption("spectrum", "c", "0.5", { greaterThan: 0 })).toBe(0.5);
    expect(() => numberOption("spectrum", "c", "-1", { greaterThan: 0 })).toThrow(
      'spectrum: argument "--c" must be a number > 0, received "-1"',
    );
    expect(() => numberOption("x", "n", "2.5", { integer: true })).toThrow(/an integer/);
    expect(numberListOption("phase", "alphas", "0,0.5, 1", { min: 0, max: 1 })).toEqual([0, 0.5, 1]);
    expect(() => numberListOption("phase", "alphas", "0,1.5", { min: 0, max: 1 })).toThrow(/<= 1/);
  });
});
