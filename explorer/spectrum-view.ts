/**
 * At a clicked point: the limiting spectral density of X (seed 001, eq. 98, by free convolution)
 * against the eigenvalues of one sampled X at a size the browser diagonalizes in well under a
 * second (M²N ≤ 1.5·10⁷ multiply-adds to form X).
 */
import * as Plot from "@observablehq/plot";
import { curlDescentSpectrum } from "../src/phase/curl-descent-law.ts";
import { sampleManifoldSpectrum } from "../src/phase/sampled-spectrum.ts";
import { freeSumAtoms, freeSumDensity } from "../src/spectra/free-convolution.ts";

/** Largest M with M³/c ≤ 1.5e7, at most 240. */
export function sampleSize(c: number): number {
  return Math.max(10, Math.min(240, Math.floor(Math.cbrt(1.5e7 * c))));
}

export function drawSpectrum(c: number, alphaH: number, alphaR: number, seed: number): HTMLElement | SVGSVGElement {
  const p = { c, alphaH, alphaR };
  const M = sampleSize(c);
  const sample = sampleManifoldSpectrum(p, M, seed);
  const eig = Array.from(sample.eigenvalues);
  const lo = Math.min(...eig);
  const hi = Math.max(...eig);
  const pad = 0.05 * (hi - lo || 1);
  const law = curlDescentSpectrum(p);
  const xs = Array.from({ length: 400 }, (_, k) => lo - pad + ((hi - lo + 2 * pad) * k) / 399);
  const density = xs.map((x) => ({ x, y: freeSumDensity(law, x) }));
  const atoms = freeSumAtoms(law).filter((a) => a.mass > 1e-9);
  return Plot.plot({
    width: 560,
    height: 260,
    x: { label: "eigenvalue of X" },
    y: { label: "density", grid: true },
    caption: `sampled X at M = ${M}, N = ${sample.N} (histogram) and the limiting density (line)${atoms.length ? `; atoms: ${atoms.map((a) => `${a.mass.toFixed(3)} at ${a.location.toFixed(3)}`).join(", ")}` : ""}`,
    marks: [
      Plot.rectY(histogram(eig, xs[0]!, xs.at(-1)!, 40), { x1: "x1", x2: "x2", y: "density", fill: "#bbb", insetLeft: 0.5 }),
      Plot.line(density, { x: "x", y: "y", stroke: "#1f4e9e", strokeWidth: 2 }),
      Plot.ruleX(atoms, { x: "location", stroke: "#c33", strokeWidth: 2 }),
      Plot.ruleX([0], { stroke: "black", strokeDasharray: "3 3" }),
      Plot.ruleY([0]),
    ],
  });
}

/** Empirical density on `bins` equal bins of [a, b]: count / (n · width). */
function histogram(values: number[], a: number, b: number, bins: number): { x1: number; x2: number; density: number }[] {
  const w = (b - a) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - a) / w)))]!++;
  return counts.map((n, k) => ({ x1: a + k * w, x2: a + (k + 1) * w, density: n / (values.length * w) }));
}
