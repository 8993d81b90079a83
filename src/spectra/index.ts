/** src/spectra: public surface (re-exports). */
export * from "./arnoldi.ts";
export * from "./atomic-law.ts";
export * from "./complex.ts";
export * from "./compound-poisson.ts";
export * from "./distribution.ts";
export * from "./free/brown-measure.ts";
export * from "./free/feedback-alignment.ts";
export * from "./free/non-hermitian-cases.ts";
export * from "./free/outliers.ts";
export * from "./free/r-diagonal.ts";
export * from "./free/sampled-brown.ts";
export * from "./free-convolution.ts";
export * from "./lower-edge.ts";
export * from "./marchenko-pastur.ts";
export * from "./polynomial.ts";
export * from "./support.ts";
export * from "./symmetric-eigenvalues.ts";
