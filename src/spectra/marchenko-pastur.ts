/**
 * The Marchenko-Pastur law with ratio y and scale σ: the limiting spectrum of (σ/N) GᵀG for
 * G ∈ R^{N×M} with iid standard entries and y = M/N. As a free compound Poisson law it has rate
 * 1/y and a single jump σy, so R(w) = σ / (1 − yσw). W1ᵀW1 with W1 iid N(0, 1/M) is MP(c, 1/c),
 * R(w) = 1/(c(1 − w)) (seed 001, eq. 110; the paper's "a = c" must be a = 1/c for that result).
 */
import { InvalidArgumentError } from "../util/errors.ts";
import { atomicLaw } from "./atomic-law.ts";
import { type CompoundPoissonLaw, freeCompoundPoisson } from "./compound-poisson.ts";

export function marchenkoPastur(ratio: number, scale = 1): CompoundPoissonLaw {
  if (!(Number.isFinite(ratio) && ratio > 0)) {
    throw new InvalidArgumentError("marchenkoPastur", "ratio", "a finite number > 0", ratio);
  }
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new InvalidArgumentError("marchenkoPastur", "scale", "a finite number > 0", scale);
  }
  return freeCompoundPoisson(1 / ratio, atomicLaw([scale * ratio], [1]));
}

/** The closed-form support edges σ(1 ∓ √y)² of the continuous part (seed 001, eq. 109). */
export function marchenkoPasturEdges(ratio: number, scale = 1): [number, number] {
  const r = Math.sqrt(ratio);
  return [scale * (1 - r) ** 2, scale * (1 + r) ** 2];
}

/** The closed-form density of the continuous part: sqrt((b − x)(x − a)) / (2π σ y x) on [a, b]. */
export function marchenkoPasturDensity(ratio: number, scale: number, x: number): number {
  const [a, b] = marchenkoPasturEdges(ratio, scale);
  if (x <= a || x >= b) return 0;
  return Math.sqrt((b - x) * (x - a)) / (2 * Math.PI * scale * ratio * x);
}
