/**
 * Figures people can look at: line plots and heatmaps (with curves drawn over them), rendered as
 * standalone SVG and rasterized to PNG with resvg using the bundled DejaVu Sans font, so a PNG
 * looks the same on a machine without system fonts.
 *
 * A heatmap is embedded as one nearest-cell raster image at the plot's pixel resolution, so a
 * 500 x 500 grid stays a small file; grids may be non-uniform (e.g. uniform in log c).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { InvalidArgumentError } from "../util/errors.ts";
import { writeFileAtomic } from "../util/io.ts";
import { parseHex, SERIES_COLORS, toHex, viridis } from "./colormap.ts";
import { escapeXml as esc } from "./html.ts";
import { encodePng } from "./png.ts";
import { formatTick, makeScale, type Scale, ticks } from "./scale.ts";

export interface Series {
  x: readonly number[];
  /** NaN entries break the line. */
  y: readonly number[];
  label?: string;
  /** "#rrggbb"; default from a colour-blind-safe palette. */
  color?: string;
  dashed?: boolean;
  /** Draw a marker at each point. */
  markers?: boolean;
  /** Draw only markers, no line. */
  markersOnly?: boolean;
}

/** A shaded band between two curves (e.g. mean ± standard error), drawn under the series. */
export interface Band {
  x: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  /** "#rrggbb", drawn at 22% opacity. */
  color: string;
  label?: string;
}

export interface Category {
  value: number;
  label: string;
  color: string;
}

export interface Heatmap {
  /** Cell centres along x, strictly increasing. */
  x: readonly number[];
  /** Cell centres along y, strictly increasing. */
  y: readonly number[];
  /** z[iy][ix]; NaN cells are drawn grey (no value). */
  z: readonly (readonly number[])[];
  zLabel?: string;
  colormap: "viridis" | "categorical";
  /** For "categorical": the colour and legend label of each value. */
  categories?: readonly Category[];
  /** For "viridis": the z values mapped to the ends of the colour map (default: finite extent). */
  zRange?: readonly [number, number];
}

export interface Figure {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
  heatmap?: Heatmap;
  series?: readonly Series[];
  bands?: readonly Band[];
  /**
   * The smallest y that means something (e.g. the float64 rounding level of an error): the
   * y axis starts there at the lowest, values below are drawn on it, and a dotted line marks it
   * with `yFloorLabel` in the legend.
   */
  yFloor?: number;
  yFloorLabel?: string;
  /** Pixels; default 720 x 480. */
  width?: number;
  height?: number;
}

const MISSING = "#d9d9d9";
const FONT = "DejaVu Sans";

/** Renders `fig` as a standalone SVG document. */
export function figureSvg(fig: Figure): string {
  const height = fig.height ?? 480;
  const floor = fig.yFloor;
  const clamp = (ys: readonly number[]) =>
    floor === undefined ? ys : ys.map((y) => (Number.isFinite(y) && y < floor ? floor : y));
  const series = (fig.series ?? []).map((s) => ({ ...s, y: clamp(s.y) }));
  const bands = (fig.bands ?? []).map((b) => ({ ...b, lower: clamp(b.lower), upper: clamp(b.upper) }));
  const legendLabels = [
    ...series.map((s) => s.label),
    ...bands.map((b) => b.label),
    fig.heatmap?.zLabel,
    floor !== undefined ? (fig.yFloorLabel ?? "") : undefined,
  ].filter((l): l is string => Boolean(l));
  const hasSide = Boolean(fig.heatmap) || legendLabels.length > 0;
  const left = 78;
  // Wide enough for the longest legend label (DejaVu Sans at 12 px: at most 7.5 px a character).
  const right = hasSide
    ? Math.max(170, 18 + 28 + Math.ceil(7.5 * Math.max(0, ...legendLabels.map((l) => l.length))) + 8)
    : 24;
  // A wider legend widens the figure; the plot keeps its size.
  const width = (fig.width ?? 720) + Math.max(0, right - 170);
  const top = 44;
  const bottom = 58;
  const px: [number, number] = [left, width - right];
  const py: [number, number] = [height - bottom, top];

  if (fig.heatmap) checkHeatmap(fig.heatmap);
  const xDomain =
    fig.xRange ??
    extent(
      fig.heatmap ? cellEdges(fig.heatmap.x, fig.xLog) : [],
      [...series.map((s) => s.x), ...bands.map((b) => b.x)],
      fig.xLog,
    );
  const yDomain: [number, number] = [
    ...(fig.yRange ??
      extent(
        fig.heatmap ? cellEdges(fig.heatmap.y, fig.yLog) : [],
        [...series.map((s) => s.y), ...bands.flatMap((b) => [b.lower, b.upper])],
        fig.yLog,
      )),
  ] as [number, number];
  if (floor !== undefined && yDomain[0] < floor) yDomain[0] = floor;
  // The floor is marked only where the data reach it.
  const floorShown = floor !== undefined && yDomain[0] === floor;
  const sx = makeScale(xDomain, px, fig.xLog);
  const sy = makeScale(yDomain, py, fig.yLog);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><clipPath id="plot"><rect x="${px[0]}" y="${py[1]}" width="${px[1] - px[0]}" height="${py[0] - py[1]}"/></clipPath></defs>`,
  );
  if (fig.heatmap) parts.push(heatmapImage(fig.heatmap, sx, sy, px, py));
  else parts.push(gridLines(sx, sy, px, py));
  parts.push(`<g clip-path="url(#plot)">`);
  for (const b of bands) parts.push(bandPath(b, sx, sy));
  if (floorShown) {
    parts.push(
      `<line x1="${px[0]}" y1="${f(sy(floor))}" x2="${px[1]}" y2="${f(sy(floor))}" stroke="#888888" stroke-width="1.5" stroke-dasharray="2 3"/>`,
    );
  }
  series.forEach((s, i) => {
    parts.push(seriesPath(s, s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]!, sx, sy));
  });
  parts.push("</g>");
  parts.push(axes(sx, sy, px, py));
  parts.push(
    // Centred over the plot, or over the whole figure when it is wider than the plot (bold 15 px:
    // at most 9.5 px a character).
    `<text x="${9.5 * fig.title.length > px[1] - px[0] ? width / 2 : (px[0] + px[1]) / 2}" y="${top - 16}" text-anchor="middle" font-size="15" font-weight="bold">${esc(fig.title)}</text>`,
    `<text x="${(px[0] + px[1]) / 2}" y="${height - 14}" text-anchor="middle" font-size="13">${esc(fig.xLabel)}</text>`,
    `<text transform="translate(20 ${(py[0] + py[1]) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(fig.yLabel)}</text>`,
  );
  parts.push(sidePanel(fig, series, bands, floorShown, px[1] + 18, py[1]));
  parts.push("</svg>");
  return parts.join("\n");
}

/** Rasterizes an SVG document to PNG at `scale` times its size, with the bundled font. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT },
  });
  return resvg.render().asPng();
}

/** Writes `<path>.svg` and `<path>.png` atomically; returns both paths. */
export function writeFigure(pathWithoutExtension: string, fig: Figure): { svg: string; png: string } {
  const svgText = figureSvg(fig);
  const svg = `${pathWithoutExtension}.svg`;
  const png = `${pathWithoutExtension}.png`;
  writeFileAtomic(svg, svgText);
  writeFileAtomic(png, svgToPng(svgText));
  return { svg, png };
}

let fontCache: string[] | undefined;
function fontFiles(): string[] {
  if (!fontCache) {
    const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fontCache = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => join(dir, f));
    readFileSync(fontCache[0]!); // fail early and clearly if the font package is missing
  }
  return fontCache;
}

function checkHeatmap(h: Heatmap): void {
  const increasing = (v: readonly number[]) => v.length > 0 && v.every((x, i) => i === 0 || x > v[i - 1]!);
  if (!increasing(h.x))
    throw new InvalidArgumentError("figureSvg", "heatmap.x", "a non-empty strictly increasing array", h.x);
  if (!increasing(h.y))
    throw new InvalidArgumentError("figureSvg", "heatmap.y", "a non-empty strictly increasing array", h.y);
  if (h.z.length !== h.y.length || h.z.some((row) => row.length !== h.x.length)) {
    throw new InvalidArgumentError(
      "figureSvg",
      "heatmap.z",
      `${h.y.length} rows of ${h.x.length} values (z[iy][ix])`,
      `${h.z.length} rows`,
    );
  }
  if (h.colormap === "categorical" && !h.categories?.length) {
    throw new InvalidArgumentError(
      "figureSvg",
      "heatmap.categories",
      "a non-empty list for a categorical colormap",
      h.categories,
    );
  }
}

/** Cell edges from centres: midpoints in the axis's linear coordinate, half-cells at the ends. */
function cellEdges(centres: readonly number[], log = false): number[] {
  const f = log ? Math.log10 : (v: number) => v;
  const g = log ? (u: number) => 10 ** u : (u: number) => u;
  const u = centres.map(f);
  if (u.length === 1) return [g(u[0]! - 0.5), g(u[0]! + 0.5)];
  return [g(u[0]! - (u[1]! - u[0]!) / 2), g(u[u.length - 1]! + (u[u.length - 1]! - u[u.length - 2]!) / 2)];
}

function extent(edges: number[], arrays: readonly (readonly number[])[], log = false): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [edges, ...arrays].flat()) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return log ? [1, 10] : [0, 1];
  if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 0.5, hi + 0.5];
  // Series-only axes get 2% of room on each side so end markers are not cut in half.
  if (log) return edges.length ? [lo, hi] : [lo / (hi / lo) ** 0.02, hi * (hi / lo) ** 0.02];
  const pad = 0.02 * (hi - lo);
  return edges.length ? [lo, hi] : [lo - pad, hi + pad];
}

function heatmapImage(h: Heatmap, sx: Scale, sy: Scale, px: [number, number], py: [number, number]): string {
  const w = Math.round(px[1] - px[0]);
  const hgt = Math.round(py[0] - py[1]);
  const colorOf = heatmapColor(h);
  const ux = h.x.map(sx.linearize);
  const uy = h.y.map(sy.linearize);
  const colIndex = Array.from({ length: w }, (_, i) => nearestCell(ux, invert(sx, px[0] + i + 0.5)));
  const rgba = new Uint8Array(4 * w * hgt);
  for (let r = 0; r < hgt; r++) {
    const iy = nearestCell(uy, invert(sy, py[1] + r + 0.5));
    for (let c = 0; c < w; c++) {
      const ix = colIndex[c]!;
      if (iy < 0 || ix < 0) continue; // outside the grid: transparent
      const [R, G, B] = colorOf(h.z[iy]![ix]!);
      rgba.set([R, G, B, 255], 4 * (r * w + c));
    }
  }
  const data = Buffer.from(encodePng(w, hgt, rgba)).toString("base64");
  return `<image x="${px[0]}" y="${py[1]}" width="${w}" height="${hgt}" preserveAspectRatio="none" href="data:image/png;base64,${data}"/>`;
}

function heatmapColor(h: Heatmap): (z: number) => [number, number, number] {
  const missing = parseHex(MISSING);
  if (h.colormap === "categorical") {
    const cats = h.categories!.map((c) => ({ value: c.value, rgb: parseHex(c.color) }));
    return (z) => {
      if (!Number.isFinite(z)) return missing;
      let best = cats[0]!;
      for (const c of cats) if (Math.abs(c.value - z) < Math.abs(best.value - z)) best = c;
      return best.rgb;
    };
  }
  const [lo, hi] = h.zRange ?? finiteExtent(h.z);
  return (z) => (Number.isFinite(z) ? viridis(hi > lo ? (z - lo) / (hi - lo) : 0.5) : missing);
}

function finiteExtent(z: readonly (readonly number[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of z)
    for (const v of row) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

/** Data coordinate (linearized) of pixel `p` under scale `s`. */
function invert(s: Scale, p: number): number {
  const l0 = s.linearize(s.domain[0]);
  const l1 = s.linearize(s.domain[1]);
  const r0 = s(s.domain[0]);
  const r1 = s(s.domain[1]);
  return l0 + ((p - r0) / (r1 - r0)) * (l1 - l0);
}

/** Index of the cell (centres `u`, increasing) containing u0, or -1 outside the half-cell margins. */
function nearestCell(u: readonly number[], u0: number): number {
  const n = u.length;
  const half0 = n > 1 ? (u[1]! - u[0]!) / 2 : 0.5;
  const half1 = n > 1 ? (u[n - 1]! - u[n - 2]!) / 2 : 0.5;
  if (u0 < u[0]! - half0 || u0 > u[n - 1]! + half1) return -1;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (u[mid]! <= u0) lo = mid;
    else hi = mid;
  }
  return Math.abs(u[hi]! - u0) < Math.abs(u[lo]! - u0) ? hi : lo;
}

function gridLines(sx: Scale, sy: Scale, px: [number, number], py: [number, number]): string {
  const lines: string[] = [];
  for (const t of ticks(sx))
    if (t.major)
      lines.push(`<line x1="${f(sx(t.value))}" y1="${py[0]}" x2="${f(sx(t.value))}" y2="${py[1]}"/>`);
  for (const t of ticks(sy))
    if (t.major)
      lines.push(`<line x1="${px[0]}" y1="${f(sy(t.value))}" x2="${px[1]}" y2="${f(sy(t.value))}"/>`);
  return `<g stroke="#e6e6e6" stroke-width="1">${lines.join("")}</g>`;
}

function axes(sx: Scale, sy: Scale, px: [number, number], py: [number, number]): string {
  const out: string[] = [
    `<rect x="${px[0]}" y="${py[1]}" width="${px[1] - px[0]}" height="${py[0] - py[1]}" fill="none" stroke="#000"/>`,
  ];
  for (const t of ticks(sx)) {
    const x = f(sx(t.value));
    out.push(`<line x1="${x}" y1="${py[0]}" x2="${x}" y2="${py[0] + (t.major ? 6 : 3)}" stroke="#000"/>`);
    if (t.label) out.push(`<text x="${x}" y="${py[0] + 19}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  for (const t of ticks(sy)) {
    const y = sy(t.value);
    out.push(
      `<line x1="${px[0] - (t.major ? 6 : 3)}" y1="${f(y)}" x2="${px[0]}" y2="${f(y)}" stroke="#000"/>`,
    );
    if (t.label) out.push(`<text x="${px[0] - 9}" y="${f(y + 4)}" text-anchor="end">${esc(t.label)}</text>`);
  }
  return out.join("\n");
}

function seriesPath(s: Series, color: string, sx: Scale, sy: Scale): string {
  const out: string[] = [];
  const points: [number, number][] = [];
  const flush = () => {
    if (points.length > 1 && !s.markersOnly) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2.2"${s.dashed ? ' stroke-dasharray="7 4"' : ""} points="${points.map(([a, b]) => `${f(a)},${f(b)}`).join(" ")}"/>`,
      );
    }
    points.length = 0;
  };
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i]!;
    const y = s.y[i]!;
    const ok = Number.isFinite(x) && Number.isFinite(y) && (!sx.log || x > 0) && (!sy.log || y > 0);
    if (!ok) {
      flush();
      continue;
    }
    points.push([sx(x), sy(y)]);
    if (s.markers || s.markersOnly)
      out.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${color}"/>`);
  }
  flush();
  return out.join("\n");
}

/** A filled polygon between `lower` and `upper` (points where either is not drawable are skipped). */
function bandPath(b: Band, sx: Scale, sy: Scale): string {
  const ok = (x: number, y: number) =>
    Number.isFinite(x) && Number.isFinite(y) && (!sx.log || x > 0) && (!sy.log || y > 0);
  const idx = b.x.map((_, i) => i).filter((i) => ok(b.x[i]!, b.lower[i]!) && ok(b.x[i]!, b.upper[i]!));
  if (idx.length < 2) return "";
  const upper = idx.map((i) => `${f(sx(b.x[i]!))},${f(sy(b.upper[i]!))}`);
  const lower = [...idx].reverse().map((i) => `${f(sx(b.x[i]!))},${f(sy(b.lower[i]!))}`);
  // The edges in the band's colour too, so overlapping bands can be told apart.
  const edge = (points: string[]) =>
    `<polyline fill="none" stroke="${b.color}" stroke-width="1.2" stroke-dasharray="4 3" points="${points.join(" ")}"/>`;
  return [
    `<polygon points="${[...upper, ...lower].join(" ")}" fill="${b.color}" fill-opacity="0.22" stroke="none"/>`,
    edge(upper),
    edge(lower),
  ].join("\n");
}

function sidePanel(
  fig: Figure,
  series: readonly Series[],
  bands: readonly Band[],
  floorShown: boolean,
  x: number,
  y: number,
): string {
  const out: string[] = [];
  let cy = y + 4;
  const h = fig.heatmap;
  if (h?.colormap === "categorical") {
    for (const c of h.categories!) {
      out.push(`<rect x="${x}" y="${cy}" width="16" height="16" fill="${c.color}" stroke="#555"/>`);
      out.push(`<text x="${x + 22}" y="${cy + 12}">${esc(c.label)}</text>`);
      cy += 24;
    }
  } else if (h) {
    const [lo, hi] = h.zRange ?? finiteExtent(h.z);
    const barH = 180;
    const stops = Array.from(
      { length: 11 },
      (_, i) => `<stop offset="${i / 10}" stop-color="${toHex(viridis(1 - i / 10))}"/>`,
    );
    out.push(
      `<defs><linearGradient id="cbar" x1="0" y1="0" x2="0" y2="1">${stops.join("")}</linearGradient></defs>`,
    );
    if (h.zLabel) {
      out.push(`<text x="${x}" y="${cy + 10}">${esc(h.zLabel)}</text>`);
      cy += 20;
    }
    out.push(`<rect x="${x}" y="${cy}" width="16" height="${barH}" fill="url(#cbar)" stroke="#555"/>`);
    const cs = makeScale(hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5], [cy + barH, cy]);
    for (const t of ticks(cs, 5)) {
      out.push(
        `<line x1="${x + 16}" y1="${f(cs(t.value))}" x2="${x + 21}" y2="${f(cs(t.value))}" stroke="#000"/>`,
      );
      out.push(`<text x="${x + 24}" y="${f(cs(t.value) + 4)}">${esc(t.label)}</text>`);
    }
    cy += barH + 18;
    const [zMin, zMax] = finiteExtent(h.z);
    for (const [beyond, text] of [
      [zMin < lo, `below ${formatTick(lo)}: darkest`],
      [zMax > hi, `above ${formatTick(hi)}: brightest`],
    ] as const) {
      if (!beyond) continue;
      out.push(`<text x="${x}" y="${cy}">${esc(text)}</text>`);
      cy += 20;
    }
  }
  if (h?.z.some((row) => row.some((v) => !Number.isFinite(v)))) {
    out.push(`<rect x="${x}" y="${cy}" width="16" height="16" fill="${MISSING}" stroke="#555"/>`);
    out.push(`<text x="${x + 22}" y="${cy + 12}">no value</text>`);
    cy += 24;
  }
  series.forEach((s, i) => {
    if (!s.label) return;
    const color = s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]!;
    if (s.markersOnly) out.push(`<circle cx="${x + 11}" cy="${cy + 8}" r="3.5" fill="${color}"/>`);
    else {
      // A light line (drawn over a dark heatmap) gets a dark underlay so it shows on the white legend.
      if (isLight(color))
        out.push(
          `<line x1="${x}" y1="${cy + 8}" x2="${x + 22}" y2="${cy + 8}" stroke="#555" stroke-width="4.5"/>`,
        );
      out.push(
        `<line x1="${x}" y1="${cy + 8}" x2="${x + 22}" y2="${cy + 8}" stroke="${color}" stroke-width="2.2"${s.dashed ? ' stroke-dasharray="7 4"' : ""}/>`,
      );
    }
    out.push(`<text x="${x + 28}" y="${cy + 12}">${esc(s.label)}</text>`);
    cy += 22;
  });
  for (const b of bands) {
    if (!b.label) continue;
    out.push(
      `<rect x="${x}" y="${cy + 2}" width="22" height="12" fill="${b.color}" fill-opacity="0.22" stroke="${b.color}" stroke-width="1.2" stroke-dasharray="4 3"/>`,
    );
    out.push(`<text x="${x + 28}" y="${cy + 12}">${esc(b.label)}</text>`);
    cy += 22;
  }
  if (floorShown && fig.yFloorLabel) {
    out.push(
      `<line x1="${x}" y1="${cy + 8}" x2="${x + 22}" y2="${cy + 8}" stroke="#888888" stroke-width="1.5" stroke-dasharray="2 3"/>`,
    );
    out.push(`<text x="${x + 28}" y="${cy + 12}">${esc(fig.yFloorLabel)}</text>`);
    cy += 22;
  }
  return out.join("\n");
}

function isLight(color: string): boolean {
  const [r, g, b] = parseHex(color);
  return 0.299 * r + 0.587 * g + 0.114 * b > 200;
}

function f(v: number): string {
  return Number(v.toFixed(2)).toString();
}
