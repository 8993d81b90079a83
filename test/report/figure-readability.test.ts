/**
 * What a reader trips on in a figure: crowded or mislabelled log axes, a clipped legend, error
 * bands of one colour, an atom of the law left out, a colour scale spent on rounding noise.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { empiricalPhaseDiagram } from "../../src/phase/empirical-diagram.ts";
import type { MergedSweep } from "../../src/phase/sweep/merge.ts";
import { empiricalPhaseFigure } from "../../src/report/empirical-phase-diagram.ts";
import { figureSvg } from "../../src/report/figure.ts";
import { decadeLabel, makeScale, ticks } from "../../src/report/scale.ts";
import { writeSpectrumFigure } from "../../src/report/spectrum-figure.ts";

const tmp = mkdtempSync(join(tmpdir(), "learndyn-figures-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const svgWidth = (svg: string) => Number(/<svg [^>]*width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);

describe("log axes", () => {
  it("label decades 10^k, exactly, about six labels over 31 decades, no decimal noise", () => {
    const t = ticks(makeScale([1e-30, 10], [0, 1], true));
    const labelled = t.filter((x) => x.label !== "");
    expect(labelled.length).toBeGreaterThanOrEqual(4);
    expect(labelled.length).toBeLessThanOrEqual(7);
    for (const x of labelled) {
      expect(x.label).toMatch(/^10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/);
      expect(Number.isInteger(Math.log10(x.value))).toBe(true);
    }
    // Decades only (no 2..9 minor marks) when there are this many.
    expect(t.every((x) => Number.isInteger(Math.log10(x.value)))).toBe(true);
    expect(t.map((x) => x.label).join(" ")).not.toMatch(/10e/);
    expect(decadeLabel(-5, 31)).toBe("10⁻⁵");
    expect(decadeLabel(-2, 3)).toBe("0.01");
  });

  it("stop at the floor of the data and mark it; values below are drawn on it", () => {
    const svg = figureSvg({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      yLog: true,
      yFloor: 1e-20,
      yFloorLabel: "float64 floor",
      series: [{ x: [0, 1, 2], y: [1, 1e-10, 1e-31], label: "error" }],
    });
    expect(svg).toContain("float64 floor");
    expect(svg).not.toMatch(/10⁻²[1-9]|10⁻³/);
    expect(svg).toContain("10⁻²⁰");
  });
});

describe("legends", () => {
  it("widen the figure to fit the longest label, keeping the plot's size", () => {
    const label = "readout flipped (α_r), a label longer than the side panel";
    const svg = figureSvg({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [{ x: [0, 1], y: [0, 1], label }],
    });
    const x = Number(/<text x="(\d+(?:\.\d+)?)" y="[^"]+">readout flipped/.exec(svg)![1]);
    // DejaVu Sans at 12 px: advances are below 0.62 em for these characters.
    expect(x + 0.62 * 12 * label.length).toBeLessThanOrEqual(svgWidth(svg));
    const plain = figureSvg({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [{ x: [0, 1], y: [0, 1], label: "a" }],
    });
    expect(svgWidth(plain)).toBe(720);
  });

  it("bands take their curve's colour, shaded and outlined, each in the legend", () => {
    const svg = figureSvg({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      bands: [
        { x: [1, 2], lower: [0, 0], upper: [1, 1], color: "#0072b2", label: "a ± sem" },
        { x: [1, 2], lower: [0.5, 0.5], upper: [2, 2], color: "#d55e00", label: "b ± sem" },
      ],
    });
    expect(svg.match(/<polygon [^>]*fill="#0072b2"/g)).toHaveLength(1);
    expect(svg.match(/<polygon [^>]*fill="#d55e00"/g)).toHaveLength(1);
    expect(svg.match(/<polyline [^>]*stroke="#d55e00"/g)).toHaveLength(2);
    for (const l of ["a ± sem", "b ± sem"]) expect(svg).toContain(l);
  });
});

describe("spectrum figure", () => {
  it("shows the atom the JSON reports, and no histogram bin beyond the plot", () => {
    const s = writeSpectrumFigure(tmp, "spectrum-both", { c: 3, alphaH: 0.2, alphaR: 0.3 }, 300, 7);
    const json = JSON.parse(readFileSync(s.files[0]!, "utf8"));
    expect(json.support.atoms).toHaveLength(1);
    const atom = json.atoms[0];
    expect(atom.mass).toBeCloseTo(json.support.atoms[0].mass, 12);
    // The sample's multiplicity there is a whole number of its M eigenvalues: within 1/M of the mass.
    expect(Math.abs(atom.sampleMass - atom.mass)).toBeLessThanOrEqual(1 / 300 + 1e-12);
    const svg = readFileSync(s.files[1]!, "utf8");
    expect(svg).toContain(`atom at ${atom.location.toPrecision(3)}: mass ${atom.mass.toPrecision(3)}`);
    const maxDensity = Math.max(...json.density.y);
    // Without the atom the histogram is the continuous part: on the density's scale.
    expect(Math.max(...json.histogram.y)).toBeLessThan(2 * maxDensity);
  });
});

describe("empirical map", () => {
  it("spends its colours on the six decades below the largest error", () => {
    const rows = [
      [0.5, 0, 1e-30],
      [2, 0, 0.3],
      [0.5, 1, 1e-3],
      [2, 1, 1],
    ].map(([c, alphaH, test], id) => ({
      id,
      seed: 0,
      params: { c: c!, alphaH: alphaH!, total: 20, epochs: 10 },
      status: "ok" as const,
      values: {
        M: 5,
        N: 15,
        finalTestError: test!,
        finalTrainError: test!,
        q: 0.1,
        lyapunov: null,
        backend: "cpu",
      },
    }));
    const merged: MergedSweep = {
      planHash: "h",
      code: [],
      task: "student-teacher",
      complete: true,
      counts: { tasks: 4, ok: 4, failed: 0, missing: 0 },
      missing: [],
      rows,
    };
    const fig = empiricalPhaseFigure(empiricalPhaseDiagram(merged, "hidden"));
    expect(fig.heatmap!.zRange).toEqual([-6, 0]);
    expect(figureSvg(fig)).toContain("below -6: darkest");
  });
});
