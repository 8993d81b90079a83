/**
 * Counter-based random numbers: a pure function of (key, counter) -> u32, computable with the
 * same 32-bit integer arithmetic in TypeScript and in WGSL, so that a CPU run and a GPU run of
 * the same simulation draw the same minibatches.
 *
 * The mixer is the PCG output hash (O'Neill; "pcg_hash" as in Jarzynski and Olano, "Hash
 * Functions for GPU Rendering", JCGT 2020) applied to the counter mixed with a key. The WGSL
 * twin must be written with the same constants and wrap-around multiplication (u32).
 *
 * WGSL twin:
 * ```wgsl
 * fn pcg_hash(x: u32) -> u32 {
 *   let state = x * 747796405u + 2891336453u;
 *   let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
 *   return (word >> 22u) ^ word;
 * }
 * fn counter_u32(key: u32, counter: u32) -> u32 { return pcg_hash(counter ^ pcg_hash(key)); }
 * ```
 */

/** The PCG output hash of a u32 (as a non-negative JS number < 2^32). */
export function pcgHash(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** A u32 that depends only on (key, counter). */
export function counterU32(key: number, counter: number): number {
  return pcgHash(((counter >>> 0) ^ pcgHash(key >>> 0)) >>> 0);
}

/** Derives a key from a seed and a stream index (for example simulation seed and epoch). */
export function deriveKey(seed: number, stream: number): number {
  return pcgHash((pcgHash(seed >>> 0) ^ Math.imul(stream >>> 0, 0x9e3779b9)) >>> 0);
}

/**
 * The permutation of {0, ..., n-1} drawn by Fisher-Yates from (key): for i = n-1 down to 1,
 * j = counterU32(key, i) mod (i+1), swap p[i] and p[j]. The modulo bias is below n / 2^32 and
 * is the same on every backend, which is what matters for reproducibility.
 */
export function counterPermutation(key: number, n: number, out: Int32Array = new Int32Array(n)): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = counterU32(key, i) % (i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
