/**
 * Train and test mean squared errors of every member, (1/n) sum_mu (W2 phi(W1 x_mu) - y_mu)^2
 * (src/backend/backend.ts, BatchErrors): one workgroup per member, samples spread over the
 * invocations, partial sums reduced by a tree. Output [B, 2] float32: train, test.
 *
 * Layout as in student-teacher-step.wgsl.ts (w1 transposed: element (i, j) at j*N + i); the
 * uniform block holds M, N, P = nTrain, Q = nTest and the activation code.
 */
import { activationWgsl } from "./activation.wgsl.ts";

/** The WGSL source for workgroups of `workgroupSize` invocations (a power of two). */
export function studentTeacherErrorsWgsl(workgroupSize: number): string {
  const sumOver = (x: string, y: string, count: string, acc: string) => `
  for (var mu = lid; mu < ${count}; mu += WG) {
    let xbase = (member * ${count} + mu) * M;
    var yhat = 0.0;
    for (var i = 0u; i < N; i++) {
      var a = 0.0;
      for (var j = 0u; j < M; j++) { a += w1[w1base + j * N + i] * ${x}[xbase + j]; }
      yhat += w2[member * N + i] * phi(sizes.activation, a);
    }
    let d = yhat - ${y}[member * ${count} + mu];
    ${acc} += d * d;
  }`;
  return /* wgsl */ `
${activationWgsl}
const WG = ${workgroupSize}u;
// Sizes and activation at run time (not constants): the compiler does not unroll the sample
// loops, and one pipeline serves every shape.
struct Sizes { m: u32, n: u32, p: u32, q: u32, activation: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<uniform> sizes: Sizes;
@group(0) @binding(1) var<storage, read> train_x: array<f32>;
@group(0) @binding(2) var<storage, read> train_y: array<f32>;
@group(0) @binding(3) var<storage, read> test_x: array<f32>;
@group(0) @binding(4) var<storage, read> test_y: array<f32>;
@group(0) @binding(5) var<storage, read> w1: array<f32>;
@group(0) @binding(6) var<storage, read> w2: array<f32>;
@group(0) @binding(7) var<storage, read_write> errors: array<f32>;

var<workgroup> red1: array<f32, WG>;
var<workgroup> red2: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let member = wid.x;
  let M = sizes.m;
  let N = sizes.n;
  let P = sizes.p;
  let Q = sizes.q;
  let w1base = member * N * M;
  var train = 0.0;
  var test = 0.0;
  ${sumOver("train_x", "train_y", "P", "train")}
  ${sumOver("test_x", "test_y", "Q", "test")}
  red1[lid] = train;
  red2[lid] = test;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) {
      red1[lid] += red1[lid + half];
      red2[lid] += red2[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    errors[member * 2u] = red1[0] / f32(P);
    errors[member * 2u + 1u] = red2[0] / f32(Q);
  }
}
`;
}
