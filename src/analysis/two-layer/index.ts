/** Curl descent in a two-layer linear network: field, dense Jacobian and its reduced spectra (seed 001, appendix B). */
export * from "./field.ts";
export * from "./jacobian.ts";
export * from "./manifold-spectrum.ts";
export * from "./origin-spectrum.ts";
export * from "./state.ts";
