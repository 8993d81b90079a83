/**
 * Elementwise kernels (src/backend/backend.ts: map, combine, scale): one invocation per element.
 * The operation is a code in the uniform block, numbered as in {@link elementwiseOps}.
 */
import { flatIndexWgsl } from "./dispatch.ts";

export const elementwiseWorkgroupSize = 64;

/** Operation codes; unary maps, then binary combinations, then scaling by params.alpha. */
export const elementwiseOps = {
  linear: 0,
  tanh: 1,
  relu: 2,
  linearPrime: 3,
  tanhPrime: 4,
  reluPrime: 5,
  square: 6,
  negate: 7,
  add: 8,
  subtract: 9,
  multiply: 10,
  scale: 11,
} as const;

export const elementwiseWgsl = /* wgsl */ `
struct Params { count: u32, op: u32, alpha: f32, pad: u32 }
const WG = ${elementwiseWorkgroupSize}u;
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// tanh clamped to |v| <= 15 (tanh(15) rounds to 1 in float32) against exp overflow in drivers.
fn tanh_safe(v: f32) -> f32 { return tanh(clamp(v, -15.0, 15.0)); }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  ${flatIndexWgsl}
  if (gid >= p.count) { return; }
  let v = x[gid];
  var r = 0.0;
  switch p.op {
    case 0u: { r = v; }
    case 1u: { r = tanh_safe(v); }
    case 2u: { r = max(v, 0.0); }
    case 3u: { r = 1.0; }
    case 4u: { let t = tanh_safe(v); r = 1.0 - t * t; }
    case 5u: { r = select(0.0, 1.0, v > 0.0); }
    case 6u: { r = v * v; }
    case 7u: { r = -v; }
    case 8u: { r = v + y[gid]; }
    case 9u: { r = v - y[gid]; }
    case 10u: { r = v * y[gid]; }
    default: { r = p.alpha * v; }
  }
  out[gid] = r;
}
`;
