/**
 * The on-chip variant of the fused student-teacher kernel: the same update, step for step, as
 * student-teacher-step.wgsl.ts (seed 001 eq. 5 and section 5; the StudentTeacherBatch contract of
 * src/backend/backend.ts), but each simulation's W1 lives in workgroup memory and its W2 in the
 * registers of the invocations that own its hidden units, for the whole dispatch. Device memory is
 * touched for the weights only at dispatch boundaries (one load, one store), and per step only
 * for the minibatch (x rows read in place from train_x, y, the permutation) and the gains d1.
 *
 * Work split: invocation i (i < N) owns hidden unit i, i.e. column i of the transposed W1
 * (elements j*N + i, conflict-free across invocations), W2_i, d2_i and B_i, and keeps a_si,
 * h_si = phi(a_si), phi'(a_si) and u_si = e_s phi'(a_si) for every sample s of the minibatch in
 * private arrays (|S| <= SMAX). Only the readout errors e_s = sum_i W2_i h_si - y_s and the two
 * squared norms need the whole workgroup: tree reductions over one array of WG floats. Hence
 * N <= WG is required, and the h, u, e intermediates of the other variant need no workgroup
 * memory.
 *
 * Fused renormalization: the scale factor of a step's W1 renormalization is applied in the next
 * step's forward pass (which reads and rewrites every element it multiplies: fl(w * s1) exactly as
 * a separate pass would compute it) or at the dispatch's store, so W1 is read and written 4 times
 * per step in workgroup memory instead of 5, with bit-identical results.
 *
 * Workgroup memory in bytes (each variable rounded up to 16, as Dawn counts it):
 *   W1: 4 M N,  reduction: 4 WG,  e: 4 SMAX,  the failure flag: 16,  the two scale factors: 16.
 * At M = N = 110, WG = 128, |S| = 10: 48,400 + 512 + 48 + 16 + 16 = 48,992 <= 49,152 (the 48 KiB
 * that NVIDIA's Vulkan driver reports); the other variant's minibatch intermediates (x, h, u, e:
 * 13,240 bytes) could not be added to that, which is why they live in registers here and x is
 * read from device memory.
 */
import { activationWgsl } from "./activation.wgsl.ts";
import { counterRngWgsl } from "./counter-rng.wgsl.ts";

/** The compile-time choices of the on-chip kernel. */
export interface OnchipKernelConfig {
  /** Invocations per workgroup, a power of two and at least N. */
  workgroupSize: number;
  /** Capacity of the per-invocation minibatch arrays; at least |S|. */
  maxBatch: number;
  /** Floats of W1 in workgroup memory (M N). */
  weights: number;
}

/** The largest minibatch the on-chip kernel takes (its private arrays hold 4 |S| values). */
export const onchipMaxBatch = 64;

const roundUp16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Bytes of workgroup memory the on-chip kernel declares (see the file comment). */
export function onchipWorkgroupBytes(
  inputs: number,
  hidden: number,
  batchSize: number,
  workgroupSize: number,
) {
  return roundUp16(4 * inputs * hidden) + roundUp16(4 * workgroupSize) + roundUp16(4 * batchSize) + 16 + 16;
}

/** The smallest power of two >= max(n, floor). */
export function onchipWorkgroupSize(hidden: number, floor: number): number {
  let wg = 1;
  while (wg < Math.max(hidden, floor)) wg *= 2;
  return wg;
}

/** The WGSL source of the on-chip kernel (bindings and uniform block as the other variant). */
export function studentTeacherOnchipWgsl(k: OnchipKernelConfig): string {
  return /* wgsl */ `
${counterRngWgsl}
${activationWgsl}

struct Params {
  epoch0: u32, epochs: u32, eta: f32, inv_batch: f32,
  m: u32, n: u32, p: u32, s: u32,
  activation: u32, fixed_feedback: u32, renormalize: u32, pad: u32,
}

const WG = ${k.workgroupSize}u;
const SMAX = ${k.maxBatch}u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> train_x: array<f32>;
@group(0) @binding(2) var<storage, read> train_y: array<f32>;
@group(0) @binding(3) var<storage, read_write> w1: array<f32>;
@group(0) @binding(4) var<storage, read_write> w2: array<f32>;
@group(0) @binding(5) var<storage, read> consts: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<u32>;
@group(0) @binding(7) var<storage, read_write> perm: array<u32>;

var<workgroup> w1s: array<f32, ${Math.max(1, k.weights)}>;
var<workgroup> red: array<f32, WG>;
var<workgroup> err: array<f32, SMAX>;
var<workgroup> dead: u32;
var<workgroup> scales: array<f32, 2>;

// NaN and inf by their bits: compilers may assume finite floats and fold x != x away.
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

// Sum of red[0..WG) into red[0] by a tree; every invocation must call it.
fn reduce_red(lid: u32) {
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half = half / 2u) {
    if (lid < half) { red[lid] += red[lid + half]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let M = params.m;
  let N = params.n;
  let P = params.p;
  let S = params.s;
  let act = params.activation;
  let fixed_feedback = params.fixed_feedback != 0u;
  let renormalize = params.renormalize != 0u;
  let CS = M + 2u * N + 2u;
  let member = wid.x;
  let cbase = member * CS;
  let w1base = member * N * M;
  let owner = lid < N;
  let i = min(lid, N - 1u);
  if (lid == 0u) { dead = status[member * 2u + 1u]; }
  if (workgroupUniformLoad(&dead) != 0u) { return; }

  // Dispatch boundary: the weights come on chip once.
  for (var idx = lid; idx < N * M; idx += WG) { w1s[idx] = w1[w1base + idx]; }
  var w2i = 0.0;
  var d2i = 0.0;
  var bi = 0.0;
  if (owner) {
    w2i = w2[member * N + i];
    d2i = consts[cbase + M + i];
    bi = consts[cbase + M + N + i];
  }
  // The W1 renormalization factor not yet applied (1: none pending).
  var pending = 1.0;
  var a: array<f32, SMAX>;
  var h: array<f32, SMAX>;
  var u: array<f32, SMAX>;
  var row: array<u32, SMAX>;
  workgroupBarrier();

  for (var t = params.epoch0; t < params.epoch0 + params.epochs; t++) {
    if (lid == 0u) {
      // Fisher-Yates exactly as counterPermutation in src/util/counter-rng.ts.
      let key = derive_key(status[member * 2u], t);
      let base = member * P;
      for (var q = 0u; q < P; q++) { perm[base + q] = q; }
      for (var q = P - 1u; q > 0u; q--) {
        let r = counter_u32(key, q) % (q + 1u);
        let tmp = perm[base + q];
        perm[base + q] = perm[base + r];
        perm[base + r] = tmp;
      }
    }
    storageBarrier();
    workgroupBarrier();
    for (var step = 0u; step < P / S; step++) {
      for (var s = 0u; s < S; s++) {
        row[s] = member * P + perm[member * P + step * S + s];
        a[s] = 0.0;
      }
      // Forward pass, fused with the pending rescaling of W1: a_s = sum_j W1_ij x_sj.
      if (owner) {
        for (var j = 0u; j < M; j++) {
          var w = w1s[j * N + i];
          if (renormalize) {
            w = w * pending;
            w1s[j * N + i] = w;
          }
          for (var s = 0u; s < S; s++) { a[s] += w * train_x[row[s] * M + j]; }
        }
        for (var s = 0u; s < S; s++) {
          h[s] = phi(act, a[s]);
          u[s] = phi_prime(act, a[s]);
        }
      }
      pending = 1.0;
      // Readout errors e_s = sum_i W2_i h_si - y_s, one tree reduction per sample.
      for (var s = 0u; s < S; s++) {
        red[lid] = select(0.0, w2i * h[s], owner);
        reduce_red(lid);
        if (lid == 0u) { err[s] = red[0] - train_y[row[s]]; }
        workgroupBarrier();
      }
      // Hidden layer: W1_ij <- W1_ij - eta ((f_i g_ij / |S|) d1_j), g_ij = sum_s u_si x_sj,
      // f = the old W2 (curl descent, gradient) or B (fixed feedback); then W2 from the old h.
      var ss1 = 0.0;
      var ss2 = 0.0;
      if (owner) {
        for (var s = 0u; s < S; s++) { u[s] = err[s] * u[s]; }
        let f = select(w2i, bi, fixed_feedback);
        for (var j = 0u; j < M; j++) {
          var g = 0.0;
          for (var s = 0u; s < S; s++) { g += u[s] * train_x[row[s] * M + j]; }
          let w = w1s[j * N + i] - params.eta * ((f * g * params.inv_batch) * consts[cbase + j]);
          w1s[j * N + i] = w;
          ss1 += w * w;
        }
        var g2 = 0.0;
        for (var s = 0u; s < S; s++) { g2 += err[s] * h[s]; }
        w2i = w2i - params.eta * ((g2 * params.inv_batch) * d2i);
        ss2 = w2i * w2i;
      }
      red[lid] = ss1;
      reduce_red(lid);
      let sum1 = red[0];
      workgroupBarrier();
      red[lid] = ss2;
      reduce_red(lid);
      if (lid == 0u) {
        let n1 = sqrt(sum1);
        let n2 = sqrt(red[0]);
        let bad = !is_finite(n1) || !is_finite(n2) || (renormalize && (n1 == 0.0 || n2 == 0.0));
        if (bad) {
          dead = t + 1u;
          status[member * 2u + 1u] = t + 1u;
        } else {
          scales[0] = consts[cbase + CS - 2u] / n1;
          scales[1] = consts[cbase + CS - 1u] / n2;
        }
      }
      if (workgroupUniformLoad(&dead) != 0u) { break; }
      if (renormalize) {
        pending = scales[0];
        w2i = w2i * scales[1];
      }
    }
    if (workgroupUniformLoad(&dead) != 0u) { break; }
  }

  // Dispatch boundary: the weights go back, with any pending rescaling (each owner its column).
  if (owner) {
    for (var j = 0u; j < M; j++) { w1[w1base + j * N + i] = w1s[j * N + i] * pending; }
    w2[member * N + i] = w2i;
  }
}
`;
}
