/**
 * Axis scales for figures: a map from data to pixels (linear or base-10 logarithmic) and the
 * tick positions and labels a reader expects (1-2-5 steps; decades on log axes).
 */
import { InvalidArgumentError } from "../util/errors.ts";

export interface Scale {
  /** Data value to pixel coordinate. */
  (v: number): number;
  readonly log: boolean;
  readonly domain: readonly [number, number];
  /** Data value to the coordinate in which the scale is linear (v or log10 v). */
  readonly linearize: (v: number) => number;
}

/** A scale mapping `domain` onto `range` (pixels), logarithmic when `log`. */
export function makeScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  log = false,
): Scale {
  const [d0, d1] = domain;
  if (!(Number.isFinite(d0) && Number.isFinite(d1)) || d0 === d1) {
    throw new InvalidArgumentError("makeScale", "domain", "two distinct finite numbers", domain);
  }
  if (log && (d0 <= 0 || d1 <= 0)) {
    throw new InvalidArgumentError("makeScale", "domain", "positive numbers for a logarithmic axis", domain);
  }
  const linearize = log ? Math.log10 : (v: number) => v;
  const l0 = linearize(d0);
  const l1 = linearize(d1);
  const [r0, r1] = range;
  const scale = ((v: number) => r0 + ((linearize(v) - l0) / (l1 - l0)) * (r1 - r0)) as Scale;
  return Object.assign(scale, { log, domain: [d0, d1] as const, linearize });
}

export interface Tick {
  value: number;
  label: string;
  /** Minor ticks get a mark but no label. */
  major: boolean;
}

/**
 * Ticks for a scale: about `target` labelled ticks in 1-2-5 steps, or decades on log axes. Over
 * a few decades every decade is labelled and 2..9 get minor marks; over many, every k-th decade
 * is labelled (about `target` labels) and the others get minor marks only.
 */
export function ticks(scale: Scale, target = 6): Tick[] {
  const lo = Math.min(...scale.domain);
  const hi = Math.max(...scale.domain);
  if (scale.log && Math.log10(hi / lo) >= 1) {
    const out: Tick[] = [];
    const e0 = Math.floor(Math.log10(lo));
    const e1 = Math.ceil(Math.log10(hi));
    const decades = e1 - e0;
    const every = Math.max(1, Math.ceil(decades / target));
    const inside = (v: number) => v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12);
    for (let e = e0; e <= e1; e++) {
      // 10^e from its decimal text: 1 * 10 ** -5 is 9.999999999999999e-6 in float64.
      const decade = Number(`1e${e}`);
      const labelled = e % every === 0;
      if (inside(decade))
        out.push({ value: decade, label: labelled ? decadeLabel(e, decades) : "", major: labelled });
      if (decades > 8) continue;
      for (let m = 2; m <= 9; m++) {
        const v = Number(`${m}e${e}`);
        if (inside(v)) out.push({ value: v, label: "", major: false });
      }
    }
    return out;
  }
  const step = niceStep((hi - lo) / target);
  const out: Tick[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    const v = k * step;
    out.push({ value: v, label: formatTick(v), major: true });
  }
  return out;
}

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  "-": "\u207b",
  "0": "\u2070",
  "1": "\u00b9",
  "2": "\u00b2",
  "3": "\u00b3",
  "4": "\u2074",
  "5": "\u2075",
  "6": "\u2076",
  "7": "\u2077",
  "8": "\u2078",
  "9": "\u2079",
};

/**
 * The label of decade 10^e on an axis spanning `decades` decades: plain (0.01, 100) on short
 * axes, 10ᵉ with a superscript exponent on long ones, where plain numbers would be long.
 */
export function decadeLabel(e: number, decades: number): string {
  if (decades <= 4 && e >= -3 && e <= 4) return formatTick(Number(`1e${e}`));
  return `10${[...String(e)].map((ch) => SUPERSCRIPT[ch]).join("")}`;
}

/** The 1-2-5 step nearest above `raw`. */
export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Short, exact-looking tick label: 0.1, 2, 1e-3, 1e+4. */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(6)));
  const [m, e] = v.toExponential().split("e");
  return `${Number(Number(m).toPrecision(6))}e${e}`;
}
