/**
 * The WGSL twin of src/util/counter-rng.ts: pcg_hash, counter_u32 and derive_key with the same
 * constants and wrap-around u32 arithmetic, so that the minibatch order drawn on the device is
 * bit for bit the one the CPU backend draws (checked in test/backend/webgpu.test.ts).
 */
export const counterRngWgsl = /* wgsl */ `
fn pcg_hash(x: u32) -> u32 {
  let state = x * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn counter_u32(key: u32, counter: u32) -> u32 {
  return pcg_hash(counter ^ pcg_hash(key));
}

fn derive_key(seed: u32, stream: u32) -> u32 {
  return pcg_hash(pcg_hash(seed) ^ (stream * 0x9e3779b9u));
}
`;
