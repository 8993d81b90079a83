/**
 * The element type of a generated module: float64 (one f64 per entry, two lanes per f64x2
 * vector) or float32 (one f32 per entry, four lanes per f32x4 vector). The IR, the kernels and
 * the order of every operation are the same for both; only the width of storage and arithmetic
 * differs, so a float32 module computes the float64 module's sequence of operations with each
 * result rounded to float32 (IEEE-754 binary32, correctly rounded, lane by lane).
 */
import type { Op } from "./opcodes.ts";

export type Dtype = "float64" | "float32";

export interface Element {
  readonly dtype: Dtype;
  /** Bytes per entry. */
  readonly bytes: 8 | 4;
  /** Lanes per v128 vector. */
  readonly width: 2 | 4;
  /** The scalar value type and the vector shape of the arithmetic. */
  readonly scalar: "f64" | "f32";
  readonly vector: "f64x2" | "f32x4";
  /** The v128 loads of one entry: splatted, into lane 0 of zeros, into a lane. */
  readonly loadSplat: Op;
  readonly loadZero: Op;
  readonly loadLane: Op;
}

export const FLOAT64: Element = {
  dtype: "float64",
  bytes: 8,
  width: 2,
  scalar: "f64",
  vector: "f64x2",
  loadSplat: "v128.load64_splat",
  loadZero: "v128.load64_zero",
  loadLane: "v128.load64_lane",
};

export const FLOAT32: Element = {
  dtype: "float32",
  bytes: 4,
  width: 4,
  scalar: "f32",
  vector: "f32x4",
  loadSplat: "v128.load32_splat",
  loadZero: "v128.load32_zero",
  loadLane: "v128.load32_lane",
};

export function elementOf(dtype: Dtype): Element {
  return dtype === "float32" ? FLOAT32 : FLOAT64;
}

/** The scalar instruction `name` of the element type (e.g. "f32.add"). */
export function scalarOp(e: Element, name: string): Op {
  return `${e.scalar}.${name}` as Op;
}

/** The instruction `name` on one entry ("scalar") or on a vector of `width` entries. */
export function modeOp(e: Element, vector: boolean, name: string): Op {
  return `${vector ? e.vector : e.scalar}.${name}` as Op;
}

/** The value of x in the element type: x itself, or its float32 rounding. */
export function roundTo(e: Element, x: number): number {
  return e.dtype === "float32" ? Math.fround(x) : x;
}
