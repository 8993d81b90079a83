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
  /** The law's atoms with the sample's fraction of eigenvalues there (absent in older files). */
  atoms?: { location: number; mass: number; sampleMass: number }[];
}

/**
 * The predicted density on 600 points over the support (conditional on the sampled ‖W2‖²), the
 * sample's histogram of the eigenvalues off the atoms (60 bins, normalized to a density), each
 * atom of the law as a stem with its predicted and sampled mass, the lower edge and x = 0.
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
  // Eigenvalues at an atom of the law (an exact eigenvalue of large multiplicity, e.g. -‖W2‖²
  // or ‖W2‖² times a flipped fraction) are counted apart: in a histogram they would make one bin
  // of height mass / width, off the scale of the continuous part. Float64 eigenvalues of a
  // symmetric matrix of norm ‖X‖ are within about 1e3 ε ‖X‖ of exact; 1e-8 (1 + |x|) is far
  // above that and far below the spacing of the continuous part's eigenvalues (~1/M).
  const atoms = support.atoms.map((a) => {
    const near = (x: number) => Math.abs(x - a.location) <= 1e-8 * (1 + Math.abs(a.location));
    return { location: a.location, mass: a.mass, sampleMass: ev.filter(near).length / ev.length, near };
  });
  const continuous = ev.filter((x) => !atoms.some((a) => a.near(x)));
  const bins = 60;
  const width = (hi - lo) / bins;
  const counts = new Array(bins).fill(0);
  for (const x of continuous) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  const centres = counts.map((_, k) => lo + (k + 0.5) * width);
  // Normalized by all eigenvalues: the histogram estimates the continuous part of the density,
  // which is what `density` is (the atoms' mass is not in it).
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
    atoms: atoms.map(({ location, mass, sampleMass }) => ({ location, mass, sampleMass })),
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

/** The figure of a spectrum's data: density, histogram, atoms as stems, x = 0 and the lower edge. */
export function spectrumFigureOf(d: SpectrumData): Figure {
  const p = d.parameters;
  const top = Math.max(...d.density.y, ...d.histogram.y) * 1.15;
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
      y: d.histogram.y,
      label: `sample M = ${d.M}`,
      color: "#7f7f7f",
      markers: true,
      markersOnly: true,
    },
    { x: d.density.x, y: d.density.y, label: "theory", color: "#1f77b4" },
    vertical(0, "x = 0", "#000000"),
  ];
  if (d.lowerEdge !== null) series.push(vertical(d.lowerEdge, "lower edge", "#d62728"));
  // An atom is a point mass, not a density: a solid stem to the top of the plot, its mass in
  // the legend (the law's and the sample's fraction of eigenvalues there).
  for (const a of d.atoms ?? []) {
    series.push({
      x: [a.location, a.location],
      y: [0, top],
      label: `atom at ${a.location.toPrecision(3)}: mass ${a.mass.toPrecision(3)} (sample ${a.sampleMass.toPrecision(3)})`,
      color: "#9467bd",
    });
  }
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
