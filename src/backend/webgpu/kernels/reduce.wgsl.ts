/**
 * Reductions over the last axis (src/backend/backend.ts, Backend.reduce): one invocation per
 * row, summing in increasing index order. Op codes: 0 sum, 1 sum of squares, 2 max.
 */
import { flatIndexWgsl } from "./dispatch.ts";

export const reduceWorkgroupSize = 64;

export const reduceOps = { sum: 0, sumOfSquares: 1, max: 2 } as const;

export const reduceWgsl = /* wgsl */ `
struct Params { rows: u32, cols: u32, op: u32, pad: u32 }
const WG = ${reduceWorkgroupSize}u;
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  ${flatIndexWgsl}
  if (gid >= p.rows) { return; }
  let base = gid * p.cols;
  var r = x[base];
  if (p.op == 1u) { r = r * r; }
  for (var j = 1u; j < p.cols; j++) {
    let v = x[base + j];
    switch p.op {
      case 0u: { r += v; }
      case 1u: { r += v * v; }
      default: { r = max(r, v); }
    }
  }
  out[gid] = r;
}
`;
