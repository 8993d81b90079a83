/**
 * `learndyn spectrum FILE.matrix` on a non-self-adjoint expression: the elliptic law through the
 * text form (rules/spectra/elliptic.matrix, a S + b G with τ = a², a² + b² = 1), its spectral
 * abscissa 1 + τ and density 1/(π(1 − τ²)), the files of --out, and the refusals.
 * Tolerances as argued in test/spectra/free/brown-measure.test.ts: the support boundary by
 * bisection with the support test sharp to ε^{2/3} ≈ 2e-7, so 1e-6; the density by central
 * differences, O(h²) + O(ε/h) = 1e-8 + 1e-5, so 1e-4 relative at a point whose distance to the
 * boundary is far above h = 1e-4.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const FILE = "rules/spectra/elliptic.matrix";

describe("learndyn spectrum FILE.matrix, not self-adjoint: the Brown measure", () => {
  it("elliptic law at τ = 0.3 (--set): abscissa 1 + τ, density 1/(π(1 − τ²)) inside, files written", async () => {
    const tau = 0.3;
    const dir = mkdtempSync(join(tmpdir(), "learndyn-brown-"));
    const r = await run([
      "spectrum",
      FILE,
      "--set",
      `a=${Math.sqrt(tau)}`,
      "--set",
      `b=${Math.sqrt(1 - tau)}`,
      "--grid",
      "9",
      "--out",
      dir,
      "--json",
    ]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.selfAdjoint).toBe(false);
    expect(Math.abs(j.spectralAbscissa - (1 + tau))).toBeLessThan(1e-6);
    expect(j.spectralAbscissaAt.im[0]).toBe(0);
    expect(Math.abs(j.extent.re[0] + (1 + tau))).toBeLessThan(1e-6);
    expect(j.stableAsJacobian).toBe(false);
    expect(j.stableAsNegativeJacobian).toBe(false);
    // Column crossings of the top of the ellipse (semi-axis 1 − τ): a lower bound, exact on the
    // middle column (re = 0 is a cell centre of an odd grid) to the bisection tolerance.
    expect(Math.abs(j.extent.imMax - (1 - tau))).toBeLessThan(j.boundaryTolerance + 1e-6);
    const rho = 1 / (Math.PI * (1 - tau * tau));
    const { re, im, density, inSupport } = j.grid;
    expect(re).toHaveLength(9);
    let interior = 0;
    for (const [iy, y] of (im as number[]).entries())
      for (const [ix, x] of (re as number[]).entries()) {
        const q = (x / (1 + tau)) ** 2 + (y / (1 - tau)) ** 2;
        if (q < 0.8) {
          interior++;
          expect(inSupport[iy][ix]).toBe(true);
          expect(Math.abs(density[iy][ix] / rho - 1)).toBeLessThan(1e-4);
        }
        // Outside, ∂̄G vanishes (G is analytic there): what remains is the O(ε/h) = 1e-5 of the differences.
        if (q > 1.2) {
          expect(inSupport[iy][ix]).toBe(false);
          expect(density[iy][ix]).toBeLessThan(1e-4 * rho);
        }
      }
    expect(interior).toBeGreaterThan(4);
    for (const p of j.boundary)
      expect(Math.abs((p.re / (1 + tau)) ** 2 + (p.im / (1 - tau)) ** 2 - 1)).toBeLessThan(
        // The ellipse's level function changes by at most 2|λ|/(1 − τ)² per unit length near it.
        (4 * j.boundaryTolerance) / (1 - tau) ** 2 + 1e-5,
      );
    expect(j.files).toEqual([
      join(dir, "brown-elliptic.json"),
      join(dir, "brown-elliptic.svg"),
      join(dir, "brown-elliptic.png"),
    ]);
    expect(JSON.parse(readFileSync(j.files[0], "utf8")).spectralAbscissa).toBe(j.spectralAbscissa);
    const svg = readFileSync(j.files[1], "utf8");
    for (const label of ["Re λ", "Im λ", "density", "support boundary", "spectral abscissa"])
      expect(svg).toContain(label);
    expect([...readFileSync(j.files[2]).subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe(
      "PNG",
    );
  }, 60_000);

  it("refuses the options that make no sense here, naming them", async () => {
    const cases: [string[], RegExp][] = [
      [["--sample", "200"], /"--sample" must be absent with a non-self-adjoint expression/],
      [["--seed", "3"], /"--seed" must be absent with a non-self-adjoint expression/],
      [["--npz", "x.npz"], /"--npz" must be absent with an expression file/],
      [["--c", "0.5"], /"--c" must be absent with an expression file/],
      [["--grid", "500"], /"--grid" must be an integer from 3 to 101, received "500"/],
      [["--grid", "2"], /"--grid" must be an integer >= 3/],
    ];
    for (const [extra, message] of cases) {
      const r = await run(["spectrum", FILE, ...extra]);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(message);
    }
    const sa = await run(["spectrum", "rules/spectra/anticommutator.matrix", "--grid", "9"]);
    expect(sa.code).not.toBe(0);
    expect(sa.err).toMatch(/"--grid" must be given only with a non-self-adjoint expression/);
    const model = await run(["spectrum", "curl-descent", "--c", "0.5", "--grid", "9"]);
    expect(model.code).not.toBe(0);
    expect(model.err).toMatch(/"--grid" must be given only with a non-self-adjoint FILE.matrix/);
  });
});
