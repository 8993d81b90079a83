/**
 * The limiting density of X = ‖W2‖²D1 + W1ᵀD2W1 (free probability) drawn against the histogram
 * of a sampled matrix's eigenvalues, with the predicted lower edge and zero marked: the
 * finite-size cross-check of seed 001, appendix B.4, at a glance.
 */
import { join } from "node:path";
import {
  type CurlDescentParameters,
  curlDescentLowerEdge,
  curlDescentSpectrum,
} from "../phase/curl-descent-law.ts";
import { sampleManifoldSpectrum } from "../phase/sampled-spectrum.ts";
import { freeSumDensity } from "../spectra/free-convolution.ts";
import { spectralSupport } from "../spectra/support.ts";
import { writeJson } from "../util/io.ts";
import { type Figure, type Series, writeFigure } from "./figure.ts";

/** The spectrum figure and the numbers behind it (see {@link writeSpectrumFigure}). */
export interface SpectrumFigure {
  figure: Figure;
  data: SpectrumData;
}

/** The numbers behind a spectrum figure (the layout of its JSON file). */
export interface SpectrumData {
  parameters: Omit<CurlDescentParameters, "w2NormSquared">;
  M: number;
  N: number;
  seed: number;
  w2NormSquared: number;
  lowerEdge: number | null;
  smallestEigenvalue: number;
  support: ReturnType<typeof spectralSupport>;
  density: { x: number[]; y: number[] };
  histogram: { x: number[]; y: number[] };
}

/**
 * The predicted density on 600 points over the support (conditional on the sampled ‖W2‖²), the
 * histogram of a sample at M inputs (60 bins, normalized to a density; atoms show up as one tall
 * bin), the lower edge and x = 0.
 */
export function spectrumFigure(
  p: Omit<CurlDescentParameters, "w2NormSquared">,
  M: number,
  seed: number,
): SpectrumFigure {
  const sample = sampleManifoldSpectrum(p, M, seed);
  const given = { ...p, w2NormSquared: sample.w2NormSquared };
  const sum = curlDescentSpectrum(given);
  const support = spectralSupport(sum);
  const edge = curlDescentLowerEdge(given);
  const ev = sample.eigenvalues;
  const lo = Math.min(ev[0]!, ...support.edges.map((e) => e.x));
  const hi = Math.max(ev[ev.length - 1]!, ...support.edges.map((e) => e.x));
  const pad = 0.05 * (hi - lo);
  const xs = Array.from({ length: 600 }, (_, k) => lo - pad + ((hi - lo + 2 * pad) * (k + 0.5)) / 600);
  const density = xs.map((x) => freeSumDensity(sum, x));
  const bins = 60;
  const width = (hi - lo) / bins;
  const counts = new Array(bins).fill(0);
  for (const x of ev) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  const centres = counts.map((_, k) => lo + (k + 0.5) * width);
  const histogram = counts.map((n) => n / (ev.length * width));
  const data: SpectrumData = {
    parameters: p,
    M,
    N: sample.N,
    seed,
    w2NormSquared: sample.w2NormSquared,
    lowerEdge: edge.ok ? edge.edge : null,
    smallestEigenvalue: ev[0]!,
    support,
    density: { x: xs, y: density },
    histogram: { x: centres, y: histogram },
  };
  return { figure: spectrumFigureOf(data), data };
}

/** True for the document {@link writeSpectrumFigure} writes (a spectrum figure's data). */
export function isSpectrumData(json: unknown): json is SpectrumData {
  if (json === null || typeof json !== "object") return false;
  const d = json as Record<string, unknown>;
  const xy = (v: unknown) =>
    v !== null &&
    typeof v === "object" &&
    Array.isArray((v as { x?: unknown }).x) &&
    Array.isArray((v as { y?: unknown }).y);
  return xy(d.density) && xy(d.histogram) && typeof d.M === "number" && typeof d.parameters === "object";
}

/** The figure of a spectrum's data: density, histogram (clipped at 1.3 × the density's peak), x = 0 and the lower edge. */
export function spectrumFigureOf(d: SpectrumData): Figure {
  const p = d.parameters;
  const top = Math.max(...d.density.y) * 1.3;
  const vertical = (x: number, label: string, color: string): Series => ({
    x: [x, x],
    y: [0, top],
    label,
    color,
    dashed: true,
  });
  const series: Series[] = [
    {
      x: d.histogram.x,
      y: d.histogram.y.map((h) => Math.min(h, top)),
      label: `sample M = ${d.M}`,
      color: "#7f7f7f",
      markers: true,
      markersOnly: true,
    },
    { x: d.density.x, y: d.density.y, label: "theory", color: "#1f77b4" },
    vertical(0, "x = 0", "#000000"),
  ];
  if (d.lowerEdge !== null) series.push(vertical(d.lowerEdge, "lower edge", "#d62728"));
  return {
    title: `Spectrum of X on the manifold: c = ${p.c}, α_h = ${p.alphaH}, α_r = ${p.alphaR}`,
    xLabel: "eigenvalue x of X (Jacobian eigenvalue −x)",
    yLabel: "density",
    yRange: [0, top],
    series,
  };
}

/** Writes {@link spectrumFigure} as `<outDir>/<name>.{json,svg,png}`. */
export function writeSpectrumFigure(
  outDir: string,
  name: string,
  p: Omit<CurlDescentParameters, "w2NormSquared">,
  M: number,
  seed: number,
): { files: string[]; lowerEdge: number | null; smallestEigenvalue: number; w2NormSquared: number } {
  const { figure, data } = spectrumFigure(p, M, seed);
  const base = join(outDir, name);
  writeJson(`${base}.json`, data);
  const f = writeFigure(base, figure);
  return {
    files: [`${base}.json`, f.svg, f.png],
    lowerEdge: data.lowerEdge,
    smallestEigenvalue: data.smallestEigenvalue,
    w2NormSquared: data.w2NormSquared,
  };
}
