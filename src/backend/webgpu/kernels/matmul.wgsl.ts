/**
 * Batched matrix product C_b = op(A_b) op(B_b) (src/backend/backend.ts, Backend.matmul): one
 * invocation per entry of C, summing over k in increasing order. A batch stride of 0 broadcasts
 * a batch dimension of 1.
 *
 * Params (uniform, u32): batch, m, n, k, aBatchStride, bBatchStride, transposeA, transposeB,
 * aRowStride (columns of A as stored), bRowStride (columns of B as stored).
 */
import { flatIndexWgsl } from "./dispatch.ts";

export const matmulWorkgroupSize = 64;

export const matmulWgsl = /* wgsl */ `
struct Params {
  batch: u32, m: u32, n: u32, k: u32,
  a_batch: u32, b_batch: u32, transpose_a: u32, transpose_b: u32,
  a_cols: u32, b_cols: u32, pad0: u32, pad1: u32,
}
const WG = ${matmulWorkgroupSize}u;
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  ${flatIndexWgsl}
  if (gid >= p.batch * p.m * p.n) { return; }
  let s = gid / (p.m * p.n);
  let r = gid - s * p.m * p.n;
  let i = r / p.n;
  let j = r - i * p.n;
  let oa = s * p.a_batch;
  let ob = s * p.b_batch;
  var sum = 0.0;
  for (var l = 0u; l < p.k; l++) {
    var av: f32;
    var bv: f32;
    if (p.transpose_a != 0u) { av = a[oa + l * p.a_cols + i]; } else { av = a[oa + i * p.a_cols + l]; }
    if (p.transpose_b != 0u) { bv = b[ob + j * p.b_cols + l]; } else { bv = b[ob + l * p.b_cols + j]; }
    sum += av * bv;
  }
  c[gid] = sum;
}
`;
