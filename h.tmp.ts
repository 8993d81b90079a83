import { curlDescentSpectrum } from "./src/phase/curl-descent-law.ts";
import { sampleManifoldSpectrum } from "./src/phase/sampled-spectrum.ts";
import { spectralSupport } from "./src/spectra/support.ts";
import { spectralDistribution, kolmogorovSmirnov, wasserstein1 } from "./src/spectra/distribution.ts";
for (const [c, alphaH, alphaR] of [[0.5, 0.3, 0], [2, 0.3, 0], [3, 0, 0.3], [0.5, 0.3, 0.3], [2, 0.7, 0]]) {
  for (const M of [200, 400, 800]) {
    for (const seed of [1, 2, 3]) {
      const smp = sampleManifoldSpectrum({ c: c!, alphaH: alphaH!, alphaR: alphaR! }, M, seed);
      const p = { c: c!, alphaH: alphaH!, alphaR: alphaR!, w2NormSquared: smp.w2NormSquared };
      const sum = curlDescentSpectrum(p);
      const sup = spectralSupport(sum);
      const dist = spectralDistribution(sum, sup);
      const lo = Math.min(...sup.edges.map((e) => e.x), ...sup.atoms.map((a) => a.location));
      const hi = Math.max(...sup.edges.map((e) => e.x), ...sup.atoms.map((a) => a.location));
      const w = wasserstein1(smp.eigenvalues, dist.cdf, lo, hi);
      console.log(c, alphaH, alphaR, M, seed, "W1*M", (w * M).toFixed(2), "ks*M", (kolmogorovSmirnov(smp.eigenvalues, dist.cdf) * M).toFixed(1));
    }
  }
}
