import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { empiricalPhaseDiagram } from "../../src/phase/empirical-diagram.ts";
import type { MergedRow, MergedSweep } from "../../src/phase/sweep/merge.ts";
import { writeEmpiricalPhaseDiagram } from "../../src/report/empirical-phase-diagram.ts";

/** A merged sweep built by hand: rows over (c, alphaH) at M + N = 20, two seeds each. */
function sweep(rows: Omit<MergedRow, "id">[]): MergedSweep {
  return {
    planHash: "hand-made",
    task: "student-teacher",
    complete: true,
    counts: { tasks: rows.length, ok: rows.length, failed: 0, missing: 0 },
    missing: [],
    code: [],
    rows: rows.map((r, id) => ({ id, ...r })),
  };
}

const row = (c: number, alphaH: number, seed: number, test: number, status: "ok" | "failed" = "ok") => ({
  seed,
  params: { c, alphaH, total: 20, epochs: 10 },
  status,
  values: {
    M: Math.round((20 * c) / (1 + c)),
    N: 20 - Math.round((20 * c) / (1 + c)),
    finalTestError: test,
    finalTrainError: test / 2,
    q: 0.1,
    lyapunov: null,
    backend: "cpu",
  },
});

describe("empiricalPhaseDiagram", () => {
  it("averages over seeds per cell, and a failed run leaves its cell without a value, counted", () => {
    const d = empiricalPhaseDiagram(
      sweep([
        row(0.5, 0, 0, 1e-6),
        row(0.5, 0, 1, 3e-6),
        row(2, 0, 0, 0.5),
        row(2, 0, 1, Number.NaN, "failed"),
        row(0.5, 1, 0, 0.2),
        row(0.5, 1, 1, 0.4),
        row(2, 1, 0, 1),
        row(2, 1, 1, 3),
      ]),
      "hidden",
    );
    expect(d.x).toEqual({ name: "c", values: [0.5, 2] });
    expect(d.y).toEqual({ name: "alpha", values: [0, 1] });
    expect(d.boundary!.total).toBe(20);
    expect(d.boundary!.layer).toBe("hidden");
    // Means of two doubles: exact up to one rounding of the sum and one of the halving.
    expect(d.cells.map((x) => x.meanTestError)).toEqual([(1e-6 + 3e-6) / 2, null, (0.2 + 0.4) / 2, 2]);
    expect(d.cells[1]).toMatchObject({
      runs: 2,
      failedRuns: 1,
      meanTestError: null,
      log10MeanTestError: null,
    });
    expect(d.cells[3]!.sdTestError).toBeCloseTo(Math.SQRT2, 15);
    expect(d.cells[0]!.meanLyapunov).toBeNull(); // not measured in these runs
    expect(d.counts).toEqual({ runs: 8, failedRuns: 1, cells: 4, noValueCells: 1 });
    expect(d.backends).toEqual({ cpu: 8 });
    expect(d.settings).toEqual({ total: 20, epochs: 10 });

    const dir = mkdtempSync(join(tmpdir(), "learndyn-empirical-files-"));
    try {
      const files = writeEmpiricalPhaseDiagram(dir, d, { sweepDir: "hand-made" });
      const json = JSON.parse(readFileSync(files.json, "utf8"));
      expect(json.counts).toEqual({ runs: 8, failedRuns: 1, cells: 4, noValueCells: 1 });
      expect(json.cells[1].meanTestError).toBeNull();
      expect(json.caveat).toMatch(/N → ∞ prediction.*M \+ N = 20/);
      expect(readFileSync(files.csv, "utf8").split("\n")[2]).toBe("2,0,13,7,2,1,,,,,,");
      expect(readFileSync(files.svg, "utf8")).toContain("no value");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses rows of another rule, or a flipped readout in a hidden-layer diagram", () => {
    const other = row(1, 0.5, 0, 0.1);
    expect(() =>
      empiricalPhaseDiagram(
        sweep([{ ...other, params: { ...other.params, rule: "gradient-descent" } }]),
        "hidden",
      ),
    ).toThrow(/parameter rule of task 0" must be "curl-descent", received "gradient-descent"/);
    expect(() =>
      empiricalPhaseDiagram(sweep([{ ...other, params: { ...other.params, alphaR: 0.5 } }]), "hidden"),
    ).toThrow(/alphaR of task 0" must be 0 for the hidden layer, received 0.5/);
    expect(() =>
      empiricalPhaseDiagram(sweep([{ ...other, params: { ...other.params, alphaR: 0.25 } }]), "both"),
    ).toThrow(/must be equal to alphaH \(0.5\) for both layers, received 0.25/);
  });
});
