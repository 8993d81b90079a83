/** src/report: public surface (re-exports). */

/** Arrays for NumPy (.npy and .npz; src/util/npy.ts). */
export { encodeNpy, encodeNpz, type NdArray, type NpyDtype, writeNpy, writeNpz } from "../util/npy.ts";
export * from "./colormap.ts";
export * from "./empirical-phase-diagram.ts";
export * from "./figure.ts";
export * from "./phase-diagram.ts";
export * from "./png.ts";
export * from "./sampled-boundary-figure.ts";
export * from "./scale.ts";
export * from "./simulation-reproductions.ts";
export * from "./spectrum-figure.ts";
