import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writePhaseDiagram } from "../../src/report/phase-diagram.ts";
import { writeSpectrumFigure } from "../../src/report/spectrum-figure.ts";

describe("phase and spectrum figures", () => {
  it("writes the map as JSON, CSV, SVG and PNG with the boundary drawn on a log c axis", () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-fig-"));
    const d = writePhaseDiagram(dir, "hidden", { nc: 30, nalpha: 11, boundaryAlphas: [0.2, 0.6, 1] });
    for (const f of d.files) expect(existsSync(f)).toBe(true);
    const csv = readFileSync(join(dir, "phase-hidden.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("c,alpha,lowerEdge,stable");
    expect(csv).toHaveLength(1 + 30 * 11);
    const svg = readFileSync(join(dir, "phase-hidden.svg"), "utf8");
    for (const text of ["stable", "unstable", "boundary c*(α)", "c = M/N (log scale)"])
      expect(svg).toContain(text);
    // The PNG starts with its 8-byte signature.
    expect(readFileSync(join(dir, "phase-hidden.png")).subarray(1, 4).toString()).toBe("PNG");
  });

  it("writes the density-versus-sample figure", () => {
    const dir = mkdtempSync(join(tmpdir(), "learndyn-fig-"));
    const s = writeSpectrumFigure(dir, "spec", { c: 0.5, alphaH: 0.3, alphaR: 0 }, 150, 3);
    for (const f of s.files) expect(existsSync(f)).toBe(true);
    expect(s.lowerEdge).not.toBeNull();
  });
});
