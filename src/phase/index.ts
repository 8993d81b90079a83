/** src/phase: public surface (re-exports). */

export * from "./boundary.ts";
export * from "./boundary-check.ts";
export * from "./curl-descent-law.ts";
export * from "./empirical-boundary.ts";
export * from "./empirical-diagram.ts";
export * from "./expression-phase.ts";
export * from "./layer.ts";
export * from "./paper-quartic.ts";
export * from "./sampled-boundary.ts";
export * from "./sampled-spectrum.ts";
export * from "./sampled-spectrum-network.ts";
export * from "./stability-map.ts";
