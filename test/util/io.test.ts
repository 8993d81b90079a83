import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { toCsv, toJson, writeJson } from "../../src/util/io.ts";
import { formatProgress } from "../../src/util/progress.ts";

describe("io", () => {
  it("quotes CSV cells with commas, quotes and newlines, and blanks non-finite numbers", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          { a: 'x,"y"', b: Number.NaN },
          { a: 1.5, b: "z" },
        ],
      ),
    ).toBe('a,b\n"x,""y""",\n1.5,z\n');
  });

  it("quotes a CSV cell with a carriage return (a line break to RFC 4180 readers)", () => {
    expect(toCsv(["a", "b"], [{ a: "x\ry", b: "1" }])).toBe('a,b\n"x\ry",1\n');
  });

  it("writes JSON atomically with non-finite numbers as null and no temporary files left", () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-io-"));
    writeJson(join(dir, "sub", "r.json"), { x: Number.POSITIVE_INFINITY, y: [1, 2] });
    expect(JSON.parse(readFileSync(join(dir, "sub", "r.json"), "utf8"))).toEqual({ x: null, y: [1, 2] });
    expect(readdirSync(join(dir, "sub"))).toEqual(["r.json"]);
    expect(toJson(Number.NaN)).toBe("null");
  });

  it("formats progress with count, rate and ETA", () => {
    expect(formatProgress("sweep", 25, 100, 5)).toBe("sweep [######------------------] 25/100 5.0/s ETA 15s");
  });
});
