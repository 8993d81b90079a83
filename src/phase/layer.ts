/**
 * Which layer's plasticity is flipped in a one-parameter family of curl-descent networks:
 * "hidden" varies α_h (α_r = 0), "readout" varies α_r (α_h = 0), "both" sets α_h = α_r = α.
 */
import { requireOneOf } from "../util/errors.ts";

export const LAYERS = ["hidden", "readout", "both"] as const;
export type Layer = (typeof LAYERS)[number];

export function requireLayer(fn: string, layer: unknown): Layer {
  return requireOneOf(fn, "layer", layer, LAYERS);
}

/** (α_h, α_r) for a flip fraction α of `layer`. */
export function layerAlphas(layer: Layer, alpha: number): { alphaH: number; alphaR: number } {
  if (layer === "hidden") return { alphaH: alpha, alphaR: 0 };
  if (layer === "readout") return { alphaH: 0, alphaR: alpha };
  return { alphaH: alpha, alphaR: alpha };
}
