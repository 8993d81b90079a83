/** Joining row-major float64 blocks end to end (e.g. the members of a batch into one array). */

/** The arrays one after the other, in order, as one new Float64Array. */
export function concatenate(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
