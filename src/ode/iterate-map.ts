/**
 * Iterates a discrete-time rule y_{k+1} = F(k, y_k) (a learning rule of kind "map", e.g. one
 * update per minibatch), with the same failure reporting as {@link integrate}: a non-finite
 * state stops the iteration and is returned with the iteration and last finite state.
 */
import { InvalidArgumentError, requirePositiveInteger } from "../util/errors.ts";

/** Writes F(k, y) into `yNext` (same length, never aliasing `y`); allocates nothing. */
export type DiscreteMap = (k: number, y: Float64Array, yNext: Float64Array) => void;

export interface IterateMapOptions {
  /** Initial state y_0: non-empty, finite. Not modified. */
  y0: ArrayLike<number>;
  /** Number of applications of the map (>= 1). */
  iterations: number;
  /** Save y_k for every k divisible by this (and the last one); default: only the last. */
  saveEvery?: number;
}

export interface MapFailure {
  readonly reason: "non-finite-state";
  readonly message: string;
  /** Index of the last finite state y_k. */
  readonly k: number;
  readonly y: Float64Array;
}

export interface MapResult {
  readonly status: "success" | "failed";
  /** Iteration indices saved and the states there. */
  readonly ks: number[];
  readonly ys: Float64Array[];
  /** Index and value of the last finite state. */
  readonly k: number;
  readonly y: Float64Array;
  readonly failure?: MapFailure;
}

/** Applies `map` `iterations` times from `y0`. */
export function iterateMap(map: DiscreteMap, options: IterateMapOptions): MapResult {
  const FN = "iterateMap";
  if (typeof map !== "function") throw new InvalidArgumentError(FN, "map", "a function (k, y, yNext)", map);
  const iterations = requirePositiveInteger(FN, "iterations", options?.iterations);
  const saveEvery =
    options.saveEvery === undefined ? iterations : requirePositiveInteger(FN, "saveEvery", options.saveEvery);
  const y0 = options.y0;
  if (!y0 || typeof y0.length !== "number" || y0.length === 0) {
    throw new InvalidArgumentError(FN, "y0", "a non-empty array of finite numbers", y0);
  }
  let y = Float64Array.from(y0);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new InvalidArgumentError(FN, `y0[${i}]`, "a finite number", y0[i]);
  }
  let yNext = new Float64Array(y.length);
  const ks: number[] = [];
  const ys: Float64Array[] = [];
  if (options.saveEvery !== undefined) {
    ks.push(0);
    ys.push(Float64Array.from(y));
  }
  for (let k = 0; k < iterations; k++) {
    map(k, y, yNext);
    for (let i = 0; i < yNext.length; i++) {
      if (!Number.isFinite(yNext[i]!)) {
        return {
          status: "failed",
          ks,
          ys,
          k,
          y: Float64Array.from(y),
          failure: {
            reason: "non-finite-state",
            message: `component ${i} became ${yNext[i]} at iteration ${k + 1}`,
            k,
            y: Float64Array.from(y),
          },
        };
      }
    }
    const swap = y;
    y = yNext;
    yNext = swap;
    if ((k + 1) % saveEvery === 0 || k + 1 === iterations) {
      ks.push(k + 1);
      ys.push(Float64Array.from(y));
    }
  }
  return { status: "success", ks, ys, k: iterations, y: Float64Array.from(y) };
}
