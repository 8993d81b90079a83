/**
 * The explorer's whole view as plain values, and its round trip through the page URL's query
 * string (so a view can be shared): every value is checked and clamped when read back.
 */
export interface ExplorerState {
  /** Flip fraction of the hidden layer (D1) at the marker, and the readout's (D2) for the whole map. */
  alphaH: number;
  alphaR: number;
  /** The c = M/N range of the map (log axis). */
  cMin: number;
  cMax: number;
  /** The clicked point (c, α_h), or null. */
  selected: { c: number; alphaH: number } | null;
  /** The two-state rule of the phase portrait, as text, and its launched trajectories. */
  rule: string;
  starts: [number, number][];
}

export const CURL_TOY = `rule curl-toy
description curl flow: the hidden neuron's plasticity sign flipped (seed 001, eq. 8)
params s = 1
state w1, w2
d/dt w1 = w2*(s - w1*w2)
d/dt w2 = -w1*(s - w1*w2)`;

export const DEFAULT_STATE: ExplorerState = {
  alphaH: 0.5,
  alphaR: 0,
  cMin: 0.05,
  cMax: 5,
  selected: null,
  rule: CURL_TOY,
  starts: [],
};

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function num(q: URLSearchParams, key: string, fallback: number, lo: number, hi: number): number {
  const v = q.get(key);
  const x = v === null ? Number.NaN : Number(v);
  return Number.isFinite(x) ? clamp(x, lo, hi) : fallback;
}

function pairs(text: string | null): [number, number][] {
  if (!text) return [];
  return text
    .split(";")
    .map((p) => p.split(",").map(Number))
    .filter((p): p is [number, number] => p.length === 2 && p.every(Number.isFinite))
    .slice(0, 50);
}

/** The state a query string describes (defaults for what it lacks or gets wrong). */
export function readState(search: string): ExplorerState {
  const q = new URLSearchParams(search);
  const d = DEFAULT_STATE;
  const cMin = num(q, "cMin", d.cMin, 1e-3, 1e3);
  const cMax = num(q, "cMax", d.cMax, 1e-3, 1e3);
  const sel = pairs(q.get("sel"))[0];
  return {
    alphaH: num(q, "alphaH", d.alphaH, 0, 1),
    alphaR: num(q, "alphaR", d.alphaR, 0, 1),
    cMin: Math.min(cMin, cMax / 1.01),
    cMax: Math.max(cMax, cMin * 1.01),
    selected: sel ? { c: clamp(sel[0], 1e-3, 1e3), alphaH: clamp(sel[1], 0, 1) } : null,
    rule: q.get("rule") ?? d.rule,
    starts: pairs(q.get("traj")),
  };
}

const short = (x: number) => String(Number(x.toPrecision(6)));

/** The query string of a state (only what differs from the defaults). */
export function writeState(s: ExplorerState): string {
  const q = new URLSearchParams();
  const d = DEFAULT_STATE;
  for (const key of ["alphaH", "alphaR", "cMin", "cMax"] as const) {
    if (s[key] !== d[key]) q.set(key, short(s[key]));
  }
  if (s.selected) q.set("sel", `${short(s.selected.c)},${short(s.selected.alphaH)}`);
  if (s.rule !== d.rule) q.set("rule", s.rule);
  if (s.starts.length > 0) q.set("traj", s.starts.map((p) => p.map(short).join(",")).join(";"));
  return q.toString();
}
