/**
 * Twin runs for the largest Lyapunov exponent by Benettin's method. A twin shares every drawn
 * ingredient of its run (fixed tensors, data, parameters, minibatch order, target norms) and
 * starts at distance d0 from it along a random direction over all states: normals from stream
 * fork(7) of the run's seed, one per state entry in declaration order (row-major), scaled to
 * length d0. Every so many epochs the separation d is measured over all states together, and the
 * twin is put back at distance d0 along the current separation; the exponent is the mean of
 * log(d / d0) per epoch (src/sim/simulate.ts).
 */
import type { RunData } from "../ir/draw.ts";
import { Rng } from "../util/random.ts";

/** The stream of a run's seed that its twin's direction is drawn from. */
const TWIN_STREAM = 7;

/** Most values Math.hypot is handed at once (spread arguments live on the call stack). */
const HYPOT_CHUNK = 65_536;

/**
 * sqrt(sum of squares) without overflow: Math.hypot of the entries, in chunks of 65,536 (the
 * hypot of the chunks' hypots) for longer vectors, which Math.hypot cannot take as arguments.
 */
export function euclideanNorm(v: Float64Array): number {
  if (v.length <= HYPOT_CHUNK) return Math.hypot(...v);
  const parts: number[] = [];
  for (let k = 0; k < v.length; k += HYPOT_CHUNK) parts.push(Math.hypot(...v.subarray(k, k + HYPOT_CHUNK)));
  return Math.hypot(...parts);
}

/** The twin of run `run` (drawn with seed `seed`), its states moved by d0 along its direction. */
export function twinRun(run: RunData, seed: number, d0: number): RunData {
  const total = run.states.reduce((s, x) => s + x.length, 0);
  const direction = new Rng(seed).fork(TWIN_STREAM).normals(total);
  const scale = d0 / euclideanNorm(direction);
  let offset = 0;
  const states = run.states.map((x) => {
    const moved = Float64Array.from(x);
    for (let q = 0; q < moved.length; q++) moved[q]! += scale * direction[offset + q]!;
    offset += moved.length;
    return moved;
  });
  return { ...run, states };
}

/**
 * For a batch whose members B..2B-1 are the twins of members 0..B-1: the separation d of each
 * pair over all states (`states[k]` is state k of every member, [2B, entries of state k]), and
 * each twin moved back to distance d0 along it, in place (a twin at distance 0, or at a
 * distance that is not finite, is put back onto its run).
 */
export function separateTwins(states: readonly Float64Array[], B: number, d0: number): Float64Array {
  const sizes = states.map((s) => s.length / (2 * B));
  const d = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let d2 = 0;
    states.forEach((s, k) => {
      const n = sizes[k]!;
      const o = b * n;
      const t = (B + b) * n;
      for (let q = 0; q < n; q++) d2 += (s[t + q]! - s[o + q]!) ** 2;
    });
    d[b] = Math.sqrt(d2);
    const c = d[b]! > 0 ? d0 / d[b]! : 0;
    states.forEach((s, k) => {
      const n = sizes[k]!;
      const o = b * n;
      const t = (B + b) * n;
      for (let q = 0; q < n; q++) s[t + q] = s[o + q]! + c * (s[t + q]! - s[o + q]!);
    });
  }
  return d;
}
